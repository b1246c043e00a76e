"""The compiled transforms modules (core/compiled.py, scripts/compile_transforms.py):
built by the script, imported by the pool workers, the same results as the source, and
never used for a source edited since their build.

The build goes where `make` puts it (data/compiled of this checkout), so that after
`make test`'s own build the script here has nothing left to compile."""

from __future__ import annotations

import os
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from core import compiled
from flows.pool import WorkerPool
from tests.persian_texts import persian_sentences

REPO = Path(__file__).resolve().parents[1]
BUILT = compiled.default_directory()
BUILD = [sys.executable, str(REPO / "scripts" / "compile_transforms.py")]
LEFT_OUT = "transforms.calendar"  # a small module: the builds below compile it alone

# Run in a child: imports every compilable module (from its compiled copy when argv[1]
# names a directory), then cleans and extracts the texts on stdin and transforms whole
# files (argv[2:]) as a pool worker does; prints what came out.
CHILD = r"""
import datetime as dt, importlib, json, sys
from core import compiled
if sys.argv[1] != "-":
    compiled.use_directory(sys.argv[1])
for name in compiled.modules():
    importlib.import_module(name)
import polars as pl
from flows.batch import transform_batch
from flows.files import discover_files, split_records
from transforms.cleaning import clean_text
from transforms.extraction import extract_calls
from transforms.reference import load_reference

def rows(frame):
    return frame.to_dicts()

texts = json.load(sys.stdin)
published = dt.datetime(2026, 6, 10, 10, 30, tzinfo=dt.timezone.utc)
articles = pl.DataFrame(
    [{"article_id": str(i), "clean_text": clean_text(t), "title": None, "published_at": published}
     for i, t in enumerate(texts)],
    schema={"article_id": pl.Utf8, "clean_text": pl.Utf8, "title": pl.Utf8, "published_at": pl.Datetime("us", "UTC")},
)
extraction = extract_calls(articles, load_reference())
batch = transform_batch(split_records(discover_files(sys.argv[2:])))
out = {
    "compiled": compiled.imported_compiled(),
    "clean": articles["clean_text"].to_list(),
    "extraction": {k: rows(getattr(extraction, k)) for k in extraction.__dataclass_fields__},
    "batch": {k: rows(getattr(batch, k)) for k in ("outcomes", "articles")},
    "batch_extraction": {k: rows(getattr(batch.extraction, k)) for k in batch.extraction.__dataclass_fields__},
}
print(json.dumps(out, default=str))  # ASCII: the tests hold lone surrogates
"""


@pytest.fixture(scope="module")
def built() -> Path:
    """The build `make` keeps, completed by the script if anything is missing."""
    done = subprocess.run([*BUILD, "--into", str(BUILT), "--strict"], capture_output=True, text=True, timeout=1800)
    assert done.returncode == 0, done.stdout + done.stderr
    assert not compiled.missing(BUILT)
    return BUILT


def transform_in_child(compiled_dir: Path | None, cwd: Path = REPO) -> dict:
    files = [str(REPO / "seeds" / "articles"), str(REPO / "tests" / "fixtures")]
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(compiled_dir) if compiled_dir else "-", *files],
        input=json.dumps(persian_sentences()), capture_output=True, text=True,
        cwd=cwd, timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


def test_compiled_modules_give_what_the_source_gives(built):
    source = transform_in_child(None)
    copies = transform_in_child(built)
    assert source["compiled"] == []
    assert copies["compiled"] == sorted(compiled.modules())
    assert len(source["clean"]) > 300  # the rule families' sentences
    assert sum(len(m) for m in [source["extraction"]["mentions"], source["batch_extraction"]["mentions"]]) > 100
    for part in ("clean", "extraction", "batch", "batch_extraction"):
        assert copies[part] == source[part], part


