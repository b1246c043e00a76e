"""Issue 18: no file can stop a run, no run leaves processes behind, no reader can write
and every reader sees the latest publish. Real `tamas` processes, real files, real
DuckDB; processes are watched by PID under a child subreaper, never by name."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import duckdb
import pytest

from tests.hooking import hooked
from test_cli import SUBREAPER_PRELUDE

TAMAS = Path(sys.executable).with_name("tamas")
REPO = Path(__file__).resolve().parents[1]
CALL = (
    "به گزارش خبرگزاری ایرنا، سید عباس عراقچی وزیر امور خارجه کشورمان دیروز در تماس تلفنی با "
    "هاکان فیدان وزیر امور خارجه ترکیه درباره آخرین تحولات منطقه و همکاری‌های اقتصادی گفت‌وگو کرد."
)


def _env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("PREFECT_API_URL", "TAMAS_TEST_HOOK")}
    env.update({k: str(v) for k, v in extra.items()})
    return hooked(env)  # a run that is to stop at a stage gets the hooks (tests/hooks/)


def _tamas(*args, env=None, timeout=300) -> subprocess.CompletedProcess:
    return subprocess.run([str(TAMAS), *map(str, args)], capture_output=True, text=True, timeout=timeout, env=env or _env())


def _query(path: Path, sql: str):
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# ---------------------------------------------------------------- a file's failure stays that file's


def _poison_folder(folder: Path) -> None:
    folder.mkdir(parents=True)
    (folder / "good.txt").write_text("خبر خوب\n\n" + CALL, encoding="utf-8")
    (folder / "good.json").write_text(json.dumps({"title": "دوم", "text": CALL + " خبر دوم."}, ensure_ascii=False), encoding="utf-8")
    (folder / "bomb.json").write_bytes(b"[" * 100_000 + b"]" * 100_000)  # 200 KB, 100,000 deep
    nested = "[" * 3_000 + "]" * 3_000  # an 18 KB .jsonl line nested 3,000 deep
    (folder / "nested.jsonl").write_text(json.dumps({"text": CALL + " سطح یکم."}, ensure_ascii=False) + "\n" + nested + "\n", encoding="utf-8")
    (folder / "only-nested.jsonl").write_text(nested + "\n", encoding="utf-8")
    # A real poison for extraction: published on 1 January of year 1, a call "yesterday"
    # is dated a day before the first representable date (OverflowError).
    (folder / "year-one.json").write_text(
        json.dumps({"text": CALL + " خبر سوم.", "published_at": "0001-01-01T12:00:00Z"}, ensure_ascii=False), encoding="utf-8"
    )


def test_poison_files_are_rejected_alone_and_not_read_again(tmp_path):
    folder, warehouse = tmp_path / "in", tmp_path / "w" / "tamas.duckdb"
    _poison_folder(folder)
    first = _tamas("ingest", folder, "--warehouse", warehouse)
    assert first.returncode == 0, first.stderr
    assert "files seen 6 / loaded 3 / duplicate 0 / unchanged 0 / rejected 3" in first.stdout
    assert "rejected by reason: extract_failed 1, invalid_json 1, no_valid_lines 1" in first.stdout
    rows = dict((name, (outcome, reason)) for name, outcome, reason in _query(
        warehouse, "SELECT regexp_extract(source_path, '[^/]+$'), outcome, reason FROM ingest_file"))
    assert rows["bomb.json"] == ("rejected", "invalid_json:nesting too deep")
    assert rows["nested.jsonl"] == ("loaded", "line 2: invalid_json:nesting too deep")
    assert rows["only-nested.jsonl"] == ("rejected", "no_valid_lines:line 1: invalid_json:nesting too deep")
    assert rows["year-one.json"] == ("rejected", "extract_failed:OverflowError")
    assert rows["good.txt"][0] == rows["good.json"][0] == "loaded"
    assert _query(warehouse, "SELECT count(*) FROM dim_article")[0][0] == 3
    assert _query(warehouse, "SELECT count(*) FROM call_mention")[0][0] == 3

    second = _tamas("ingest", folder, "--warehouse", warehouse)
    assert second.returncode == 0, second.stderr
    assert "files seen 6 / loaded 0 / duplicate 0 / unchanged 3 / rejected 3" in second.stdout
    reasons = _query(warehouse, """
        SELECT f.outcome, f.reason FROM ingest_file f JOIN ingest_run r USING (run_id)
        WHERE r.started_at = (SELECT max(started_at) FROM ingest_run)""")
    # Nothing is read again: the good files by size and mtime, the poison ones because
    # they were rejected for what they hold and have not changed.
    assert all(reason.startswith("path, size and mtime unchanged") for outcome, reason in reasons if outcome == "unchanged")
    assert all(reason.endswith("(file unchanged since it was rejected: not read again)") for outcome, reason in reasons if outcome == "rejected")


def test_a_file_over_its_time_budget_is_rejected_and_the_others_load(ingest, tmp_path, query, monkeypatch):
    folder = tmp_path / "slow"
    folder.mkdir()
    (folder / "a-good.txt").write_text("خبر\n\n" + CALL, encoding="utf-8")
    # ~4 MB of call reports: cleaning and extraction take over a second, several times
    # the batch's budget (0.25 s a file); the one short report takes milliseconds.
    (folder / "b-long.txt").write_text("خبر بلند\n\n" + "\n".join([CALL] * 12_000), encoding="utf-8")
    monkeypatch.setenv("TAMAS_FILE_SECONDS", "0.25")
    summary = ingest(folder)
    assert summary.counts["loaded"] == 1 and summary.counts["rejected"] == 1
    assert query("SELECT outcome, reason FROM ingest_file WHERE source_path LIKE '%b-long.txt'") == [
        ("rejected", "transform_timeout:over 0.25 s")]


def test_a_reference_loaded_anew_is_built_before_the_files_budget(ingest, tmp_path, monkeypatch):
    """The gazetteer and occasions are built per reference object: one loaded anew in the
    same process (load_reference's cache cleared) is built before the first file's budget
    starts, not inside it. A 0.25 s budget is far less than that build and far more than
    one short report."""
    from transforms.reference import load_reference

    first, second = tmp_path / "first", tmp_path / "second"
    for folder in (first, second):
        folder.mkdir()
        (folder / "call.txt").write_text(f"خبر {folder.name}\n\n" + CALL, encoding="utf-8")
    assert ingest(first).counts["loaded"] == 1  # this process's resources are built
    load_reference.cache_clear()
    monkeypatch.setenv("TAMAS_FILE_SECONDS", "0.25")
    summary = ingest(second)
    assert summary.counts["loaded"] == 1 and summary.counts["rejected"] == 0, summary.counts


def test_an_article_too_long_to_read_whole_says_so(ingest, tmp_path, query):
    """A text over the extraction cap loads whole, is read for calls up to a line end
    before the cap, and says so: dim_article.extracted_chars, its file's note and the run
    summary."""
    folder = tmp_path / "long"
    folder.mkdir()
    filler = "بازار سهام تهران امروز با رشد شاخص کل همراه بود و ارزش معاملات افزایش یافت."
    later = "رئیس‌جمهور روسیه امروز در تماس تلفنی با صدراعظم آلمان درباره آتش‌بس گفت‌وگو کرد."
    (folder / "long.txt").write_text("\n".join(["خبر بلند", CALL, *[filler] * 2_000, later]), encoding="utf-8")
    (folder / "short.txt").write_text("\n".join(["خبر کوتاه", CALL, filler, later]), encoding="utf-8")
    summary = ingest(folder)
    assert summary.counts["loaded"] == 2 and summary.counts["articles_cut"] == 1
    assert "articles too long to read whole: 1" in "\n".join(summary.lines())
    rows = dict(query("SELECT regexp_extract(source_path, '[^/]+$'), extracted_chars FROM dim_article"))
    assert rows["short.txt"] is None and 50_000 < rows["long.txt"] <= 100_000
    total = query("SELECT length(clean_text) FROM dim_article WHERE source_path LIKE '%long.txt'")[0][0]
    assert query("SELECT outcome, reason FROM ingest_file WHERE source_path LIKE '%long.txt'") == [
        ("loaded", f"calls extracted from the first {rows['long.txt']} of {total} characters")]
    calls = query("SELECT regexp_extract(a.source_path, '[^/]+$'), count(*) FROM call_mention m"
                  " JOIN dim_article a USING (article_id) GROUP BY 1")
    assert dict(calls) == {"short.txt": 2, "long.txt": 1}


def test_a_budget_that_runs_out_inside_a_finaliser_still_stops_the_work():
    # Python prints and drops an exception raised in a __del__ (or a gc callback, which
    # is where CI lost one): the budget must raise again until the work stops.
    from flows.batch import OverBudget, time_budget

    class SlowToFinalise:
        def __del__(self):
            time.sleep(0.3)  # the budget runs out in here, first

    started = time.monotonic()
    with pytest.raises(OverBudget):
        with time_budget(0.1):
            SlowToFinalise()
            while time.monotonic() - started < 10:
                pass
    assert time.monotonic() - started < 2
    time.sleep(0.5)  # the budget, once left, raises nothing more


def test_a_process_that_dies_is_reported_with_its_status():
    from flows.pool import WorkerDied, run_alone

    assert run_alone(len, "abc", timeout=120) == 3
    with pytest.raises(WorkerDied, match="exit status 3"):
        run_alone(os._exit, 3, timeout=120)
    with pytest.raises(WorkerDied, match="signal SIGKILL"):
        run_alone(signal.raise_signal, signal.SIGKILL, timeout=120)
    with pytest.raises(ZeroDivisionError):  # an exception is not a death: raised as it is
        run_alone(divmod, 1, 0, timeout=120)


# ---------------------------------------------------------------- children die with the run

# Runs `tamas` as a child subreaper's child: whatever it leaves running is re-parented to
# the launcher, so the test sees exactly the processes that run started and no other.
_LAUNCHER = SUBREAPER_PRELUDE + r"""
report, sig, marker, args = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4:]
if sig == signal.SIGINT:
    # Ctrl-C typed at the terminal: the run's own pseudo-terminal, whose line discipline
    # sends SIGINT to its foreground process group (the run and whatever shares its group)
    import fcntl, pty, termios
    master, slave = pty.openpty()

    def at_a_terminal():
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)
        signal.signal(signal.SIGINT, signal.SIG_DFL)  # as a shell's foreground job has it

    run = subprocess.Popen(args, stdin=slave, start_new_session=True, preexec_fn=at_a_terminal)
