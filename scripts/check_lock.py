"""Check that requirements.lock is the lock of pyproject.toml (offline; issue 14).

    python scripts/check_lock.py [--pyproject FILE] [--lock FILE] [--installed]

Fails (exit 1, one line per problem, ending with the fix) when:
- a requirement of pyproject.toml (dependencies, the dev extra, build-system.requires)
  is missing from the lock or locked at a version its specifier refuses;
- the lock names a package as required by pyproject.toml that pyproject.toml no longer
  asks for (pip-compile's "via tamas (pyproject.toml)" annotations);
- with --installed, in the project's venv: a locked package is not installed at its
  locked version, or the lock is not exactly the closure of pyproject.toml's
  requirements over the installed packages' own metadata (a package added or dropped
  by hand).

`make setup` runs it with --installed after installing the lock; tests/test_lock.py
runs it on this repository and on broken copies.
"""

from __future__ import annotations

import argparse
import re
import sys
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
FIX = "run `make lock` (pip-compile; needs the network) and commit requirements.lock"
PROJECT_VIA = re.compile(r"^\s*#\s+(?:via\s+)?tamas \(pyproject\.toml(?:::build-system\.requires)?\)\s*$")


def project_requirements(pyproject: Path) -> list[Requirement]:
    data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    specs = [
        *data["project"].get("dependencies", []),
        *data["project"].get("optional-dependencies", {}).get("dev", []),
        *data.get("build-system", {}).get("requires", []),
    ]
    return [r for r in map(Requirement, specs) if r.marker is None or r.marker.evaluate()]


def read_lock(lock: Path) -> tuple[dict[str, str], set[str]]:
    """(name -> locked version, names the lock says pyproject.toml asks for)."""
    pins: dict[str, str] = {}
    direct: set[str] = set()
    current = None
    for line in lock.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s;\\]+)", line)
        if match:
            current = canonicalize_name(match.group(1))
            pins[current] = match.group(2)
        elif current and PROJECT_VIA.match(line):
            direct.add(current)
    return pins, direct


def check(pyproject: Path, lock: Path) -> list[str]:
    requirements = project_requirements(pyproject)
    pins, direct = read_lock(lock)
    problems = []
    for req in requirements:
        name = canonicalize_name(req.name)
        if name not in pins:
            problems.append(f"{req} (pyproject.toml) is not in {lock.name}")
        elif not req.specifier.contains(pins[name], prereleases=True):
            problems.append(f"{req} (pyproject.toml) but {lock.name} has {name}=={pins[name]}")
    asked = {canonicalize_name(r.name) for r in requirements}
    for name in sorted(direct - asked):
        problems.append(f"{lock.name} still locks {name} for pyproject.toml, which no longer asks for it")
    for name in sorted((asked & set(pins)) - direct):
        problems.append(f"{lock.name} does not record {name} as required by pyproject.toml (locked before it was added)")
    return problems


def check_installed(pyproject: Path, lock: Path) -> list[str]:
    """The running interpreter's packages against the lock, and the lock against the
    closure of pyproject.toml's requirements over the installed metadata."""
    pins, _ = read_lock(lock)
    problems = []
    for name, version in sorted(pins.items()):
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            problems.append(f"{name}=={version} is locked but not installed")
            continue
        if installed != version:
            problems.append(f"{name} is installed at {installed}, locked at {version}")
    if problems:
        return problems
    closure: set[str] = set()
    todo = [(canonicalize_name(r.name), frozenset(r.extras)) for r in project_requirements(pyproject)]
    seen = set()
    while todo:
        name, extras = todo.pop()
        if (name, extras) in seen:
            continue
        seen.add((name, extras))
        closure.add(name)
        for spec in metadata.requires(name) or []:
            req = Requirement(spec)
            if req.marker is None or any(req.marker.evaluate({"extra": e}) for e in ("", *extras)):
                todo.append((canonicalize_name(req.name), frozenset(req.extras)))
    for name in sorted(closure - set(pins)):
        problems.append(f"{name} is needed by pyproject.toml's requirements but not in {lock.name}")
    for name in sorted(set(pins) - closure):
        problems.append(f"{lock.name} locks {name}, which nothing in pyproject.toml needs")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pyproject", type=Path, default=ROOT / "pyproject.toml")
    parser.add_argument("--lock", type=Path, default=ROOT / "requirements.lock")
    parser.add_argument("--installed", action="store_true", help="also check this interpreter's packages")
    args = parser.parse_args(argv)
    problems = check(args.pyproject, args.lock)
    if not problems and args.installed:
        problems = check_installed(args.pyproject, args.lock)
    if problems:
        for problem in problems:
            print(f"lock check: {problem}", file=sys.stderr)
        print(f"lock check: {args.lock.name} and {args.pyproject.name} disagree: {FIX}", file=sys.stderr)
        return 1
    print(f"lock check: {args.lock.name} agrees with {args.pyproject.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