def test_a_module_edited_after_its_build_runs_as_source(built, tmp_path):
    """The copy of a module is keyed by its source: a changed line and it is not used."""
    shutil.copytree(REPO / "transforms", tmp_path / "transforms", ignore=shutil.ignore_patterns("__pycache__"))
    edited = tmp_path / "transforms" / "calendar.py"
    edited.write_text(edited.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    code = ("import sys; from core import compiled; compiled.use_directory(sys.argv[1]);"
            "import transforms.calendar, transforms.calls;"
            "print(transforms.calendar.__file__); print(transforms.calls.__file__)")
    done = subprocess.run([sys.executable, "-c", code, str(built)], capture_output=True, text=True,
                          cwd=tmp_path, timeout=300)
    assert done.returncode == 0, done.stderr
    calendar_file, calls_file = done.stdout.split()
    assert calendar_file == str(edited)
    assert calls_file.startswith(str(compiled.target_dir(built))) and calls_file.endswith(".so")


def test_pool_workers_import_the_compiled_modules_and_only_when_told(built, monkeypatch):
    from flows.batch import prepare_transforms
    from flows.settings import settings

    monkeypatch.delenv("TAMAS_COMPILED_TRANSFORMS", raising=False)
    # the tests' runs keep their data elsewhere; the copies are the checkout's all the same
    assert settings().workers_compiled_dir == built

    for compiled_dir, expected in ((built, "transforms.extraction.calls"), (None, None)):
        pool = WorkerPool(1, compiled_dir=compiled_dir)
        try:
            pool.run(prepare_transforms)  # imports cleaning and extraction
            names = pool.run(compiled.imported_compiled)
        finally:
            pool.close()
        assert (expected in names) if expected else names == []


def _copies_but(left_out: str, built: Path, into: Path) -> Path:
    """``into`` holding the copies of ``built`` for every module but ``left_out``; its target folder."""
    target = compiled.target_dir(into)
    target.mkdir(parents=True)
    for name, source in compiled.modules().items():
        if name != left_out:
            copy = compiled.built_path(built, name, source.read_bytes(), compiled.compiler_version())
            shutil.copy2(copy, target / copy.name)
    return target


def test_the_build_compiles_only_what_changed_and_drops_old_copies(built, tmp_path):
    """A fresh directory gets a module's copy once; a second build compiles nothing; a
    copy no current source loads is removed."""
    into = tmp_path / "compiled"
    target = _copies_but(LEFT_OUT, built, into)  # the script must build that one alone
    stale = target / f"{LEFT_OUT}.{'0' * compiled.KEY_LENGTH}.so"
    stale.write_bytes(b"an old build")
    calls_source = compiled.modules()["transforms.calls"].read_bytes()
    other_cython = compiled.built_path(into, "transforms.calls", calls_source, "0.0")
    other_cython.write_bytes(b"another Cython's build")
    script = [*BUILD, "--into", str(into), "--strict"]
    first = subprocess.run(script, capture_output=True, text=True, timeout=600)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "compiling 1 modules" in first.stdout
    assert not compiled.missing(into)
    assert not stale.exists() and not other_cython.exists()
    again = subprocess.run(script, capture_output=True, text=True, timeout=600)
    assert again.returncode == 0 and again.stdout == ""


def test_a_module_that_does_not_compile_is_left_as_source(built, tmp_path):
    """No working C compiler: the build says which modules stay Python and still exits 0
    (a run loses speed, never its results); --strict exits 1."""
    into = tmp_path / "compiled"
    _copies_but(LEFT_OUT, built, into)
    script = [*BUILD, "--into", str(into)]
    env = {**os.environ, "CC": "false"}  # setuptools compiles with $CC
    lenient = subprocess.run(script, capture_output=True, text=True, timeout=600, env=env)
    assert lenient.returncode == 0, lenient.stdout + lenient.stderr
    assert f"1 left as Python ({LEFT_OUT})" in lenient.stdout
    assert list(compiled.missing(into)) == [LEFT_OUT]
    assert "failed" in (into / "build.log").read_text(encoding="utf-8")
    strict = subprocess.run([*script, "--strict"], capture_output=True, text=True, timeout=600, env=env)
    assert strict.returncode == 1


def test_a_files_time_budget_still_interrupts_compiled_code(built, tmp_path):
    """The budget is a SIGALRM whose handler raises; compiled code runs no bytecode, so
    the handler must still get its turn (at the next call into the interpreter or the
    regex engine's own check)."""
    from flows.batch import prepare_transforms, transform_batch
    from flows.files import DEFAULT_MAX_BYTES, discover_files, split_records

    call = "وزیران امور خارجه ایران و ترکیه روز دوشنبه در تماس تلفنی درباره تحولات منطقه گفت‌وگو کردند."
    # as long as the size limit lets a file be, so the whole is many budgets long
    (tmp_path / "long.txt").write_text("خبر بلند\n\n" + "\n".join([call] * 28_000), encoding="utf-8")
    budget = 0.1
    batch = split_records(discover_files([tmp_path]))
    pool = WorkerPool(1, compiled_dir=built)
    try:
        pool.run(prepare_transforms)
        started = time.monotonic()
        whole = pool.run(transform_batch, batch)  # the default budget, far more than it needs
        whole_seconds = time.monotonic() - started
        started = time.monotonic()
        cut = pool.run(transform_batch, batch, DEFAULT_MAX_BYTES, budget)
        cut_seconds = time.monotonic() - started
        names = pool.run(compiled.imported_compiled)
    finally:
        pool.close()
    assert "transforms.cleaning" in names and "transforms.extraction.calls" in names
    assert whole.outcomes["rejected"].to_list() == [False]
    assert cut.outcomes.select("rejected", "reason").rows() == [(True, f"transform_timeout:over {budget:g} s")]
    # stopped on time, not when the work was done anyway
    assert whole_seconds > 3 * budget and cut_seconds < whole_seconds / 2, (whole_seconds, cut_seconds)


def _imported_compiled_after(*_work) -> list[str]:
    return compiled.imported_compiled()


def test_a_batch_done_again_alone_imports_the_compiled_modules_too(built):
    """run_alone (a batch halved to find the file that kills its worker) gets the work
    after the compiled finder is in place, though unpickling it imports transforms."""
    from flows.batch import transform_batch
    from flows.pool import run_alone

    names = run_alone(_imported_compiled_after, transform_batch, timeout=300, compiled_dir=built)
    assert "transforms.parsing" in names  # imported with flows.batch, when the work is unpickled


def test_a_traceback_through_a_compiled_module_shows_its_source_line(built):
    code = ("import sys, traceback; from core import compiled; compiled.use_directory(sys.argv[1])\n"
            "from transforms.cleaning import clean_text\n"
            "try:\n    clean_text(12345)\nexcept TypeError:\n    traceback.print_exc()\n")
    done = subprocess.run([sys.executable, "-c", code, str(built)], capture_output=True, text=True, cwd=REPO,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    assert 'File "transforms/cleaning.py", line' in done.stderr
    assert "return clean_texts([raw])[0]" in done.stderr  # the line itself, read from the source
