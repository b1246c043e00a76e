"""Compiled copies of the ``transforms`` modules, imported in place of their source only
when they were built from exactly that source.

Cleaning and extraction are rules that the interpreter runs one Python call at a time.
Cython compiles the same modules, unchanged, into C extensions that do the same work in
fewer instructions (docs/scaling.md, issue 17). The copies never sit beside the source:
each lives in the checkout's ``data/compiled`` as one file named by its module and by a hash of
its source and of how it was built. So a module edited since its build runs as Python
until it is built again, and a build that failed or never ran costs speed, never a
result. ``scripts/compile_transforms.py`` builds them (``make`` does, where a C compiler
and Cython are installed); ``use_directory`` makes this process import them.

Imports nothing of the project's: the pool workers call it before they import
``transforms``.
"""

from __future__ import annotations

import hashlib
import importlib.abc
import importlib.machinery
import importlib.metadata
import importlib.util
import sys
from pathlib import Path

PACKAGE = "transforms"
# hazm_core finds hazm's files and ours from its own __file__, which a copy would move.
KEPT_AS_SOURCE = frozenset({"transforms.hazm_core"})
# Annotations stay hints, as in Python: typed by them, Cython would reject at run time a
# value Python lets through, and only on the text that brings one.
BUILD_OPTIONS = {"language_level": 3, "binding": True, "annotation_typing": False}
# No debug information: it would be most of each file, and nobody steps through these.
C_FLAGS = ("-g0",)
KEY_LENGTH = 20


def package_root() -> Path:
    """The folder of the ``transforms`` package, found without importing it."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ImportError(f"the {PACKAGE} package is not importable")
    return Path(next(iter(spec.submodule_search_locations)))


def default_directory() -> Path:
    """``data/compiled`` of the checkout the code runs from, whatever a run's data folder:
    the copies belong to the code, as its ``.pyc`` files do, not to a run."""
    return package_root().parent / "data" / "compiled"


def modules(root: Path | None = None) -> dict[str, Path]:
    """Every module that can be compiled: dotted name -> source file. Packages'
    ``__init__`` modules stay Python (the import system finds their submodules there);
    hidden files (an editor's) are no modules."""
    root = package_root() if root is None else root
    found = {}
    for source in sorted(root.rglob("*.py")):
        parts = source.relative_to(root).parts
        if source.name == "__init__.py" or any(part.startswith(".") for part in parts):
            continue
        name = ".".join((PACKAGE, *source.relative_to(root).with_suffix("").parts))
        if name not in KEPT_AS_SOURCE:
            found[name] = source
    return found


def compiler_version() -> str | None:
    """The installed Cython's version (None: not installed, so no copy can be told apart)."""
    try:
        return importlib.metadata.version("cython")
    except importlib.metadata.PackageNotFoundError:
        return None


def build_key(source: bytes, compiler: str) -> str:
    """What a compiled copy is made from: the module's source, the compiler and its options."""
    options = repr((compiler, sorted(BUILD_OPTIONS.items()), C_FLAGS)).encode()
    return hashlib.sha256(options + b"\0" + source).hexdigest()[:KEY_LENGTH]


def target_dir(directory: Path | str) -> Path:
    """This interpreter's part of ``directory``, named by its extension modules' ABI
    (a copy loads only into the interpreter it was built for)."""
    return Path(directory) / importlib.machinery.EXTENSION_SUFFIXES[0].strip(".").removesuffix(".so")


def built_path(directory: Path | str, name: str, source: bytes, compiler: str) -> Path:
    suffix = importlib.machinery.EXTENSION_SUFFIXES[0]
    return target_dir(directory) / f"{name}.{build_key(source, compiler)}{suffix}"


class _CompiledFinder(importlib.abc.MetaPathFinder):
    """Finds a compiled module's copy built from the source as it is now on disk."""

    def __init__(self, directory: Path, sources: dict[str, Path], compiler: str):
        self.directory = directory
        self.sources = sources
        self.compiler = compiler

    def find_spec(self, fullname, path=None, target=None):
        source = self.sources.get(fullname)
        if source is None:
            return None
        try:
            built = built_path(self.directory, fullname, source.read_bytes(), self.compiler)
        except OSError:
            return None
        if not built.is_file():
            return None
        return importlib.util.spec_from_file_location(fullname, built)


def use_directory(directory: Path | str | None) -> None:
    """Import the compiled copies kept in ``directory`` from now on in this process, for
    the modules not imported yet (None: import source only)."""
    sys.meta_path[:] = [f for f in sys.meta_path if not isinstance(f, _CompiledFinder)]
    compiler = compiler_version()
    if directory is not None and compiler is not None:
        sys.meta_path.insert(0, _CompiledFinder(Path(directory), modules(), compiler))


def imported_compiled() -> list[str]:
    """The modules this process imported from a compiled copy."""
    return sorted(name for name in modules() if _is_compiled(sys.modules.get(name)))


def _is_compiled(module) -> bool:
    file = getattr(module, "__file__", None) or ""
    return any(file.endswith(suffix) for suffix in importlib.machinery.EXTENSION_SUFFIXES)


def missing(directory: Path | str) -> dict[str, Path]:
    """The modules with no copy built from their source as it is now by the installed
    Cython (without Cython: all of them)."""
    compiler = compiler_version()
    absent = {}
    for name, source in modules().items():
        try:
            present = compiler is not None and built_path(directory, name, source.read_bytes(), compiler).is_file()
        except OSError:  # unreadable: it cannot be imported either way
            continue
        if not present:
            absent[name] = source
    return absent
