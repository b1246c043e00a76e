"""What a run does before it takes the writer lock and imports Prefect (flows/early.py),
and the pieces it hands the flow: the listing made in a child process (flows/walk.py),
the published state and the copy of the warehouse made early (warehouse/store.py
``EarlyCopy``)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from flows.files import discover_files, discover_in_child
from flows.walk import InputError
from warehouse import backend as backends
from warehouse import store

ROOT = Path(__file__).resolve().parent.parent


def _tree(tmp_path: Path) -> Path:
    """Every kind of entry the listing has a rule for."""
    top = tmp_path / "in"
    (top / "a" / "deep" / "er").mkdir(parents=True)
    (top / "a" / "one.txt").write_text("خبر", encoding="utf-8")
    (top / "a" / "deep" / "er" / "two.json").write_text('{"text": "خبر"}', encoding="utf-8")
    (top / ".hidden").write_text("x", encoding="utf-8")
    (top / "a" / ".git").mkdir()
    (top / "a" / ".git" / "config").write_text("x", encoding="utf-8")
    (top / "big.txt").write_bytes(b"x" * 3000)
    (top / "big.jsonl").write_bytes(b'{"text": "x"}\n' * 300)  # over the limit, read record by record
    outside = tmp_path / "outside.txt"
    outside.write_text("x", encoding="utf-8")
    (top / "out.txt").symlink_to(outside)
    (top / "in.txt").symlink_to(top / "a" / "one.txt")
    (top / "gone.txt").symlink_to(top / "missing.txt")
    (top / "loop.txt").symlink_to(top / "loop.txt")
    (top / "folder-link").symlink_to(top / "a")
    os.mkfifo(top / "pipe.txt")
    return top


def test_the_child_lists_what_this_process_lists(tmp_path):
    """The head start lists in a child process; its frame must be the one the flow's own
    discovery makes, rule for rule (hidden entries, links in and out of the folder,
    dangling links and loops, folder links, FIFOs, the size limit and its .jsonl
    exception), for folders and single files alike."""
    top = _tree(tmp_path)
    limit = 2048
    here = discover_files([top, top / "a" / "one.txt"], limit)
    child = discover_in_child([top, top / "a" / "one.txt"], limit)
    assert child.equals(here)
    reasons = dict(zip(here["source_path"].str.replace(f"{top}/", "", literal=True), here["skip_reason"]))
    assert reasons == {
        "a/deep/er/two.json": None, "a/one.txt": None, "big.jsonl": None,
        "big.txt": "too_large:3000 bytes > 2048", "folder-link": "directory_symlink", "gone.txt": "dangling_symlink",
        "in.txt": None, "loop.txt": "unreadable:Too many levels of symbolic links", "out.txt": "symlink_outside_root",
        "pipe.txt": "not_regular_file",
    }
    (tmp_path / "empty").mkdir()
    assert discover_in_child([tmp_path / "empty"], limit).height == 0
    with pytest.raises(InputError, match="no such file or folder: .*nothere"):
        discover_in_child([top, tmp_path / "nothere"], limit)


def test_the_listing_child_starts_with_the_standard_library_only():
    """The child's point is to start in milliseconds on the other core: flows/walk.py and
    what it imports must not pull in polars, DuckDB or the project's heavy modules."""
    probe = (
        "import sys; sys.path.insert(0, sys.argv[1]); before = set(sys.modules); import flows.walk; "
        "print(' '.join(sorted(m for m in set(sys.modules) - before if not m.startswith('_'))))"
    )
    imported = subprocess.run([sys.executable, "-I", "-S", "-c", probe, str(ROOT)], capture_output=True, text=True,
                              check=True).stdout.split()
    ours = [m for m in imported if m.split(".")[0] in {"flows", "core", "transforms", "warehouse", "app"}]
    assert ours == ["flows", "flows.child", "flows.walk"]
    assert not {"polars", "duckdb", "pyarrow", "prefect", "pydantic"} & {m.split(".")[0] for m in imported}


def _warehouse(path: Path, rows: int = 1000) -> None:
    with store.writer_lock(path), store.staged_copy(path) as con:
        con.execute("CREATE TABLE IF NOT EXISTS numbers (n BIGINT)")
        con.execute(f"INSERT INTO numbers SELECT range FROM range({rows})")
    store.wait_for_removals()  # the file it replaced, removed in the background


