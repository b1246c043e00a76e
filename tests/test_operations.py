"""Operations (issue 5): schedule, incremental runs, one writer, bad input, crash safety,
readers never blocked, failure, progress. Real processes: `tamas` subprocesses killed
with SIGKILL, a real `prefect server start`, a real concurrent reader process.

Slow by nature (each `tamas` subprocess starts Prefect's temporary server); every wait
is bounded, and every process a test starts is killed in a ``finally``.
"""

from __future__ import annotations

import builtins
import codecs
import hashlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
import time
from contextlib import ExitStack, contextmanager
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

import duckdb
import pytest

from tests.hooking import hooked

PERSIAN_CALL = (
    "به گزارش خبرگزاری ایرنا، سید عباس عراقچی وزیر امور خارجه کشورمان روز دوشنبه در تماس تلفنی با "
    "هاکان فیدان وزیر امور خارجه ترکیه درباره آخرین تحولات منطقه و همکاری‌های اقتصادی گفت‌وگو کرد."
)

TAMAS = Path(sys.executable).with_name("tamas")
PREFECT = Path(sys.executable).with_name("prefect")
SUBPROCESS_TIMEOUT = 300


# ---------------------------------------------------------------- helpers


def _env(**extra) -> dict:
    env = os.environ.copy()
    env.pop("PREFECT_API_URL", None)  # `tamas ingest` uses its own temporary server
    env.pop("TAMAS_TEST_HOOK", None)
    env.update({k: str(v) for k, v in extra.items()})
    return hooked(env)  # a run that is to stop at a stage gets the hooks (tests/hooks/)


@contextmanager
def _process(args, env, log_dir: Path, name: str):
    """A subprocess in its own session (so its whole tree can be killed); output to files."""
    log_dir.mkdir(parents=True, exist_ok=True)
    out = open(log_dir / f"{name}.out", "w")
    err = open(log_dir / f"{name}.err", "w")
    proc = subprocess.Popen([str(a) for a in args], env=env, stdout=out, stderr=err, start_new_session=True)
    proc.out_path, proc.err_path = log_dir / f"{name}.out", log_dir / f"{name}.err"
    try:
        yield proc
    finally:
        _kill_tree(proc)
        out.close()
        err.close()


