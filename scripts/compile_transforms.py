"""Build the compiled copies of the ``transforms`` modules that are missing (core/compiled.py).

    .venv/bin/python scripts/compile_transforms.py [--into DIR] [--jobs N] [--strict]

Only a module with no copy built from its source as it is now is compiled, so an edit
costs the build of that module alone; older copies are removed. ``DIR`` defaults to the
checkout's ``data/compiled``, where the pool workers look. Without Cython or a C
compiler, when a module does not compile, or when the folder cannot be written, it says
so and exits 0: the workers run those modules as Python, as fast as before and with the
same results. ``--strict`` exits 1 instead (tests). The compiler's own output goes to
``DIR/build.log``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from contextlib import chdir, contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core import compiled  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--into", type=Path, help="where the copies go (default: the checkout's data/compiled)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--strict", action="store_true", help="exit 1 when a module is left uncompiled")
    args = parser.parse_args(argv)
    if args.into is None:
        args.into = compiled.default_directory()
    try:
        failed = build(args.into, args.jobs)
    except Exception as exc:  # a full disk, a read-only checkout: speed lost, never a run
        print(f"transforms: not compiled ({exc!r}), so they run as Python", flush=True)
        return 1 if args.strict else 0
    return 1 if failed and args.strict else 0


def build(directory: Path, jobs: int) -> list[str]:
    """Compile the missing modules into ``directory``; the names of those left as Python."""
    todo = compiled.missing(directory)
    target = compiled.target_dir(directory)
    if not todo:
        _remove_stale(target)
        return []
    compiler = compiled.compiler_version()
    if compiler is None:
        print("transforms: Cython is not installed, so they run as Python (`make setup` installs it)")
        return sorted(todo)
    target.mkdir(parents=True, exist_ok=True)
    log = Path(directory) / "build.log"
    started = time.monotonic()
    print(f"transforms: compiling {len(todo)} modules with Cython {compiler} "
          f"({jobs} jobs; once per change; output in {log}) ...", flush=True)
    scratch = Path(tempfile.mkdtemp(prefix=".build-", dir=target))
    try:
        # The bytes compiled are the bytes the copy is named by, even if a module is
        # edited while the build runs.
        sources = _snapshot(todo, scratch / "src")
        with open(log, "w", encoding="utf-8") as log_file:
            built = _compile(sources, target, scratch, jobs, compiler, log_file)
            if len(built) < len(sources) and len(sources) > 1:  # one bad module must not cost the others
                for name in sorted(set(sources) - built):
                    built |= _compile({name: sources[name]}, target, scratch, 1, compiler, log_file)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    _remove_stale(target)
    failed = sorted(set(todo) - built)
    seconds = time.monotonic() - started
    if failed:
        print(f"transforms: {len(built)} compiled, {len(failed)} left as Python ({', '.join(failed)}); "
              f"see {log}", flush=True)
    else:
        print(f"transforms: {len(built)} modules compiled in {seconds:.0f} s into {target}", flush=True)
    return failed


def _snapshot(todo: dict[str, Path], into: Path) -> dict[str, tuple[Path, bytes]]:
    """Copy each module's source, as read now, into a package tree under ``into`` (the
    ``__init__`` files tell Cython each module's full name): name -> (copy, bytes)."""
    sources = {}
    for name, source in todo.items():
        data = source.read_bytes()
        parts = name.split(".")
        copy = into.joinpath(*parts).with_suffix(".py")
        copy.parent.mkdir(parents=True, exist_ok=True)
        copy.write_bytes(data)
        for depth in range(1, len(parts)):
            into.joinpath(*parts[:depth], "__init__.py").touch()
        sources[name] = (copy, data)
    return sources


def _compile(sources: dict[str, tuple[Path, bytes]], target: Path, scratch: Path, jobs: int, compiler: str,
             log_file) -> set[str]:
    """Compile ``sources`` in ``scratch``, a folder beside ``target`` (C files already
    generated there are reused); move each copy into place (a rename: a worker never sees
    half a file). The names moved."""
    from Cython.Build import cythonize
    from setuptools import Distribution, Extension

    with _output_to(log_file):
        try:
            # From the snapshot's root, so that tracebacks through a copy name the module
            # as transforms/..., not the scratch folder (deleted by then).
            with chdir(scratch / "src"):
                extensions = cythonize(
                    [Extension(name, [str(copy.relative_to(scratch / "src"))], extra_compile_args=list(compiled.C_FLAGS))
                     for name, (copy, _) in sources.items()],
                    build_dir=str(scratch / "c"), nthreads=jobs if jobs > 1 else 0, quiet=True,
                    language_level=compiled.BUILD_OPTIONS["language_level"],
                    compiler_directives={k: v for k, v in compiled.BUILD_OPTIONS.items() if k != "language_level"},
                )
            distribution = Distribution({"ext_modules": extensions, "script_name": "compile_transforms"})
            command = distribution.get_command_obj("build_ext")
            command.build_lib = str(scratch / "lib")
            command.build_temp = str(scratch / "tmp")
            command.parallel = jobs
            distribution.run_command("build_ext")
        except (Exception, SystemExit) as exc:  # distutils reports a failed compile as SystemExit
            print(f"build failed: {exc!r}", flush=True)
            return set()
    moved = set()
    for name, (_, data) in sources.items():
        made = command.get_ext_fullpath(name)
        if Path(made).is_file():
            os.replace(made, compiled.built_path(target.parent, name, data, compiler))
            moved.add(name)
    return moved


def _remove_stale(target: Path) -> None:
    """Remove copies no module's current source would load (old builds, deleted modules,
    another Cython's). A module whose source cannot be read keeps its copies."""
    compiler = compiled.compiler_version()
    if not target.is_dir() or compiler is None:
        return
    current, unreadable = set(), []
    for name, source in compiled.modules().items():
        try:
            current.add(compiled.built_path(target.parent, name, source.read_bytes(), compiler).name)
        except OSError:
            unreadable.append(name + ".")
    for path in target.iterdir():
        if path.is_file() and path.name not in current and not path.name.startswith(tuple(unreadable)):
            path.unlink(missing_ok=True)


@contextmanager
def _output_to(log_file):
    """Send this process's stdout and stderr, the compiler's included, to ``log_file``."""
    sys.stdout.flush()
    sys.stderr.flush()
    saved = os.dup(1), os.dup(2)
    try:
        os.dup2(log_file.fileno(), 1)
        os.dup2(log_file.fileno(), 2)
        yield
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os.dup2(saved[0], 1)
        os.dup2(saved[1], 2)
        os.close(saved[0])
        os.close(saved[1])


if __name__ == "__main__":
    raise SystemExit(main())