def _count(path: Path) -> int:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute("SELECT count(*) FROM numbers").fetchone()[0]


def _beside(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir() if p.name != path.name and not p.name.endswith((".lock", ".tmp")))


def test_a_copy_made_before_the_lock_is_the_run_s_while_the_warehouse_is_the_one_copied(tmp_path):
    """The copy made early is moved into place (the same file, not copied again) when
    nothing was published since it was made; the run then publishes as usual."""
    path = tmp_path / "w.duckdb"
    _warehouse(path)
    early = store.EarlyCopy(path, store.file_identity(path))
    assert early._copied.wait(30)
    copied_inode = os.stat(early.copy_path).st_ino
    with store.writer_lock(path), store.staged_copy(path, early) as con:
        assert os.stat(path.with_name("w.duckdb.next")).st_ino == copied_inode
        con.execute("INSERT INTO numbers VALUES (-1)")
    assert _count(path) == 1001 and os.stat(path).st_ino == copied_inode
    assert _beside(path) == []


def test_a_copy_of_a_warehouse_replaced_since_is_removed_and_the_current_one_copied(tmp_path):
    """Another run published between the early copy and this run's lock: the early copy
    holds the old rows, so the run must copy the warehouse again, and remove the early one."""
    path = tmp_path / "w.duckdb"
    _warehouse(path)
    early = store.EarlyCopy(path, store.file_identity(path))
    _warehouse(path, rows=10)  # another run publishes: a new file in the warehouse's place
    with store.writer_lock(path), store.staged_copy(path, early) as con:
        assert con.execute("SELECT count(*) FROM numbers").fetchone()[0] == 1010
    assert not early.copy_path.exists() and _beside(path) == []

    stopped = store.EarlyCopy(path, store.file_identity(path))  # a run that stops before its lock removes its copy
    stopped.discard()
    assert not stopped.copy_path.exists() and _beside(path) == []
    assert store.EarlyCopy(path, store.file_identity(path)).take(path.with_name("w.duckdb.next")) is not None


def test_what_killed_runs_left_beside_the_warehouse_is_removed_by_the_next_run(tmp_path):
    """A run killed after its early copy leaves a file named after its pid; the next run
    removes those of processes that no longer exist, and leaves a live process's alone."""
    path = tmp_path / "w.duckdb"
    _warehouse(path)
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        for name in (f"w.duckdb.early-{dead.pid}", f"w.duckdb.early-{live.pid}", f"w.duckdb.replaced-{live.pid}"):
            (tmp_path / name).write_bytes(b"left")
        # killed between naming the published file a second time and the rename: only that name goes
        os.link(path, tmp_path / f"w.duckdb.replaced-{dead.pid}")
        _warehouse(path)
        assert _beside(path) == [f"w.duckdb.early-{live.pid}", f"w.duckdb.replaced-{live.pid}"]
        assert _count(path) == 2000
    finally:
        live.kill()
        live.wait()


def test_a_publish_frees_the_replaced_file_after_the_rename_and_readers_keep_it(tmp_path):
    """The file a publish replaces keeps a second name until the rename is done, and
    loses it in a thread the run does not wait for: a reader that had it open still reads
    it whole, the warehouse path is the new file at once, and nothing is left beside it."""
    import hashlib

    path = tmp_path / "w.duckdb"
    _warehouse(path)
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    with open(path, "rb") as reader:  # a reader's open file (a dashboard's DuckDB holds one)
        with store.writer_lock(path), store.staged_copy(path) as con:
            con.execute("INSERT INTO numbers SELECT range FROM range(500)")
        assert _count(path) == 1500
        assert [thread.name for thread in store._REMOVALS] == ["remove-replaced-warehouse"]
        store.wait_for_removals()
        assert _beside(path) == []
        assert hashlib.sha256(reader.read()).hexdigest() == before


