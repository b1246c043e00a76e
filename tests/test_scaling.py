"""Past one machine (issue 7): the Dask task runner and the DuckLake warehouse.

Bounded for CI: one small corpus (the seeds + 150 generated articles, scripts/bench.py's
generator), a 2-worker LocalCluster, and a private PostgreSQL (Debian's, started here
unless $TAMAS_TEST_PG_DSN names one; `make test` installs Debian's postgresql if missing).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import pytest

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds" / "articles"
TAMAS = [sys.executable, "-m", "flows.cli"]
GENERATED = 150

# Contract tables compared between runs; columns that name the run are left out.
CONTRACT = [
    "dim_article", "stg_call_mention", "stg_call_participant", "stg_call_topic", "stg_statement",
    "stg_official", "dim_official", "official_role", "fact_call", "call_participant", "call_topic",
    "call_mention", "statement",
]
RUN_COLUMNS = {"run_id", "source_path", "loaded_at"}


def _generate(folder: Path, n: int, seed: int, offset: int = 0) -> None:
    sys.path.insert(0, str(REPO / "scripts"))
    try:
        import bench
    finally:
        sys.path.pop(0)
    gen = bench.Generator(bench.load_bases(), seed=seed)
    folder.mkdir(parents=True, exist_ok=True)
    i = written = 0
    while written < n:  # distinct across every folder of the module (as article ids see them)
        suffix, content = gen.article(offset + i)
        i += 1
        body = json.loads(content)["text"] if suffix == ".json" else content
        key = " ".join(body.replace("ي", "ی").replace("ك", "ک").replace("\u200c", " ").split())
        if key in _SEEN:
            continue
        _SEEN.add(key)
        (folder / f"g{offset + written:05d}{suffix}").write_text(content, encoding="utf-8")
        written += 1


_SEEN: set[str] = set()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("scaling-corpus")
    for path in SEEDS.iterdir():
        shutil.copy(path, folder / path.name)
    _generate(folder / "generated", GENERATED, seed=11)
    return folder


def checksums(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[int, str]]:
    """Row count and an order-independent digest of every contract table."""
    out = {}
    for table in CONTRACT:
        columns = [c[0] for c in con.execute(f"DESCRIBE {table}").fetchall() if c[0] not in RUN_COLUMNS]
        rows = con.execute(f"SELECT {', '.join(columns)} FROM {table}").fetchall()
        digest = hashlib.sha256("\n".join(sorted(repr(r) for r in rows)).encode()).hexdigest()[:16]
        out[table] = (len(rows), digest)
    return out


def _ingest(args: list[str], env: dict | None = None, timeout: float = 900) -> subprocess.CompletedProcess:
    result = subprocess.run(
        TAMAS + ["ingest", *args], cwd=REPO, env=env or os.environ.copy(), capture_output=True, text=True, timeout=timeout
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


# ---------------------------------------------------------------- Dask


def test_dask_local_cluster_builds_the_same_warehouse(corpus, tmp_path):
    local, dask = tmp_path / "local.duckdb", tmp_path / "dask.duckdb"
    _ingest([str(corpus), "--warehouse", str(local)])
    out = _ingest([str(corpus), "--warehouse", str(dask), "--task-runner", "dask", "--workers", "2"])
    assert "completed" in out.stdout
    with duckdb.connect(str(local), read_only=True) as a, duckdb.connect(str(dask), read_only=True) as b:
        expected, got = checksums(a), checksums(b)
        assert expected["dim_article"][0] >= GENERATED
        assert expected["fact_call"][0] > 0
        assert got == expected


def test_dask_address_needs_the_dask_runner(tmp_path):
    result = subprocess.run(
        TAMAS + ["ingest", str(SEEDS), "--warehouse", str(tmp_path / "w.duckdb"), "--dask-address", "tcp://127.0.0.1:1"],
        cwd=REPO, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 2 and "--task-runner dask" in result.stderr


# ---------------------------------------------------------------- DuckLake


def _pg_bin() -> Path | None:
    for candidate in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (candidate / "initdb").exists() and (candidate / "pg_ctl").exists():
            return candidate
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def postgres(tmp_path_factory):
    """A libpq keyword DSN (without dbname) of a PostgreSQL server on loopback."""
    dsn = os.environ.get("TAMAS_TEST_PG_DSN")
    if dsn:
        yield dsn
        return
    bin_dir = _pg_bin()
    if bin_dir is None:
        pytest.fail("PostgreSQL is not installed: `make test` installs it (apt-get install postgresql)")
    # Not under pytest's tmp folder: the postgres user must be able to reach it.
    root = Path(tempfile.mkdtemp(prefix="tamas-test-pg-", dir="/tmp"))
    as_user = []
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root
        shutil.chown(root, "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    data, port = root / "data", _free_port()
    subprocess.run(as_user + [str(bin_dir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres"],
                   check=True, capture_output=True, cwd="/")
    subprocess.run(
        as_user + [str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(root / "log"), "-w", "-o",
                   f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off", "start"],
        check=True, capture_output=True, cwd="/",
    )
    try:
        yield f"host=127.0.0.1 port={port} user=postgres"
    finally:
        subprocess.run(as_user + [str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
                       capture_output=True, cwd="/")
        shutil.rmtree(root, ignore_errors=True)


def _create_database(dsn: str, name: str) -> None:
    bin_dir = _pg_bin()
    psql = str(bin_dir / "psql") if bin_dir else shutil.which("psql")
    for sql in (f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name}"):
        subprocess.run([psql, f"{dsn} dbname=postgres", "-qc", sql], check=True, capture_output=True, timeout=60)


_ATTACH_AND_CREATE = """
import sys
sys.path.insert(0, sys.argv[3])
from warehouse import lake
con = lake.connect(sys.argv[1], sys.argv[2])
lake.apply_schema(con)
print(con.execute("SELECT count(*) FROM dim_article").fetchone()[0])
"""


def test_processes_attaching_a_new_lake_at_once_all_succeed(postgres, tmp_path):
    """The first attach of a lake creates DuckLake's catalog tables; processes that start
    together race to do it. Without Prefect's start-up in between, the race is certain."""
    _create_database(postgres, "tamas_lake_attach")
    spec = f"ducklake:postgres:dbname=tamas_lake_attach {postgres}"
    procs = [
        subprocess.Popen([sys.executable, "-c", _ATTACH_AND_CREATE, spec, str(tmp_path / "data"), str(REPO)],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(3)
    ]
    outputs = [p.communicate(timeout=120) for p in procs]
    for p, (out, err) in zip(procs, outputs):
        assert p.returncode == 0, err
        assert out.strip() == "0"


def test_ducklake_two_concurrent_ingests(postgres, corpus, tmp_path):
    from flows.ingest import rebuild_dimensions_and_facts
    from warehouse import lake

    _create_database(postgres, "tamas_lake_test")
    spec = f"ducklake:postgres:dbname=tamas_lake_test {postgres}"
    data = tmp_path / "lake-data"
    first, second = tmp_path / "first", tmp_path / "second"
    shutil.copytree(corpus, first)
    _generate(second, 60, seed=29, offset=10_000)

    env = os.environ.copy()
    procs = [
        subprocess.Popen(TAMAS + ["ingest", str(folder), "--warehouse", spec, "--lake-data", str(data)],
                         cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for folder in (first, second)
    ]
    deadline = time.monotonic() + 900
    outputs = [p.communicate(timeout=max(1, deadline - time.monotonic())) for p in procs]
    for p, (out, err) in zip(procs, outputs):
        assert p.returncode == 0, out + err

    con = lake.connect(spec)
    try:
        runs = con.execute("SELECT status, articles_loaded FROM ingest_run ORDER BY articles_loaded").fetchall()
        assert [r[0] for r in runs] == ["completed", "completed"]
        files = {p.resolve() for folder in (first, second) for p in folder.rglob("*") if p.is_file()}
        seen = con.execute("SELECT count(*), count(DISTINCT source_path) FROM ingest_file").fetchone()
        assert seen == (len(files), len(files))
        articles, distinct = con.execute("SELECT count(*), count(DISTINCT article_id) FROM dim_article").fetchone()
        loaded_files = con.execute("SELECT count(*) FROM ingest_file WHERE outcome = 'loaded'").fetchone()[0]
        assert articles == distinct, "an article was loaded twice"
        assert articles == loaded_files, con.execute(
            "SELECT outcome, count(*) FROM ingest_file GROUP BY ALL").fetchall()
        assert articles >= GENERATED + 60
        # every file of both folders is accounted for, every loaded article has its file
        loaded_paths = {r[0] for r in con.execute("SELECT DISTINCT source_path FROM dim_article").fetchall()}
        assert any(str(first) in p for p in loaded_paths) and any(str(second) in p for p in loaded_paths)
        # facts were rebuilt after BOTH loads: identical to a rebuild now
        for table in ("dim_country", "dim_topic", "dim_official"):
            n, d = con.execute(f"SELECT count(*), count(DISTINCT {'country_code' if table == 'dim_country' else 'topic_code' if table == 'dim_topic' else 'official_id'}) FROM {table}").fetchone()
            assert n == d > 0, table
        before = checksums(con)
        lake.rebuild_derived(con, rebuild_dimensions_and_facts)
        assert checksums(con) == before
        calls = con.execute("SELECT count(*) FROM fact_call").fetchone()[0]
        assert calls > 0
        for view in ("v_calls", "v_country_pair_month", "v_topic_month"):
            con.execute(f"SELECT * FROM {view} LIMIT 5").fetchall()
        assert con.execute("SELECT count(*) FROM v_calls").fetchone()[0] > 0
    finally:
        con.close()

    # A re-run of one folder loads nothing new and duplicates nothing.
    _ingest([str(second), "--warehouse", spec])
    con = lake.connect(spec)
    try:
        assert con.execute("SELECT count(*) = count(DISTINCT article_id) FROM dim_article").fetchone()[0]
        assert con.execute("SELECT articles_loaded FROM ingest_run ORDER BY finished_at DESC LIMIT 1").fetchone()[0] == 0
    finally:
        con.close()


def test_lake_checks_the_contract_and_fails_on_a_planted_duplicate_key(postgres, tmp_path):
    """DuckLake has no PRIMARY KEY or CHECK: the contract's checks stand in for them after
    every rebuild. A clean run passes them; a planted duplicate key and a value outside the
    accepted ones are reported, the rebuild is rolled back, and the next run fails."""
    from flows.ingest import rebuild_dimensions_and_facts
    from warehouse import checks, lake

    _create_database(postgres, "tamas_lake_checks")
    spec = f"ducklake:postgres:dbname=tamas_lake_checks {postgres}"
    _ingest([str(SEEDS), "--warehouse", spec, "--lake-data", str(tmp_path / "lake-data")])
    con = lake.connect(spec)
    try:
        assert checks.run_checks(con) == []
        # accepted by the lake (no constraints), refused by the checks
        con.execute("INSERT INTO dim_article SELECT * FROM dim_article LIMIT 1")
        con.execute("INSERT INTO stg_call_mention (article_id, call_seq, mode, char_start, char_end, evidence)"
                    " SELECT article_id, 99, 'fax', 0, 1, 'x' FROM dim_article LIMIT 1")
        found = {(f.table, f.check, f.columns[0]) for f in checks.run_checks(con)}
        assert {("dim_article", "unique", "article_id"), ("stg_call_mention", "accepted_values", "mode")} <= found
        rebuilds = con.execute("SELECT rebuilds FROM lake_writer").fetchone()[0]
        facts = checksums(con)
        with pytest.raises(checks.ContractViolation, match=r"dim_article: 1 duplicated value\(s\) of unique key"):
            lake.rebuild_derived(con, rebuild_dimensions_and_facts)
        assert con.execute("SELECT rebuilds FROM lake_writer").fetchone()[0] == rebuilds  # rolled back
        assert checksums(con) == facts
    finally:
        con.close()
    more = tmp_path / "more"
    more.mkdir()
    (more / "call.txt").write_text((SEEDS / sorted(p.name for p in SEEDS.iterdir())[0]).read_text(encoding="utf-8")
                                   + "\nگفت‌وگوی تلفنی دیگر.", encoding="utf-8")
    result = subprocess.run(TAMAS + ["ingest", str(more), "--warehouse", spec], cwd=REPO,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode != 0 and "ContractViolation" in result.stdout + result.stderr
    con = lake.connect(spec)
    try:
        status, error = con.execute("SELECT status, error FROM ingest_run ORDER BY started_at DESC LIMIT 1").fetchone()
        assert status == "failed" and "unique key (article_id)" in error
        # the run's load had committed: its row turned failed, no second row for the run
        assert con.execute("SELECT count(*) = count(DISTINCT run_id) FROM ingest_run").fetchone()[0]
    finally:
        con.close()


def test_lake_data_needs_a_lake_warehouse(tmp_path):
    result = subprocess.run(
        TAMAS + ["ingest", str(SEEDS), "--warehouse", str(tmp_path / "w.duckdb"), "--lake-data", str(tmp_path)],
        cwd=REPO, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 2 and "ducklake" in result.stderr


# ---------------------------------------------------------------- the benchmark's corpus


def test_bench_corpus_is_distinct_and_realistic(tmp_path):
    sys.path.insert(0, str(REPO / "scripts"))
    try:
        import bench
    finally:
        sys.path.pop(0)
    corpus = bench.build_corpus(400, tmp_path)
    texts = list(bench.corpus_texts(corpus))
    assert len(texts) == 400
    keys = {" ".join(t.replace("ي", "ی").replace("ك", "ک").replace("\u200c", " ").split()) for t in texts}
    assert len(keys) == 400
    bases = [b["text"] for b in bench.load_bases()]
    mean = sum(map(len, texts)) / len(texts)
    base_mean = sum(map(len, bases)) / len(bases)
    assert 0.5 * base_mean < mean < 2 * base_mean
    assert bench.build_corpus(400, tmp_path) == corpus  # reused, not rebuilt


def test_bench_measures_cpu_by_kind_of_process(tmp_path):
    """The benchmark's CPU seconds by process: a spawned pool worker's busy second counts
    for the workers, not for the command that started it."""
    sys.path.insert(0, str(REPO / "scripts"))
    try:
        import bench
    finally:
        sys.path.pop(0)
    busy = ("import multiprocessing as mp, time\n"
            "def spin(seconds):\n"
            "    end = time.process_time() + seconds\n"
            "    while time.process_time() < end: pass\n"
            "if __name__ == '__main__':\n"
            "    with mp.get_context('spawn').Pool(1) as pool: pool.apply(spin, (1.5,))\n")
    script = tmp_path / "busy.py"  # a file: a spawned process imports its parent's main module
    script.write_text(busy, encoding="utf-8")
    result = bench.run_measured([sys.executable, str(script)], dict(os.environ))
    cpu = result["cpu"]
    assert cpu["workers"] > 1.0, cpu
    assert cpu["ingest"] < 1.0, cpu
    assert "cores" in bench._cpu_line(result)


def test_bench_says_when_it_compares_runs_of_different_code(tmp_path, capsys):
    """The 100k → 300k line compares sizes only when both runs are of the same code; a
    stored run of an older commit is named as such."""
    sys.path.insert(0, str(REPO / "scripts"))
    try:
        import bench
    finally:
        sys.path.pop(0)
    run = {"mix": "calls", "cold_s": 100.0, "rss_tree": 1_000, "measured": "2026-12-05 00:00"}
    (tmp_path / "results-calls-300000.json").write_text(json.dumps({**run, "n": 300000, "cold_s": 300.0, "code": "aaaaaaa"}))
    bench.print_scaling(tmp_path, {"calls": {**run, "n": 100000, "code": "aaaaaaa"}})
    same = capsys.readouterr().out
    bench.print_scaling(tmp_path, {"calls": {**run, "n": 100000, "code": "bbbbbbb"}})
    other = capsys.readouterr().out
    assert "cold time 3.00×" in same and "code" not in same
    assert "cold time 3.00×" in other and "of code aaaaaaa, 2026-12-05 00:00, this one of bbbbbbb" in other
