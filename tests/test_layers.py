"""The codebase's layers, checked on its imports (issue 16). Every import counts, at the
top of a module or inside a function: a lazy import breaks a layer as surely as any.

- ``core/``: the bottom layer (the Persian script's tables, the seeds folder and its
  readers): the standard library, polars and itself, nothing else;
- ``transforms/``: pure polars, no I/O framework: imports nothing of ours but itself and
  ``core/``, and none of Prefect, DuckDB, Dask or Dash;
- ``warehouse/``: schema, loads and views: imports nothing of ``transforms/``, ``flows/``
  or ``app/`` (the flow hands in what transforms compute) and no Prefect;
- ``app/``: the dashboard and exports read the warehouse: ``warehouse/`` and ``core/`` only;
- ``flows/``: the wiring, may import every layer;
- ``seeds/``: data only;
- no import cycle between our modules.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PACKAGES = ("app", "core", "flows", "transforms", "warehouse")

# layer -> (our packages it may import, third-party top-level modules it may not import)
LAYERS = {
    "core": ({"core"}, {"prefect", "duckdb", "dask", "distributed", "dash", "flask"}),
    "transforms": ({"core", "transforms"}, {"prefect", "duckdb", "dask", "distributed", "dash", "flask"}),
    "warehouse": ({"core", "warehouse"}, {"prefect", "dask", "distributed", "dash", "flask"}),
    "app": ({"app", "core", "warehouse"}, {"prefect", "dask", "distributed"}),
    "flows": (set(PACKAGES), set()),
}
# layers held to a list of third-party modules: anything else outside the standard library breaks them
THIRD_PARTY_ONLY = {"core": {"polars"}}
STDLIB = sys.stdlib_module_names | {"__future__"}


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path, root: Path) -> list[tuple[int, str]]:
    """(line, absolute module name) of every import statement in the file."""
    name = module_name(path, root)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: from . import x / from ..y import z
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module
            # `from pkg import mod` may name a module: count pkg.mod when it is ours
            found.append((node.lineno, target))
            found += [(node.lineno, f"{target}.{alias.name}") for alias in node.names]
    return found


def project_modules(root: Path) -> dict[str, Path]:
    return {module_name(p, root): p for pkg in PACKAGES for p in sorted((root / pkg).rglob("*.py"))}


def layer_violations(root: Path) -> list[str]:
    modules = project_modules(root)
    problems = []
    for name, path in modules.items():
        layer = name.split(".")[0]
        allowed, banned = LAYERS[layer]
        for line, target in imports_of(path, root):
            top = target.split(".")[0]
            where = f"{path.relative_to(root)}:{line}"
            if top in PACKAGES and top not in allowed and target in modules:
                problems.append(f"{where}: {layer}/ imports {target}")
            elif top in banned:
                problems.append(f"{where}: {layer}/ imports {top}")
            elif layer in THIRD_PARTY_ONLY and top not in STDLIB | set(PACKAGES) | THIRD_PARTY_ONLY[layer]:
                problems.append(f"{where}: {layer}/ imports {top}")
    return sorted(set(problems))


def import_cycles(root: Path) -> list[list[str]]:
    modules = project_modules(root)
    graph = {
        name: sorted({t for _, t in imports_of(path, root) if t in modules and t != name})
        for name, path in modules.items()
    }
    # A package's __init__ importing its own submodules is how packages expose them, not a cycle.
    for name in graph:
        graph[name] = [t for t in graph[name] if not (path_is_package(modules[name]) and t.startswith(name + "."))]
    index, low, stack, on_stack, cycles = {}, {}, [], set(), []

    def visit(v):  # Tarjan's strongly connected components
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
    for v in graph:
        if v not in index:
            visit(v)
    return cycles


def path_is_package(path: Path) -> bool:
    return path.name == "__init__.py"


def test_every_layer_imports_only_what_it_may():
    assert layer_violations(REPO) == []


def test_no_import_cycle_between_our_modules():
    assert import_cycles(REPO) == []


def test_seeds_hold_data_only():
    code = [str(p.relative_to(REPO)) for p in (REPO / "seeds").rglob("*") if p.suffix in (".py", ".sql", ".sh")]
    assert code == []


@pytest.mark.parametrize(
    "module, line, expected",
    [
        ("warehouse/load.py", "from transforms.calls import consolidate_calls", "warehouse/ imports transforms.calls"),
        ("transforms/calls.py", "import duckdb", "transforms/ imports duckdb"),
        ("app/export.py", "from flows.cli import main", "app/ imports flows.cli"),
        ("transforms/calendar.py", "from warehouse import store", "transforms/ imports warehouse.store"),
        ("core/script.py", "import duckdb", "core/ imports duckdb"),
        ("core/seeds.py", "import yaml", "core/ imports yaml"),
        ("core/seeds.py", "from transforms import cleaning", "core/ imports transforms.cleaning"),
    ],
)
def test_a_broken_layer_is_caught(tmp_path, module, line, expected):
    """The checks above on a copy of the code with one import that breaks a layer."""
    copy = _copy_code(tmp_path)
    target = copy / module
    target.write_text(target.read_text(encoding="utf-8") + f"\n\ndef _planted():\n    {line}\n", encoding="utf-8")
    assert any(expected in problem for problem in layer_violations(copy))


def test_a_planted_cycle_is_caught(tmp_path):
    copy = _copy_code(tmp_path)
    store = copy / "warehouse" / "store.py"
    store.write_text(store.read_text(encoding="utf-8") + "\n\ndef _planted():\n    from warehouse import load\n", encoding="utf-8")
    assert ["warehouse.load", "warehouse.store"] in import_cycles(copy)


def _copy_code(tmp_path: Path) -> Path:
    for pkg in PACKAGES:
        for path in (REPO / pkg).rglob("*.py"):
            target = tmp_path / path.relative_to(REPO)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    return tmp_path


def test_the_flow_reaches_its_storage_only_through_the_backend():
    """flows/ingest.py never chooses between the warehouse file and a DuckLake:
    warehouse/backend.py does, in one place."""
    tree = ast.parse((REPO / "flows" / "ingest.py").read_text(encoding="utf-8"))
    imported = {t for _, t in imports_of(REPO / "flows" / "ingest.py", REPO)}
    used = {f"{n.value.id}.{n.attr}" for n in ast.walk(tree) if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name)}
    assert "warehouse.lake" not in imported
    assert not used & {"store.writer_lock", "store.staged_copy", "lake.session", "lake.rebuild_derived"}