def test_the_state_read_before_the_lock_is_used_only_while_nothing_was_published(ingest, seed_dir, warehouse):
    """The head start reads the published file state without the lock; under the lock,
    the flow uses it only if the warehouse is still the file it was read from, and reads
    its copy's state otherwise (a run published in between)."""
    ingest(seed_dir)
    backend = backends.for_warehouse(str(warehouse))
    early = backend.head_start()
    try:
        read_early = early.files
        assert sorted(read_early["source_path"]) == sorted(str(p) for p in seed_dir.iterdir())
        with backend.lock(), backend.session() as con:
            assert backend.file_state(con, early)[0] is read_early
        assert early.files is None  # handed over, not kept to the end of the run
    finally:
        early.discard()

    (seed_dir / "late.txt").write_text("تماس تلفنی وزیران خارجه ایران و ترکیه", encoding="utf-8")
    stale = backend.head_start()
    ingest(seed_dir)  # publishes: the state read above is stale now
    try:
        with backend.lock(), backend.session(stale) as con:
            files, _ = backend.file_state(con, stale)
            assert files is not stale.files and str(seed_dir / "late.txt") in set(files["source_path"])
        assert not stale.copy.copy_path.exists()  # the stale copy was removed, not used
    finally:
        stale.discard()


def test_no_head_start_copy_while_another_run_writes_and_no_state_beside_a_log(tmp_path):
    """While another process holds the writer lock, its publish would make a copy stale
    and the copy would take a third file's worth of disk beside the writer's: the head
    start reads the state only. A log beside the file (which a reader replays and a copy
    of the file would not hold) means no head start at all."""
    path = tmp_path / "w.duckdb"
    _warehouse(path)
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; sys.path.insert(0, sys.argv[1]); from pathlib import Path; "
         "from warehouse import store\nwith store.writer_lock(Path(sys.argv[2])):\n print('locked', flush=True); "
         "time.sleep(60)", str(ROOT), str(path)],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        state = backends.for_warehouse(str(path)).head_start()
        assert state is not None and state.copy is None and state.source == store.file_identity(path)
    finally:
        holder.kill()
        holder.wait()
    state = backends.for_warehouse(str(path)).head_start()
    assert state.copy is not None
    state.discard()
    assert _beside(path) == []

    path.with_name("w.duckdb.wal").write_bytes(b"")
    assert backends.for_warehouse(str(path)).head_start() is None
    assert _beside(path) == ["w.duckdb.wal"]


def test_a_run_that_ends_before_its_flow_leaves_no_early_copy(tmp_path, seed_dir):
    """``close`` (the CLI's last step) stops the head start and removes the copy no flow
    took, and the warehouse's state is dropped with it."""
    from flows import early

    path = tmp_path / "wh" / "w.duckdb"
    _warehouse(path, rows=200000)
    early.start([str(seed_dir)], 5 * 1024 * 1024, str(path))
    early.close()
    assert early._STATES == {} and early._RUNNING == [] and _beside(path) == []


def _last_run_rows(path: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(path), read_only=True) as con:
        return sorted(con.execute(sql).fetchall(), key=repr)


def test_a_run_with_nothing_to_read_finds_its_rows_written_by_its_head_start(ingest, seed_dir, warehouse, tmp_path):
    """A re-run over unchanged files (and one still rejected for its bytes) has its
    ingest_file rows and ingest_file_latest written into the early copy by the head
    start, before the flow starts; the flow takes them as its own. The warehouse ends as
    the same re-run without a head start leaves its twin."""
    from flows import early
    from flows.files import DEFAULT_MAX_BYTES
    from flows.ingest import ingest_articles

    (seed_dir / "english.txt").write_text("A note in English, which no Persian reader loads.", encoding="utf-8")
    first = ingest(seed_dir)
    assert first.counts["rejected"] == 1
    twin = tmp_path / "twin.duckdb"
    twin.write_bytes(warehouse.read_bytes())

    early.start([str(seed_dir)], DEFAULT_MAX_BYTES, str(warehouse))
    early._finished()
    recorded = early._STATES[str(warehouse)].recorded
    assert recorded is not None and recorded.counts["unchanged"] == first.counts["loaded"] + first.counts["duplicate"]
    again = ingest(seed_dir)
    alone = ingest_articles(paths=[str(seed_dir)], warehouse=str(twin))

    assert again.run_id == recorded.run_id and again.counts == alone.counts
    assert again.counts["unchanged"] == 2 and again.counts["rejected"] == 1 and again.counts["loaded"] == 0
    for sql in (
        "SELECT * EXCLUDE (run_id), run_id = (SELECT max_by(run_id, started_at) FROM ingest_run) FROM ingest_file "
        "WHERE run_id = (SELECT max_by(run_id, started_at) FROM ingest_run)",
        "SELECT * EXCLUDE (run_id), run_id = (SELECT max_by(run_id, started_at) FROM ingest_run) FROM ingest_file_latest",
        "SELECT status, files_seen, articles_loaded, duplicates, unchanged, rejected, calls_found FROM ingest_run",
    ):
        assert _last_run_rows(warehouse, sql) == _last_run_rows(twin, sql), sql
    assert _beside(warehouse) == []