else:
    run = subprocess.Popen(args)
deadline = time.monotonic() + 240
while not os.path.exists(marker) and run.poll() is None and time.monotonic() < deadline:
    time.sleep(0.05)
started = alive()
sent = time.monotonic()
if sig == signal.SIGINT:
    os.write(master, b"\x03")
else:
    os.kill(run.pid, sig)
try:
    code = run.wait(timeout=30)
except subprocess.TimeoutExpired:
    code = None
exited = time.monotonic() - sent
while alive() and time.monotonic() - sent < 5:
    time.sleep(0.05)
left = alive()
for pid in left:
    os.kill(pid, 9)  # ours: nothing is left behind by the test either
if run.poll() is None:
    run.kill()
json.dump({"returncode": code, "exited_after": exited, "started": started, "left_after_5s": left}, open(report, "w"))
"""


@pytest.fixture(scope="module")
def pool_folder(tmp_path_factory) -> Path:
    """Enough files for the run to use its process pool (POOL_MIN_FILES)."""
    from flows.early import POOL_MIN_FILES

    folder = tmp_path_factory.mktemp("pool-input")
    for i in range(POOL_MIN_FILES + 50):
        (folder / f"{i:04}.txt").write_text(f"خبر {i}\n\n{CALL} شماره {i}.", encoding="utf-8")
    return folder


def _signal_mid_transform(tmp_path: Path, folder: Path, warehouse: Path, sig: int) -> dict:
    marker = tmp_path / f"paused-{sig}"
    report = tmp_path / f"processes-{sig}.json"
    env = _env(TAMAS_TEST_HOOK="transform:pause", TAMAS_TEST_HOOK_FILE=marker)
    args = [str(TAMAS), "ingest", str(folder), "--warehouse", str(warehouse), "--workers", "2"]
    run = subprocess.run([sys.executable, "-c", _LAUNCHER, str(report), str(sig), str(marker), *args],
                         capture_output=True, text=True, timeout=400, env=env)
    assert run.returncode == 0, run.stderr[-3000:]
    assert marker.exists(), run.stderr[-3000:]  # it was stopped mid-transform, not before
    result = json.loads(report.read_text())
    result["stderr"] = run.stderr
    return result


def test_kill_9_of_an_ingest_leaves_none_of_its_processes(tmp_path, pool_folder):
    result = _signal_mid_transform(tmp_path, pool_folder, tmp_path / "w" / "tamas.duckdb", signal.SIGKILL)
    started = result["started"].values()
    # What it had started: the temporary Prefect server and two pool workers.
    assert any("flows.prefect_server:create_app" in cmd for cmd in started), started
    assert sum("multiprocessing.spawn" in cmd for cmd in started) == 2, started
    assert result["returncode"] == -signal.SIGKILL
    assert result["left_after_5s"] == {}, result


def test_sigterm_mid_extraction_stops_within_10_s_and_keeps_the_warehouse(tmp_path, pool_folder, seed_dir):
    warehouse = tmp_path / "w" / "tamas.duckdb"
    assert _tamas("ingest", seed_dir, "--warehouse", warehouse).returncode == 0
    articles = _query(warehouse, "SELECT count(*) FROM dim_article")
    result = _signal_mid_transform(tmp_path, pool_folder, warehouse, signal.SIGTERM)
    print(f"\nSIGTERM: exited after {result['exited_after']:.2f} s")
    assert result["returncode"] == 128 + signal.SIGTERM, result["stderr"][-2000:]
    assert result["exited_after"] < 10
    assert result["left_after_5s"] == {}, result
    assert "tamas: error: stopped by SIGTERM" in result["stderr"]
    assert _query(warehouse, "SELECT status, error FROM ingest_run ORDER BY started_at") == [
        ("completed", None), ("failed", "stopped by SIGTERM")]
    assert _query(warehouse, "SELECT count(*) FROM dim_article") == articles
    assert sorted(p.name for p in warehouse.parent.iterdir()) == ["tamas.duckdb", "tamas.duckdb.lock"]


def test_ctrl_c_at_a_terminal_mid_extraction_stops_within_10_s(tmp_path, pool_folder, seed_dir):
    warehouse = tmp_path / "w" / "tamas.duckdb"
    assert _tamas("ingest", seed_dir, "--warehouse", warehouse).returncode == 0
    result = _signal_mid_transform(tmp_path, pool_folder, warehouse, signal.SIGINT)
    print(f"\nCtrl-C: exited after {result['exited_after']:.2f} s")
    assert sum("multiprocessing.spawn" in cmd for cmd in result["started"].values()) == 2, result
    assert result["returncode"] == 128 + signal.SIGINT, result["stderr"][-2000:]
    assert result["exited_after"] < 10
    assert result["left_after_5s"] == {}, result
    assert "tamas: error: stopped by SIGINT" in result["stderr"]
    assert _query(warehouse, "SELECT status, error FROM ingest_run ORDER BY started_at") == [
        ("completed", None), ("failed", "stopped by SIGINT")]


# ---------------------------------------------------------------- readers cannot write


def test_sql_refuses_anything_but_reads_and_the_warehouse_stays(tmp_path, seed_dir):
    warehouse = tmp_path / "w" / "tamas.duckdb"
    assert _tamas("ingest", seed_dir, "--warehouse", warehouse).returncode == 0
    before = _sha(warehouse)
    for statement, kind in [
        (f"COPY (SELECT 1) TO '{warehouse}'", "COPY"),
        (f"COPY (SELECT 'x') TO '{warehouse}' (FORMAT csv)", "COPY"),
        (f"ATTACH '{tmp_path / 'other.duckdb'}' AS other", "ATTACH"),
        ("SET threads = 1; SELECT 1", "SET"),
        ("INSTALL httpfs", "LOAD"),
        ("LOAD fts", "LOAD"),
        ("SELECT 1; DELETE FROM fact_call", "DELETE"),
        (f"EXPORT DATABASE '{tmp_path / 'dump'}'", "EXPORT"),
    ]:
        refused = _tamas("sql", statement, "--warehouse", warehouse)
        assert refused.returncode == 2, (statement, refused.stdout)
        assert refused.stderr.strip() == (
            f"tamas: error: tamas sql is read-only: it runs SELECT, EXPLAIN, DESCRIBE and SHOW statements, not {kind}"), refused.stderr
        assert refused.stdout == ""
    assert _sha(warehouse) == before
    assert not (tmp_path / "other.duckdb").exists() and not (tmp_path / "dump").exists()

    csv = tmp_path / "pairs.csv"
    csv.write_text("a,b\n7,8\n", encoding="utf-8")
    out = _tamas("sql", f"SELECT count(*) AS calls FROM fact_call; SELECT a + b AS s FROM read_csv('{csv}'); DESCRIBE v_calls; SHOW TABLES",
                 "--warehouse", warehouse)
    assert out.returncode == 0, out.stderr
    assert "15" in out.stdout and "participant_names" in out.stdout and "dim_article" in out.stdout
    assert _tamas("sql", "EXPLAIN SELECT * FROM v_calls", "--warehouse", warehouse).returncode == 0
    assert _sha(warehouse) == before


# ---------------------------------------------------------------- readers see the latest publish


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _health(base: str) -> dict:
    with urllib.request.urlopen(base + "/healthz", timeout=30) as response:
        return json.loads(response.read())


def test_dashboard_shows_a_publish_on_the_first_request_while_50_clients_poll(ingest, warehouse, seed_dir, tmp_path):
    ingest(seed_dir)
    port = _free_port()
    log = open(tmp_path / "dashboard.log", "w")
    dashboard = subprocess.Popen(
        [str(TAMAS), "dashboard", "--port", str(port), "--warehouse", str(warehouse)],
        stdout=log, stderr=subprocess.STDOUT, env=_env(),
    )
    base = f"http://127.0.0.1:{port}"
    stop = threading.Event()
    clients: list[threading.Thread] = []
    published_at = [None]
    answers, errors = [], []

    def poll():
        while not stop.is_set():
            asked = time.monotonic()
            try:
                runs = _health(base)["runs"]
                answers.append((asked, runs))
            except Exception as exc:  # noqa: BLE001: counted, the test fails on any
                errors.append(repr(exc))

    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                assert _health(base)["runs"] == 1
                break
            except OSError:
                assert dashboard.poll() is None and time.monotonic() < deadline, (tmp_path / "dashboard.log").read_text()
                time.sleep(0.3)
        clients += [threading.Thread(target=poll, daemon=True) for _ in range(50)]
        for client in clients:
            client.start()
        time.sleep(2)  # 50 clients polling: connections open at every moment
        (seed_dir / "new.txt").write_text("خبر تازه\n\n" + CALL, encoding="utf-8")
        assert ingest(seed_dir).status == "completed"
        published_at[0] = time.monotonic()
        first = _health(base)  # the first request after the publish
        time.sleep(2)
    finally:
        stop.set()
        for client in clients:
            client.join(timeout=60)
        dashboard.terminate()
        dashboard.wait(timeout=30)
        log.close()
    assert first["runs"] == 2 and first["articles"] == 3, first
    after = [runs for asked, runs in answers if asked > published_at[0]]
    print(f"\n{len(answers)} answers to 50 clients, {len(after)} after the publish, errors {len(errors)}")
    assert errors == []
    assert len(answers) > 100 and after and set(after) == {2}


# ---------------------------------------------------------------- every path accounted


def test_unlistable_folders_and_folder_links_get_a_row_and_a_deep_tree_is_no_traceback(tmp_path, seed_dir):
    folder = seed_dir
    (folder / "locked").mkdir()
    (folder / "locked" / "x.txt").write_text("خبر\n\n" + CALL, encoding="utf-8")
    os.chmod(folder / "locked", 0)
    (tmp_path / "elsewhere").mkdir()
    os.symlink(tmp_path / "elsewhere", folder / "outside-link")
    (folder / "inside").mkdir()
    os.symlink(folder / "inside", folder / "inside-link")
    current = folder / "deep"
    current.mkdir()
    for _ in range(1000):  # one level at a time: pathlib's parents=True recurses
        current = current / "d"
        current.mkdir()
    (current / "bottom.txt").write_text("خبر ژرف\n\n" + CALL + " در ژرفا.", encoding="utf-8")
    warehouse = tmp_path / "w" / "tamas.duckdb"
    args = [str(TAMAS), "ingest", str(folder), "--warehouse", str(warehouse)]
    if os.geteuid() == 0:  # root lists any folder: drop the capabilities that allow it
        args = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search", *args]
    try:
        run = subprocess.run(args, capture_output=True, text=True, timeout=300, env=_env())
    finally:
        os.chmod(folder / "locked", 0o755)
        # pytest's removal of old temporary folders recurses a level at a time and fails on
        # this tree in a later session; rm walks it without recursion
        subprocess.run(["rm", "-rf", str(folder / "deep")], check=True)
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    rows = dict(_query(warehouse, "SELECT regexp_extract(source_path, '[^/]+$'), reason FROM ingest_file WHERE outcome = 'rejected'"))
    assert rows == {
        "locked": "unreadable:Permission denied",
        "outside-link": "symlink_outside_root",
        "inside-link": "directory_symlink",
    }
    assert _query(warehouse, "SELECT count(*) FROM ingest_file WHERE source_path LIKE '%bottom.txt' AND outcome = 'loaded'")[0][0] == 1


def test_a_warehouse_path_that_is_a_folder_is_exit_2_and_no_lock(tmp_path, seed_dir):
    target = tmp_path / "w.duckdb"
    target.mkdir()
    run = _tamas("ingest", seed_dir, "--warehouse", target)
    assert run.returncode == 2 and run.stderr.strip() == f"tamas: error: the warehouse path is a folder: {target}"
    assert not (tmp_path / "w.duckdb.lock").exists() and list(target.iterdir()) == []


def test_a_failed_publish_removes_its_partial_copy(tmp_path, seed_dir):
    warehouse = tmp_path / "w" / "tamas.duckdb"
    assert _tamas("ingest", seed_dir, "--warehouse", warehouse).returncode == 0
    before = _sha(warehouse)
    failed = _tamas("ingest", seed_dir, "--warehouse", warehouse, env=_env(TAMAS_TEST_HOOK="publish:fail"))
    assert failed.returncode == 1 and failed.stderr.count("\n") == 1, failed.stderr
    assert "injected failure at publish" in failed.stderr
    assert sorted(p.name for p in warehouse.parent.iterdir()) == ["tamas.duckdb", "tamas.duckdb.lock"]
    [(error,)] = _query(warehouse, "SELECT error FROM ingest_run WHERE status = 'failed'")
    assert error == "RuntimeError: injected failure at publish (TAMAS_TEST_HOOK)" and "\n" not in error
    assert _query(warehouse, "SELECT count(*) FROM ingest_run") == [(2,)] and _sha(warehouse) != before


def test_only_web_addresses_become_links():
    from app.dashboard import _is_web_url

    assert _is_web_url("https://www.irna.ir/news/1") and _is_web_url("HTTP://example.ir")
    for url in ("data:text/html,<script>alert(1)</script>", "javascript:alert(1)", " javascript:x", "file:///etc/passwd", "", None):
        assert not _is_web_url(url), url


def test_the_staged_copy_leaves_no_descriptor_behind(tmp_path):
    """A copy's pages are flushed in a thread of their own while the run goes on
    (store._flush_in_background), which closes its descriptor when done: after a
    published block and after a failed one (whose flush is not waited for)."""
    from warehouse import store

    path = tmp_path / "w.duckdb"
    with store.staged_copy(path) as con:  # a new warehouse: nothing to copy
        con.execute("CREATE TABLE numbers AS SELECT range AS n FROM range(200000)")

    def open_descriptors() -> int:
        return len(os.listdir("/proc/self/fd"))

    def flushes_over() -> bool:
        deadline = time.monotonic() + 30
        while any(t.name == "flush-staged-copy" for t in threading.enumerate()) and time.monotonic() < deadline:
            time.sleep(0.05)
        return not any(t.name == "flush-staged-copy" for t in threading.enumerate())

    before = open_descriptors()
    with store.staged_copy(path) as con:
        con.execute("INSERT INTO numbers VALUES (-1)")
    assert flushes_over() and open_descriptors() == before
    with pytest.raises(RuntimeError, match="stop here"):
        with store.staged_copy(path) as con:
            con.execute("DELETE FROM numbers")
            raise RuntimeError("stop here")
    assert flushes_over() and open_descriptors() == before
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.endswith(".tmp")) == ["w.duckdb"]
    with duckdb.connect(str(path), read_only=True) as readonly:
        assert readonly.execute("SELECT count(*), min(n) FROM numbers").fetchone() == (200001, -1)