def _kill_tree(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        pass


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8", errors="replace")


def _wait_for_file(path: Path, proc: subprocess.Popen, timeout: float = SUBPROCESS_TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        if proc.poll() is not None:
            pytest.fail(f"process exited ({proc.returncode}) before reaching the hook: {_text(proc.err_path)[-2000:]}")
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {path}")
        time.sleep(0.05)


def _wait(proc: subprocess.Popen, timeout: float = SUBPROCESS_TIMEOUT) -> int:
    try:
        return proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        pytest.fail(f"process did not finish within {timeout} s: {_text(proc.err_path)[-2000:]}")


def _file_sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _snapshot(path: Path, ignore=("run_id", "started_at", "finished_at")) -> dict:
    """Row count and order-independent checksum of every table (volatile columns ignored)."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        tables = [f'"{schema}"."{name}"' for schema, name in con.execute(
            "SELECT table_schema, table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE' ORDER BY 1, 2"
        ).fetchall()]
        out = {}
        for table in tables:
            columns = [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall() if r[0] not in ignore]
            hashed = ", ".join(f'"{c}"' for c in columns)
            out[table] = con.execute(f"SELECT count(*), bit_xor(hash({hashed})) FROM {table}").fetchone()
        return out
    finally:
        con.close()


def _query(path: Path, sql: str, params=None):
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def _article(day: str) -> str:
    return PERSIAN_CALL.replace("دوشنبه", day)


def _add_new_articles(folder: Path, n: int, tag: str) -> None:
    days = ["سه‌شنبه", "چهارشنبه", "پنجشنبه", "جمعه", "شنبه", "یکشنبه"]
    for i in range(n):
        (folder / f"{tag}-{i}.txt").write_text(
            f"خبر {tag} {i}\n\n" + _article(days[i % len(days)]) + f" شماره {tag}{i}.", encoding="utf-8"
        )


# ---------------------------------------------------------------- 1. schedule on a real Prefect server


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def prefect_api(tmp_path_factory):
    """A real `prefect server start` on a free loopback port, its home in a temporary
    folder and its telemetry off, shared by this module's serve tests; yields its API URL
    and its process (output in ``out_path`` and ``err_path``)."""
    import httpx

    root = tmp_path_factory.mktemp("prefect-server")
    port = _free_port()
    api = f"http://127.0.0.1:{port}/api"
    env = _env(PREFECT_HOME=root / "home", PREFECT_UI_ENABLED="false", PREFECT_SERVER_ANALYTICS_ENABLED="false")
    with _process([PREFECT, "server", "start", "--host", "127.0.0.1", "--port", port], env, root, "server") as server:
        deadline = time.monotonic() + 180
        while True:
            try:
                if httpx.get(f"{api}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert server.poll() is None, _text(server.err_path)[-2000:]
            assert time.monotonic() < deadline, "prefect server did not start in 180 s"
            time.sleep(0.5)
        yield api, server


def _wait_for_deployment(api: str, name: str, serve: subprocess.Popen) -> dict:
    import httpx

    deadline = time.monotonic() + 180
    while True:
        response = httpx.get(f"{api}/deployments/name/ingest_articles/{name}", timeout=5)
        if response.status_code == 200:
            return response.json()
        assert serve.poll() is None, _text(serve.err_path)[-3000:]
        assert time.monotonic() < deadline, "deployment not registered in 180 s"
        time.sleep(0.5)


def test_serve_schedules_on_a_real_prefect_server_and_a_triggered_run_loads(prefect_api, tmp_path, seed_dir):
    import httpx

    api, _ = prefect_api
    warehouse = tmp_path / "served" / "tamas.duckdb"
    logs = tmp_path / "logs"
    args = [str(TAMAS), "serve", str(seed_dir), "--cron", "*/15 * * * *", "--warehouse", str(warehouse)]
    # Without PREFECT_API_URL, or with one where no server answers, serve refuses at once
    # with one line that names the URL and the command that starts a server.
    refused = subprocess.run(args, env=_env(), capture_output=True, text=True, timeout=120)
    assert refused.returncode == 2 and "PREFECT_API_URL is not set" in refused.stderr
    assert "PREFECT_SERVER_ANALYTICS_ENABLED=false prefect server start --host 127.0.0.1 --port 4200" in refused.stderr
    nobody = f"http://127.0.0.1:{_free_port()}/api"
    refused = subprocess.run(args, env=_env(PREFECT_API_URL=nobody), capture_output=True, text=True, timeout=120)
    assert refused.returncode == 1 and refused.stderr.count("\n") == 1, refused.stderr
    assert f"no Prefect server answers at {nobody} (ConnectError" in refused.stderr
    assert f"prefect server start --host 127.0.0.1 --port {urlsplit(nobody).port}`" in refused.stderr
    serve_env = _env(PREFECT_API_URL=api, TAMAS_DATA=tmp_path / "serve-data")
    with _process([*args, "--name", "ops-test"], serve_env, logs, "serve") as serve:
        deployment = _wait_for_deployment(api, "ops-test", serve)
        # The schedule is the one asked for, active.
        assert [s["schedule"]["cron"] for s in deployment["schedules"]] == ["*/15 * * * *"]
        assert all(s["active"] for s in deployment["schedules"])
        # 503 is Prefect's "retry me" (e.g. SQLite busy while `serve` polls); its own
        # client retries it, so the test does too, for up to 30 s.
        retry_until = time.monotonic() + 30
        while True:
            run = httpx.post(f"{api}/deployments/{deployment['id']}/create_flow_run", json={}, timeout=10)
            if run.status_code != 503 or time.monotonic() > retry_until:
                break
            time.sleep(1)
        assert run.status_code in (200, 201), run.text
        run_id = run.json()["id"]
        deadline = time.monotonic() + 300
        while True:
            state = httpx.get(f"{api}/flow_runs/{run_id}", timeout=5).json()["state"]["type"]
            if state in ("COMPLETED", "FAILED", "CRASHED", "CANCELLED"):
                break
            assert serve.poll() is None, _text(serve.err_path)[-3000:]
            assert time.monotonic() < deadline, f"run still {state} after 300 s"
            time.sleep(1)
        assert state == "COMPLETED", _text(serve.err_path)[-3000:]
    assert _query(warehouse, "SELECT status, articles_loaded FROM ingest_run") == [("completed", 2)]
    assert _query(warehouse, "SELECT count(*) FROM fact_call")[0][0] == 2


# Short enough for a test: the server's recent-deployments scheduler looks every 5 s and the
# serve process polls every second here (PREFECT_RUNNER_POLL_FREQUENCY), so the first run
# starts within seconds; a shorter interval only queues more runs behind it (limit 1).
SCHEDULE_SECONDS = 5
SCHEDULED_RUN_TIMEOUT = 180  # ~11 s here when Prefect's scheduler works


def test_a_run_the_scheduler_creates_loads_the_articles_and_sigterm_stops_cleanly(prefect_api, tmp_path, seed_dir):
    """Issue 14: with SQLAlchemy 2.1 Prefect's scheduler fails every loop ("Can't evaluate
    bulk DML statement") and never creates a run. Nothing here creates one by hand: the
    test waits for the server's own scheduled run to complete and finds its load in the
    warehouse; then SIGTERM stops `tamas serve` with exit 0, no warning, schedule paused."""
    import httpx

    api, server = prefect_api
    warehouse = tmp_path / "scheduled" / "tamas.duckdb"
    # Prefect's INFO lines, as a user's `tamas serve` shows them (this session set CRITICAL).
    env = _env(PREFECT_API_URL=api, TAMAS_DATA=tmp_path / "serve-data", PREFECT_RUNNER_POLL_FREQUENCY=1,
               PREFECT_LOGGING_LEVEL="INFO")
    args = [TAMAS, "serve", seed_dir, "--interval", SCHEDULE_SECONDS, "--warehouse", warehouse, "--name", "scheduled"]
    started = time.monotonic()
    with _process(args, env, tmp_path / "logs", "serve") as serve:
        deployment = _wait_for_deployment(api, "scheduled", serve)
        assert [s["schedule"]["interval"] for s in deployment["schedules"]] == [SCHEDULE_SECONDS]
        query = {"deployments": {"id": {"any_": [deployment["id"]]}}, "sort": "EXPECTED_START_TIME_ASC", "limit": 200}
        deadline = time.monotonic() + SCHEDULED_RUN_TIMEOUT
        while True:
            runs = httpx.post(f"{api}/flow_runs/filter", json=query, timeout=10).json()
            finished = [r for r in runs if r["state"]["type"] in ("COMPLETED", "FAILED", "CRASHED", "CANCELLED")]
            if finished:
                break
            assert serve.poll() is None, _text(serve.err_path)[-3000:]
            if time.monotonic() > deadline:
                log = _text(server.out_path) + _text(server.err_path)
                errors = [l for l in log.splitlines() if re.match(r"[\w.]+(Error|Exception): ", l)]
                pytest.fail(
                    f"no scheduled run finished within {SCHEDULED_RUN_TIMEOUT} s ({len(runs)} runs created, "
                    f"states {sorted({r['state']['type'] for r in runs})}); the Prefect server's last error: "
                    f"{errors[-1] if errors else None}; its log ends:\n{log[-2500:]}"
                )
            time.sleep(1)
        waited = time.monotonic() - started
        run = finished[0]
        assert run["state"]["type"] == "COMPLETED", _text(serve.err_path)[-3000:]
        assert all(r["auto_scheduled"] for r in runs)  # every run came from the scheduler
        assert run["idempotency_key"].startswith("scheduled ")
        print(f"\nfirst scheduled run completed {waited:.1f} s after `tamas serve` started "
              f"({len(runs)} runs scheduled by then)")

        os.kill(serve.pid, signal.SIGTERM)
        assert _wait(serve, 60) == 0, _text(serve.err_path)[-3000:]
        err = _text(serve.err_path)
        assert "never awaited" not in err and "RuntimeWarning" not in err and "Traceback" not in err, err[-3000:]
        assert "SIGTERM received" in err
    paused = httpx.get(f"{api}/deployments/{deployment['id']}", timeout=5).json()
    assert paused["paused"] is True, paused  # what Ctrl-C does too: no runs until served again
    rows = _query(warehouse, "SELECT status, articles_loaded, started_at FROM ingest_run ORDER BY started_at")
    assert rows[0][:2] == ("completed", 2), rows
    begun, ended = (datetime.fromisoformat(run[k]) for k in ("start_time", "end_time"))
    assert begun <= rows[0][2] <= ended, (run, rows[0])  # that run's load
    assert _query(warehouse, "SELECT count(*) FROM fact_call")[0][0] == 2


# ---------------------------------------------------------------- 2. incremental


def test_changed_content_is_a_new_version_with_lineage(ingest, seed_dir, query):
    ingest(seed_dir)
    target = sorted(seed_dir.iterdir())[0]
    (old_id,) = query("SELECT article_id FROM dim_article WHERE source_path = ?", [str(target)])[0]
    calls_before = query("SELECT count(*) FROM fact_call")[0][0]
    target.write_text(target.read_text(encoding="utf-8") + "\n\nاین خبر به‌روز شد.", encoding="utf-8")
    summary = ingest(seed_dir)
    assert summary.counts["loaded"] == 1 and summary.counts["unchanged"] == 1
    rows = query("SELECT article_id, supersedes_article_id FROM dim_article WHERE source_path = ? ORDER BY supersedes_article_id NULLS FIRST", [str(target)])
    assert len(rows) == 2
    assert rows[0] == (old_id, None)  # the old version is kept, untouched
    new_id = rows[1][0]
    assert new_id != old_id and rows[1][1] == old_id
    outcome, reason = query(
        "SELECT outcome, reason FROM ingest_file f JOIN ingest_run r USING (run_id) WHERE source_path = ? ORDER BY r.started_at DESC LIMIT 1",
        [str(target)],
    )[0]
    assert outcome == "loaded" and reason.startswith("content changed")
    # Facts come from the newest version only: the call is not counted twice.
    mentions = {r[0] for r in query("SELECT article_id FROM call_mention")}
    assert old_id not in mentions and new_id in mentions
    assert query("SELECT count(*) FROM fact_call")[0][0] == calls_before


def test_no_change_run_over_10000_files_opens_none(ingest, tmp_path, query, monkeypatch):
    folder = tmp_path / "many"
    for shard in range(10):
        (folder / f"{shard}").mkdir(parents=True)
    text = ("عنوان\n\n" + PERSIAN_CALL).encode("utf-8")
    for i in range(10_000):
        (folder / f"{i % 10}" / f"{i:05}.txt").write_bytes(text)
    started = time.monotonic()
    first = ingest(folder, workers=1)
    first_seconds = time.monotonic() - started
    assert first.counts["files_seen"] == 10_000 and first.counts["loaded"] == 1 and first.counts["duplicate"] == 9_999

    import flows.batch

    opened, read_rows = [], []
    real_open, real_read = builtins.open, flows.batch.read_files
    root = str(folder)

    def spy_open(file, *args, **kwargs):
        if isinstance(file, (str, os.PathLike)) and str(file).startswith(root):
            opened.append(str(file))
        return real_open(file, *args, **kwargs)

    def spy_read(files, *args):
        read_rows.append(files.height)
        return real_read(files, *args)

    monkeypatch.setattr(builtins, "open", spy_open)
    monkeypatch.setattr(flows.batch, "read_files", spy_read)
    started = time.monotonic()
    second = ingest(folder, workers=1)
    seconds = time.monotonic() - started
    monkeypatch.undo()
    assert opened == [] and sum(read_rows) == 0
    assert second.counts["unchanged"] == 10_000 and second.counts["files_seen"] == 10_000
    print(f"\n10,000 files: first run {first_seconds:.1f} s, no-change run {seconds:.1f} s (0 files opened)")
    assert query("SELECT count(*) FROM ingest_file f JOIN ingest_run r USING (run_id) WHERE r.run_id = ? AND outcome = 'unchanged'", [second.run_id])[0][0] == 10_000


# ---------------------------------------------------------------- 3. one writer


def test_second_writer_exits_75_or_waits_and_kill_9_leaves_no_stale_lock(tmp_path, seed_dir):
    from warehouse.store import writer_lock

    warehouse = tmp_path / "w" / "tamas.duckdb"
    marker = tmp_path / "paused"
    logs = tmp_path / "logs"
    args = [TAMAS, "ingest", seed_dir, "--warehouse", warehouse]
    with _process(args, _env(TAMAS_TEST_HOOK="load:pause", TAMAS_TEST_HOOK_FILE=marker), logs, "holder") as holder:
        _wait_for_file(marker, holder)  # holds the lock, mid-load
        with _process([*args, "--wait", "600"], _env(TAMAS_PROGRESS_EVERY=0), logs, "waiter") as waiter:
            busy = subprocess.run([str(a) for a in args], env=_env(), capture_output=True, text=True, timeout=SUBPROCESS_TIMEOUT)
            assert busy.returncode == 75
            assert busy.stderr.strip().count("\n") == 0
            assert busy.stderr.startswith("tamas: error: another run") and f"(pid {holder.pid})" in busy.stderr
            assert waiter.poll() is None  # still waiting with backoff
            os.kill(holder.pid, signal.SIGKILL)  # the holder dies holding the lock
            holder.wait(timeout=30)
            killed_at = time.monotonic()
            assert _wait(waiter) == 0, _text(waiter.err_path)[-2000:]
            waited = time.monotonic() - killed_at
            # The waiter loaded everything; nothing of the killed run remains.
            assert _query(warehouse, "SELECT status, articles_loaded FROM ingest_run") == [("completed", 2)]
            # Non-interactive output: plain progress lines on stderr.
            assert "progress: " in _text(waiter.err_path)
            print(f"\nwaiter finished {waited:.1f} s after the holder was killed")
    with writer_lock(warehouse, 0):  # free at once afterwards
        pass


def test_a_writer_waits_as_long_as_asked_and_takes_the_lock_once_free(tmp_path):
    """--wait's backoff: busy at once with no wait, busy after the whole wait while held,
    and the lock taken soon after the holder lets go."""
    from warehouse.store import WarehouseBusy, writer_lock

    warehouse = tmp_path / "tamas.duckdb"
    code = f"from pathlib import Path; import time; from warehouse.store import writer_lock\nwith writer_lock(Path({str(warehouse)!r})):\n    print('held', flush=True); time.sleep(4)"
    holder = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, cwd=Path(__file__).resolve().parents[1])
    try:
        assert holder.stdout.readline().strip() == "held"
        waited = []
        for wait_seconds in (0, 1.5):
            start = time.monotonic()
            with pytest.raises(WarehouseBusy, match=f"pid {holder.pid}"):
                with writer_lock(warehouse, wait_seconds):
                    pass
            waited.append(time.monotonic() - start)
        assert waited[0] < 0.5 and 1.4 <= waited[1] < 2.5, waited
        start = time.monotonic()
        with writer_lock(warehouse, 30):
            taken = time.monotonic() - start
        assert holder.wait(timeout=10) == 0 and taken < 4.5, taken
    finally:
        holder.kill()


# ---------------------------------------------------------------- 4. bad input


def _bad_input_folder(folder: Path, outside: Path) -> dict:
    """One file of each kind of issue 5 point 4 (plus a FIFO); returns name -> (outcome, reason prefix)."""
    folder.mkdir(parents=True)
    w = lambda name, data: (folder / name).write_bytes(data)  # noqa: E731
    w("good-1.txt", ("تماس نخست\n\n" + _article("سه‌شنبه")).encode("utf-8"))
    w("good-2.json", json.dumps({"title": "تماس دوم", "text": _article("چهارشنبه")}, ensure_ascii=False).encode("utf-8"))
    w("empty.txt", b"")
    w("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    w("invalid-utf8.txt", _article("جمعه").encode("utf-8")[:60] + b"\xff\xfe\xfa" + _article("جمعه").encode("utf-8")[60:])
    truncated = ("خبر بریده\n\n" + _article("شنبه")).encode("utf-8")
    w("truncated.txt", truncated + "گ".encode("utf-8")[:1])
    # Windows-1256 has no Persian ی/ک: archives in it carry the Arabic ي/ك.
    w("cp1256.txt", CP1256_TEXT.encode("cp1256"))
    w("utf16.txt", codecs.BOM_UTF16_LE + UTF16_TEXT.encode("utf-16-le"))
    w("menu.html", (
        "<html><head><title>خبرگزاری</title></head><body><nav><a href='/'>خانه</a> | <a href='/p'>سیاسی</a> | "
        "<a href='/e'>اقتصادی</a></nav><footer>تمام حقوق این سایت محفوظ است.</footer></body></html>"
    ).encode("utf-8"))
    w("broken.json", b'{"text": "\xd8\xaa\xd9\x85\xd8\xa7\xd8\xb3')
    w("no-text.json", json.dumps({"title": "بدون متن", "url": "https://example.ir/1"}).encode("utf-8"))
    w("mixed.jsonl", "\n".join([
        json.dumps({"text": _article("یکشنبه")}, ensure_ascii=False),
        "{not json",
        json.dumps({"text": _article("یکشنبه") + " دوباره گزارش شد."}, ensure_ascii=False),
    ]).encode("utf-8"))
    w("english.txt", b"The foreign ministers of Iran and Turkey spoke by phone on Monday about regional developments and trade.")
    w("large.txt", b"a" * (5 * 1024 * 1024 + 1))
    w("unreadable.txt", ("خبر خوانده‌نشدنی\n\n" + _article("دوشنبه")).encode("utf-8"))
    os.chmod(folder / "unreadable.txt", 0)
    (outside / "secret.txt").write_text("خارج از ریشه " + _article("دوشنبه"), encoding="utf-8")
    os.symlink(outside / "secret.txt", folder / "link-outside.txt")
    w("vanishing.txt", ("خبر ناپدید\n\n" + _article("دوشنبه")).encode("utf-8"))
    same = ("خبر تکراری\n\n" + _article("پنجشنبه")).encode("utf-8")
    w("same-a.txt", same)
    w("same-b.txt", same)
    os.mkfifo(folder / "pipe.txt")
    return {
        "good-1.txt": ("loaded", None),
        "good-2.json": ("loaded", None),
        "empty.txt": ("rejected", "empty_file"),
        "binary.txt": ("rejected", "binary_content"),
        "invalid-utf8.txt": ("rejected", "undecodable"),
        "truncated.txt": ("loaded", "truncated UTF-8 character"),
        "cp1256.txt": ("loaded", "decoded as cp1256"),
        "utf16.txt": ("loaded", "decoded as utf-16"),
        "menu.html": ("rejected", "no_article_text"),
        "broken.json": ("rejected", "invalid_json"),
        "no-text.json": ("rejected", "no_text_field"),
        "mixed.jsonl": ("loaded", "line 2: invalid_json"),
        "english.txt": ("rejected", "not_persian:en"),
        "large.txt": ("rejected", "too_large"),
        "unreadable.txt": ("rejected", "unreadable:Permission denied"),
        "link-outside.txt": ("rejected", "symlink_outside_root"),
        "vanishing.txt": ("rejected", "vanished"),
        "same-a.txt": ("loaded", None),
        "same-b.txt": ("duplicate", "same content"),
        "pipe.txt": ("rejected", "not_regular_file"),
    }


CP1256_TEXT = (
    "گفتگوي تلفني وزيران خارجه\n\n"
    "به گزارش خبرگزاري ايرنا، سيد عباس عراقچي وزير امور خارجه كشورمان روز يكشنبه در تماس تلفني با "
    "هاكان فيدان وزير امور خارجه تركيه درباره آخرين تحولات منطقه گفتگو كرد."
)
UTF16_TEXT = "گفت‌وگوی تلفنی\n\n" + _article("شنبه").replace("ترکیه", "ترکیه (یو تی اف ۱۶)")


def _as_unprivileged(args: list) -> list:
    """Root reads any file whatever its mode: to make chmod 000 real, run without the
    capabilities that bypass file permissions (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH)."""
    if os.geteuid() != 0:
        return args
    setpriv = shutil.which("setpriv")
    assert setpriv, "running as root needs util-linux setpriv to drop CAP_DAC_OVERRIDE for the permission case"
    return [setpriv, "--bounding-set", "-dac_override,-dac_read_search", *args]


def test_bad_input_folder_every_file_accounted_and_good_ones_loaded(tmp_path):
    folder, outside = tmp_path / "in", tmp_path / "outside"
    outside.mkdir()
    expected = _bad_input_folder(folder, outside)
    assert sorted(expected) == sorted(os.listdir(folder))
    warehouse = tmp_path / "w" / "tamas.duckdb"
    marker = tmp_path / "discovered"
    env = _env(TAMAS_TEST_HOOK="read:pause", TAMAS_TEST_HOOK_FILE=marker)
    with _process(_as_unprivileged([TAMAS, "ingest", folder, "--warehouse", warehouse]), env, tmp_path / "logs", "bad") as run:
        _wait_for_file(marker, run)  # discovery done, nothing read yet
        (folder / "vanishing.txt").unlink()  # removed between discovery and reading
        marker.unlink()  # resume
        assert _wait(run) == 0, _text(run.err_path)[-3000:]
        stdout = _text(run.out_path)
    assert "files seen 20" in stdout
    rows = _query(warehouse, "SELECT regexp_extract(source_path, '[^/]+$'), outcome, reason FROM ingest_file")
    assert len(rows) == len(expected) == 20  # exactly one row per file
    got = {name: (outcome, reason) for name, outcome, reason in rows}
    for name, (outcome, reason) in expected.items():
        assert got[name][0] == outcome, (name, got[name])
        if reason is None:
            assert got[name][1] is None, (name, got[name])
        else:
            assert got[name][1] and got[name][1].startswith(reason) or reason in (got[name][1] or ""), (name, got[name])
    texts = dict(_query(warehouse, "SELECT regexp_extract(source_path, '[^/]+$'), raw_text FROM dim_article"))
    clean = dict(_query(warehouse, "SELECT regexp_extract(source_path, '[^/]+$'), clean_text FROM dim_article"))
    assert texts["good-1.txt"].endswith(_article("سه‌شنبه"))
    assert texts["good-2.json"] == _article("چهارشنبه")
    assert texts["cp1256.txt"] == CP1256_TEXT  # decoded exactly
    assert "کشورمان" in clean["cp1256.txt"] and "ترکیه" in clean["cp1256.txt"]  # ي/ك normalised to ی/ک
    assert texts["utf16.txt"] == UTF16_TEXT
    assert texts["truncated.txt"] == ("خبر بریده\n\n" + _article("شنبه"))
    assert {"mixed.jsonl#L1", "mixed.jsonl#L3"} <= set(texts)
    assert "same-b.txt" not in texts and "same-a.txt" in texts
    assert _query(warehouse, "SELECT status, files_seen, rejected FROM ingest_run") == [("completed", 20, 12)]


# ---------------------------------------------------------------- 5. crash safety


def test_sigkill_at_any_stage_leaves_the_warehouse_before_or_after(ingest, warehouse, tmp_path, seed_dir):
    from warehouse.store import writer_lock

    # The uninterrupted reference: first run, then a second run over changed input.
    ingest(seed_dir)
    crashing = tmp_path / "crash" / "tamas.duckdb"
    crashing.parent.mkdir()
    shutil.copyfile(warehouse, crashing)
    _add_new_articles(seed_dir, 3, "new")
    changed = sorted(p for p in seed_dir.iterdir() if not p.name.startswith("new"))[0]
    changed.write_text(changed.read_text(encoding="utf-8") + "\n\nویرایش دوم.", encoding="utf-8")
    ingest(seed_dir)
    uninterrupted = _snapshot(warehouse)

    before_bytes, before = _file_sha(crashing), _snapshot(crashing)
    # One killed run per stage, side by side (each on its own copy of the warehouse, to
    # keep the test's time down): extraction, mid-load (inside the transaction), and
    # publish (the copy is complete and closed, not yet renamed).
    stages = ("extract", "load", "publish")
    copies = {}
    for stage in stages:
        copies[stage] = tmp_path / f"crash-{stage}" / "tamas.duckdb"
        copies[stage].parent.mkdir()
        shutil.copyfile(crashing, copies[stage])
    copies["publish"] = crashing  # the one the next run resumes
    started = time.monotonic()
    with ExitStack() as stack:
        runs = {
            stage: stack.enter_context(_process(
                [TAMAS, "ingest", seed_dir, "--warehouse", copies[stage]],
                _env(TAMAS_TEST_HOOK=f"{stage}:pause", TAMAS_TEST_HOOK_FILE=tmp_path / f"at-{stage}"),
                tmp_path / "logs", stage,
            ))
            for stage in stages
        }
        for stage, run in runs.items():
            _wait_for_file(tmp_path / f"at-{stage}", run)
            os.kill(run.pid, signal.SIGKILL)
            run.wait(timeout=30)
            print(f"\nreached {stage} after {time.monotonic() - started:.1f} s; SIGKILL")
            with writer_lock(copies[stage], 0):  # no stale lock, at once
                pass
    for stage in stages:
        assert _file_sha(copies[stage]) == before_bytes, f"warehouse changed by a run killed at {stage}"
        assert _snapshot(copies[stage]) == before
    assert (crashing.parent / "tamas.duckdb.next").exists()  # the killed run's complete, unpublished copy
    args = [TAMAS, "ingest", seed_dir, "--warehouse", crashing]
    started = time.monotonic()
    finished = subprocess.run([str(a) for a in args], env=_env(), capture_output=True, text=True, timeout=SUBPROCESS_TIMEOUT)
    assert finished.returncode == 0, finished.stderr
    print(f"resumed run completed in {time.monotonic() - started:.1f} s")
    assert _snapshot(crashing) == uninterrupted
    assert _query(crashing, "SELECT count(*) FROM dim_article WHERE supersedes_article_id IS NOT NULL")[0][0] == 1
    assert sorted(p.name for p in crashing.parent.iterdir()) == ["tamas.duckdb", "tamas.duckdb.lock"]


# ---------------------------------------------------------------- 6. readers never blocked

READER = textwrap.dedent(
    """
    import json, os, sys, time, duckdb
    path, stop, out = sys.argv[1], sys.argv[2], sys.argv[3]
    reads = errors = 0
    states, problems = set(), []
    while not os.path.exists(stop):
        try:
            con = duckdb.connect(path, read_only=True)
            try:
                runs, not_done, loaded = con.execute(
                    "SELECT count(*), count(*) FILTER (status <> 'completed'), coalesce(sum(articles_loaded), 0) FROM ingest_run"
                ).fetchone()
                articles = con.execute("SELECT count(*) FROM dim_article").fetchone()[0]
                bad_files = con.execute(
                    "SELECT count(*) FROM ingest_run r LEFT JOIN (SELECT run_id, count(*) n FROM ingest_file GROUP BY run_id) f "
                    "USING (run_id) WHERE coalesce(f.n, 0) <> r.files_seen"
                ).fetchone()[0]
                orphans = con.execute("SELECT count(*) FROM dim_article WHERE run_id NOT IN (SELECT run_id FROM ingest_run)").fetchone()[0]
            finally:
                con.close()
            reads += 1
            states.add(runs)
            if not_done or loaded != articles or bad_files or orphans:
                problems.append([runs, not_done, loaded, articles, bad_files, orphans])
        except Exception as exc:
            errors += 1
            problems.append(repr(exc))
        time.sleep(0.01)
    json.dump({"reads": reads, "errors": errors, "states": sorted(states), "problems": problems[:20]}, open(out, "w"))
    """
)


def test_concurrent_reader_never_blocked_and_sees_only_complete_states(ingest, warehouse, seed_dir, tmp_path):
    ingest(seed_dir)
    stop, out = tmp_path / "stop", tmp_path / "reader.json"
    reader = subprocess.Popen([sys.executable, "-c", READER, str(warehouse), str(stop), str(out)])
    try:
        time.sleep(1)
        for n in range(3):
            _add_new_articles(seed_dir, 2, f"run{n}")
            assert ingest(seed_dir).status == "completed"
            time.sleep(0.5)
        stop.touch()
        reader.wait(timeout=60)
    finally:
        if reader.poll() is None:
            reader.kill()
            reader.wait(timeout=30)
    result = json.loads(out.read_text())
    print(f"\nreader: {result['reads']} reads, states seen (runs) {result['states']}")
    assert result["errors"] == 0 and result["problems"] == [], result
    assert result["reads"] > 50
    assert result["states"] == [1, 2, 3, 4]  # it kept reading through all three runs


# ---------------------------------------------------------------- 7. failure


def test_failed_run_is_recorded_and_exits_non_zero_with_one_line(tmp_path, seed_dir):
    warehouse = tmp_path / "w" / "tamas.duckdb"
    result = subprocess.run(
        [str(TAMAS), "ingest", str(seed_dir), "--warehouse", str(warehouse)],
        env=_env(TAMAS_TEST_HOOK="load:fail"), capture_output=True, text=True, timeout=SUBPROCESS_TIMEOUT,
    )
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0, result.stderr
    assert result.stderr.startswith("tamas: error: run failed: RuntimeError: injected failure at load")
    runs = _query(warehouse, "SELECT status, error, finished_at IS NOT NULL FROM ingest_run")
    assert len(runs) == 1 and runs[0][0] == "failed" and "injected failure at load" in runs[0][1] and runs[0][2]
    assert _query(warehouse, "SELECT count(*) FROM dim_article")[0][0] == 0  # nothing half-loaded


# ---------------------------------------------------------------- 8. progress


def test_non_interactive_progress_is_plain_periodic_lines(ingest, tmp_path, capsys, monkeypatch):
    folder = tmp_path / "p"
    folder.mkdir()
    _add_new_articles(folder, 4, "p")
    monkeypatch.setenv("TAMAS_PROGRESS_EVERY", "0")
    ingest(folder, batch_files=1, workers=1)
    lines = [l for l in capsys.readouterr().err.splitlines() if l.startswith("progress: ")]
    assert len(lines) == 4
    assert lines[-1].startswith("progress: 4/4 files, 4 articles") and "articles/s" in lines[-1] and "ETA" in lines[-1]
    assert all("\x1b[" not in l for l in lines)


def test_progress_of_one_big_file_counts_its_records():
    """A run of one big .jsonl reads it part by part: the plain line counts the records
    read and reckons the ETA from them, not from the one file that ends last."""
    import io

    from flows.progress import ProgressReporter

    stream = io.StringIO()
    reporter = ProgressReporter(total_files=1, stream=stream, total_units=1000)
    reporter.every = 0.0
    reporter.started -= 10.0  # 250 of 1000 records in 10 s: 30 s to go
    reporter.advance(0, 250, 250)
    line = stream.getvalue().strip().splitlines()[-1]
    assert line.startswith("progress: 0/1 files (250/1000 records), 250 articles") and "ETA unknown" not in line
    assert line.endswith("ETA 30 s")


def test_interactive_progress_is_a_rich_bar():
    import io

    from flows.progress import ProgressReporter

    class Tty(io.StringIO):
        def isatty(self):
            return True

    stream = Tty()
    reporter = ProgressReporter(total_files=10, stream=stream)
    assert reporter.bar is not None
    reporter.advance(5, 5)
    reporter.close()


def test_the_load_connection_runs_duckdb_on_one_thread(tmp_path):
    """While batches load, the pool workers hold the cores: the writer's DuckDB gets
    LOAD_THREADS (end_step gives the end of the run every core)."""
    from warehouse import store

    with store.writer_lock(tmp_path / "w.duckdb"), store.staged_copy(tmp_path / "w.duckdb") as con:
        assert con.execute("SELECT current_setting('threads')").fetchone()[0] == store.LOAD_THREADS == 1


def test_end_of_run_steps_get_their_own_memory_cap_and_the_load_cap_comes_back(monkeypatch):
    """The load runs under a small DuckDB cap and on one thread (the pool workers are
    alive then); the rebuilds at the end get their own cap and every core, and the load's
    settings are restored even on error."""
    from warehouse import store

    def cap(con):
        return con.execute("SELECT current_setting('memory_limit')").fetchone()[0]

    def threads(con):
        return con.execute("SELECT current_setting('threads')").fetchone()[0]

    def as_duckdb_prints(limit):
        return cap(duckdb.connect(config={"memory_limit": limit}))

    from flows.settings import settings

    monkeypatch.setenv("TAMAS_DUCKDB_INDEX_MEMORY", "300MB")
    monkeypatch.delenv("TAMAS_DUCKDB_REBUILD_MEMORY", raising=False)
    store.configure_memory(settings().memory_caps)  # as a run does when it starts
    try:
        con = duckdb.connect(config={"memory_limit": store.memory_cap("load"), "threads": store.LOAD_THREADS})
        load_cap = cap(con)
        every_core = threads(duckdb.connect())
        with store.end_step(con, "index"):
            assert cap(con) == as_duckdb_prints("300MB") != load_cap
            assert threads(con) == every_core
        with store.end_step(con, "rebuild"):
            assert cap(con) == as_duckdb_prints(store.MEMORY_CAPS["rebuild"]) != load_cap
        with pytest.raises(duckdb.CatalogException):
            with store.end_step(con, "rebuild"):
                con.execute("SELECT * FROM no_such_table")
        assert cap(con) == load_cap and threads(con) == store.LOAD_THREADS
    finally:
        store.configure_memory({})