def test_rows_written_early_into_a_copy_made_stale_are_not_the_run_s(ingest, seed_dir, warehouse):
    """A run published between the head start's rows and the lock: the copy holding them
    is removed, and the flow records its run in a copy of what is published now."""
    from flows import early
    from flows.files import DEFAULT_MAX_BYTES

    ingest(seed_dir)
    early.start([str(seed_dir)], DEFAULT_MAX_BYTES, str(warehouse))
    early._finished()
    recorded = early._STATES[str(warehouse)].recorded
    assert recorded is not None
    with store.writer_lock(warehouse), store.staged_copy(warehouse) as con:  # another writer publishes
        con.execute("CREATE TABLE published_meanwhile AS SELECT 1 AS n")
    store.wait_for_removals()
    again = ingest(seed_dir)
    assert again.run_id != recorded.run_id and again.counts["unchanged"] == 2
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM published_meanwhile").fetchone() == (1,)
        assert con.execute("SELECT count(*) FROM ingest_file WHERE run_id = ?", [recorded.run_id]).fetchone() == (0,)
        assert con.execute("SELECT count(DISTINCT run_id) FROM ingest_file_latest").fetchone() == (1,)
        assert con.execute("SELECT any_value(run_id) FROM ingest_file_latest").fetchone() == (again.run_id,)
    assert _beside(warehouse) == []


def test_an_early_copy_is_written_only_as_a_run_would_find_it_and_an_error_removes_it(tmp_path, ingest, seed_dir, warehouse):
    """``EarlyCopy.write`` leaves a copy of a warehouse whose schema a run would first
    upgrade as it is, and a copy whose statements failed is gone: the run copies again."""
    path = tmp_path / "w.duckdb"
    _warehouse(path)  # no ingest_run: not a warehouse of the current schema
    copy = store.EarlyCopy(path, store.file_identity(path))
    assert copy.write(lambda con: con.execute("DELETE FROM numbers")) is False
    with store.writer_lock(path), store.staged_copy(path, copy) as con:
        assert con.execute("SELECT count(*) FROM numbers").fetchone() == (1000,)
    assert copy.taken
    store.wait_for_removals()

    ingest(seed_dir)
    failing = store.EarlyCopy(warehouse, store.file_identity(warehouse))

    def fails(con):
        con.execute("DELETE FROM ingest_file")
        raise RuntimeError("a statement failed")

    with pytest.raises(RuntimeError, match="a statement failed"):
        failing.write(fails)
    assert not failing.copy_path.exists()
    with store.writer_lock(warehouse), store.staged_copy(warehouse, failing) as con:
        assert con.execute("SELECT count(*) FROM ingest_file").fetchone()[0] > 0
    assert not failing.taken
    store.wait_for_removals()
    assert _beside(warehouse) == []


def test_rows_written_early_for_another_input_are_not_the_run_s(ingest, seed_dir, warehouse):
    """Rows the head start recorded for one input (paths and file size limit) are never
    taken by a flow over another: their copy is removed and the flow copies again."""
    from flows import early
    from flows.files import DEFAULT_MAX_BYTES

    ingest(seed_dir)
    early.start([str(seed_dir)], DEFAULT_MAX_BYTES, str(warehouse))
    early._finished()
    recorded = early._STATES[str(warehouse)].recorded
    assert recorded is not None
    again = ingest(seed_dir, max_bytes=DEFAULT_MAX_BYTES // 2)
    assert again.run_id != recorded.run_id and again.counts["unchanged"] == 2
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM ingest_file WHERE run_id = ?", [recorded.run_id]).fetchone() == (0,)
        assert con.execute("SELECT count(*) FROM ingest_file WHERE run_id = ?", [again.run_id]).fetchone() == (2,)
    assert early._STATES == {} and _beside(warehouse) == []
