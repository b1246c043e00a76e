"""The ingest_articles flow end to end, on the seed articles and small real-Persian files."""

from __future__ import annotations

import json
import os
import shutil
import time

import pytest

CONTRACT_TABLES = [
    "dim_article", "dim_country", "dim_official", "official_role", "dim_topic", "fact_call",
    "call_participant", "call_topic", "call_mention", "statement",
]
KEY_COLUMNS = {
    "dim_article": "article_id", "dim_official": "official_id", "fact_call": "call_id",
    "call_participant": "call_id || official_id", "call_topic": "call_id || topic_code",
    "call_mention": "call_id || article_id", "statement": "statement_id",
}

PERSIAN_CALL = (
    "به گزارش خبرگزاری ایرنا، سید عباس عراقچی وزیر امور خارجه کشورمان روز دوشنبه در تماس تلفنی با "
    "هاکان فیدان وزیر امور خارجه ترکیه درباره آخرین تحولات منطقه و همکاری‌های اقتصادی گفت‌وگو کرد."
)


def _snapshot(query):
    """Row count and an order-independent checksum of the key column of every contract table."""
    out = {}
    for table in CONTRACT_TABLES:
        key = KEY_COLUMNS.get(table, "*")
        expression = f"bit_xor(hash({key}))" if key != "*" else f"bit_xor(hash(COLUMNS(*)))"
        count = query(f"SELECT count(*) FROM {table}")[0][0]
        checksum = query(f"SELECT {expression} FROM {table}")[0] if count else None
        out[table] = (count, checksum)
    return out


def test_seeds_end_to_end(ingest, seed_dir, query):
    summary = ingest(seed_dir)
    assert summary.status == "completed"
    assert summary.counts["loaded"] == 2
    calls = query(
        """
        SELECT list(o.name_fa ORDER BY o.name_fa), list(p.country_code ORDER BY p.country_code)
        FROM call_participant p JOIN dim_official o USING (official_id)
        GROUP BY p.call_id ORDER BY 1
        """
    )
    names = [sorted(row[0]) for row in calls]
    assert len(calls) == 2
    assert ["الهام علی‌اف", "حسن روحانی"] in names
    assert ["شاهین مصطفی‌اف", "محمود واعظی"] in names
    assert all(row[1] == ["AZ", "IR"] for row in calls)
    # Seed 000 names Vaezi without a title in the call's sentence; its lead calls him the
    # president's chief of staff, and that is the title stored (not his earlier ministry).
    titles = dict(query("SELECT official_id, title_fa FROM call_participant"))
    assert titles["mahmoud-vaezi"] == "رئیس دفتر رئیس‌جمهوری"
    # Every evidence is a substring of its article's clean text at the recorded offsets.
    bad = query(
        """
        SELECT count(*) FROM call_mention m JOIN dim_article a USING (article_id)
        WHERE substr(a.clean_text, m.char_start + 1, m.char_end - m.char_start) <> m.evidence
        """
    )[0][0]
    assert bad == 0
    runs = query("SELECT status, files_seen, articles_loaded FROM ingest_run")
    assert runs == [("completed", 2, 2)]


def test_second_run_changes_no_table_and_reports_unchanged(ingest, seed_dir, query):
    ingest(seed_dir)
    before = _snapshot(query)
    summary = ingest(seed_dir)
    assert summary.counts["unchanged"] == 2
    assert _snapshot(query) == before
    # A touched file is hashed, found identical, and still unchanged.
    os.utime(next(seed_dir.iterdir()))
    assert ingest(seed_dir).counts["unchanged"] == 2
    assert _snapshot(query) == before
    per_run = query("SELECT run_id, count(*) FROM ingest_file GROUP BY run_id")
    assert [n for _, n in per_run] == [2, 2, 2]


def test_every_input_format_and_every_file_accounted(ingest, tmp_path, query):
    folder = tmp_path / "in"
    (folder / "nested").mkdir(parents=True)
    (folder / "a.txt").write_text("عنوان خبر\n\n" + PERSIAN_CALL, encoding="utf-8")
    (folder / "b.md").write_text("## خبر دوم\n\n" + PERSIAN_CALL.replace("دوشنبه", "سه‌شنبه"), encoding="utf-8")
    (folder / "nested" / "c.json").write_text(
        json.dumps({"text": PERSIAN_CALL.replace("دوشنبه", "چهارشنبه"), "published_at": "2026-05-12T10:00:00+03:30", "outlet": "ایرنا"}, ensure_ascii=False),
        encoding="utf-8",
    )
    (folder / "d.jsonl").write_text(
        json.dumps({"text": PERSIAN_CALL.replace("دوشنبه", "پنجشنبه")}, ensure_ascii=False) + "\n{broken\n",
        encoding="utf-8",
    )
    (folder / "e.html").write_text(
        f"<html><body><nav>خانه</nav><article><h1>تماس</h1><p>{PERSIAN_CALL.replace('دوشنبه', 'جمعه')}</p>"
        f"<p>{PERSIAN_CALL}</p></article></body></html>",
        encoding="utf-8",
    )
    shutil.copy(folder / "a.txt", folder / "copy-of-a.txt")
    (folder / "empty.txt").write_bytes(b"")
    summary = ingest(folder)
    rows = dict(query("SELECT regexp_extract(source_path, '[^/]+$'), outcome FROM ingest_file"))
    assert rows == {
        "a.txt": "loaded", "b.md": "loaded", "c.json": "loaded", "d.jsonl": "loaded", "e.html": "loaded",
        "copy-of-a.txt": "duplicate", "empty.txt": "rejected",
    }
    assert summary.counts["files_seen"] == 7
    published = query("SELECT published_date FROM dim_article WHERE source_path LIKE '%c.json'")
    assert str(published[0][0]) == "2026-05-12"
    reason = query("SELECT reason FROM ingest_file WHERE source_path LIKE '%d.jsonl'")[0][0]
    assert "line 2" in reason


def test_run_leaves_only_the_published_warehouse(ingest, seed_dir, warehouse):
    ingest(seed_dir)
    leftovers = sorted(p.name for p in warehouse.parent.iterdir())
    assert leftovers == ["tamas.duckdb", "tamas.duckdb.lock"]


def test_file_rejected_for_its_content_is_not_read_again_until_it_changes(ingest, query, seed_dir, monkeypatch):
    """An unchanged file rejected for its bytes (here: English text) is recorded as
    rejected again without being read; touched, it is read again."""
    import os

    import flows.batch

    english = seed_dir / "english.txt"
    english.write_text("A short English note about the weather, which no Persian reader should load.", encoding="utf-8")
    first = ingest(seed_dir)
    assert first.counts["rejected"] == 1 and first.counts["loaded"] == 2

    read_paths: list[str] = []
    real_read = flows.batch.read_files

    def spy_read(files, *args):
        read_paths.extend(files["source_path"].to_list())
        return real_read(files, *args)

    monkeypatch.setattr(flows.batch, "read_files", spy_read)
    second = ingest(seed_dir)
    assert read_paths == [] and second.counts["rejected"] == 1 and second.counts["unchanged"] == 2
    [(reason,)] = query("SELECT reason FROM ingest_file WHERE run_id = ? AND outcome = 'rejected'", [second.run_id])
    assert reason.startswith("not_persian:en") and "not read again" in reason

    stat = english.stat()
    os.utime(english, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    third = ingest(seed_dir)
    assert read_paths == [str(english)] and third.counts["rejected"] == 1
    [(reason,)] = query("SELECT reason FROM ingest_file WHERE run_id = ? AND outcome = 'rejected'", [third.run_id])
    assert reason == "not_persian:en"


def test_latest_file_state_agrees_with_the_run_history(ingest, seed_dir, warehouse):
    """ingest_file_latest, kept by each run, gives the next run the same answers as
    ranking the whole ingest_file history -- through a load, a rejection of a loaded
    file (its last accepted state must survive), its repair, and a touch -- and a
    warehouse that predates the table gets it built from that history."""
    import duckdb

    from warehouse import load, store

    def states(con):
        out = []
        for history in (False, True):
            files = load.file_state(con, from_history=history).sort("source_path")
            rejected = load.rejected_state(con, from_history=history).sort("source_path")
            out.append((files.rows(), rejected.rows()))
        return out

    article = sorted(seed_dir.iterdir())[0]
    original = article.read_bytes()
    english = "A short English note about the weather, which no Persian reader should load."
    unchanged = lambda: None  # noqa: E731 -- a run that finds every file as the last left it
    steps = [
        unchanged, unchanged, unchanged,  # loaded, then unchanged, then unchanged again
        lambda: article.write_text(english, encoding="utf-8"),  # now rejected
        unchanged, unchanged,  # still rejected, twice
        lambda: article.write_bytes(original),  # back: loaded bytes again
        lambda: os.utime(article, ns=(0, 1_000_000_000_000)),  # touched only
        unchanged,
    ]
    seen_rejected = False
    mart = f"SELECT * FROM ({load.read_sql('marts', 'ingest_file_latest')}) ORDER BY source_path"
    for step in steps:
        step()
        ingest(seed_dir)
        with duckdb.connect(str(warehouse), read_only=True) as con:
            latest, history = states(con)
            # every column, run ids included, as ranking the history gives them
            assert con.execute("SELECT * FROM ingest_file_latest ORDER BY source_path").fetchall() == con.execute(mart).fetchall()
        assert latest == history
        seen_rejected |= bool(latest[1])
        assert {row[0] for row in latest[0]} == {str(p) for p in seed_dir.iterdir()}
    assert seen_rejected

    with duckdb.connect(str(warehouse)) as con:  # a warehouse from before the table
        con.execute("DROP TABLE ingest_file_latest")
        store.apply_schema(con)
        latest, history = states(con)
    assert latest == history and len(latest[0]) == 2


def test_a_listing_made_before_the_flow_is_the_one_it_loads(ingest, seed_dir, warehouse):
    """``discover_early`` (what the CLI runs while Prefect's server starts) is the run's
    discovery: a file added after it waits for the next run."""
    from flows.early import discover_early

    discover_early([str(seed_dir)], 5 * 1024 * 1024)
    late = seed_dir / "late.txt"
    late.write_text(PERSIAN_CALL, encoding="utf-8")
    first = ingest(seed_dir, max_bytes=5 * 1024 * 1024)
    assert first.counts["files_seen"] == 2
    second = ingest(seed_dir, max_bytes=5 * 1024 * 1024)
    assert second.counts["files_seen"] == 3 and second.counts["loaded"] == 1


def test_the_head_start_readies_the_transforms_only_when_a_file_is_to_read(ingest, seed_dir, warehouse):
    """``prepare_early`` (what the CLI runs before it imports Prefect) gets the transforms'
    resources ready only when the published warehouse says some listed file is new or
    changed: a run over unchanged files never pays for them. With two cores it starts the
    worker the flow then transforms in, so this process never builds them; with one it
    builds them here."""
    from flows import early
    from flows.batch import _prepare_for_reference as prepared

    limit = 5 * 1024 * 1024
    ingest(seed_dir, max_bytes=limit)
    prepared.cache_clear()
    early.prepare_early([str(seed_dir)], limit, str(warehouse), workers=2)
    assert early._POOLS == {} and prepared.cache_info().currsize == 0
    assert ingest(seed_dir, max_bytes=limit).counts["unchanged"] == 2

    (seed_dir / "late.txt").write_text(PERSIAN_CALL, encoding="utf-8")
    early.prepare_early([str(seed_dir)], limit, str(warehouse), workers=2)
    assert len(early._POOLS) == 1
    summary = ingest(seed_dir, max_bytes=limit)
    assert summary.counts["loaded"] == 1 and summary.counts["calls_found"] == 1
    assert early._POOLS == {} and prepared.cache_info().currsize == 0  # the flow took it and transformed there

    (seed_dir / "later.txt").write_text(PERSIAN_CALL + " دوباره.", encoding="utf-8")
    early.prepare_early([str(seed_dir)], limit, str(warehouse), workers=1)
    assert early._POOLS == {} and prepared.cache_info().currsize == 1
    assert ingest(seed_dir, max_bytes=limit).counts["loaded"] == 1

    prepared.cache_clear()
    early.prepare_early([str(seed_dir)], limit, str(warehouse.with_name("new.duckdb")), workers=2)
    assert len(early._POOLS) == 1
    early.close()
    assert early._POOLS == {}
    ingest(seed_dir, max_bytes=limit)  # takes the listing that head start left


def test_a_big_runs_head_start_starts_its_whole_pool_and_the_flow_transforms_there(ingest, tmp_path, warehouse, query):
    """With at least ``POOL_MIN_FILES`` files to read, the head start starts the run's
    whole pool (one worker per core asked for), so the workers' start overlaps the
    server's; the flow transforms in those workers and starts no other."""
    import threading

    import psutil

    from flows import early

    folder = tmp_path / "many"
    folder.mkdir()
    files = early.POOL_MIN_FILES + 10
    for i in range(files):
        (folder / f"{i:04}.txt").write_text(f"خبر شماره {i}\n\n{PERSIAN_CALL}", encoding="utf-8")
    limit = 5 * 1024 * 1024

    def workers() -> set[int]:  # the pool workers of this test's process
        found = set()
        for child in psutil.Process().children(recursive=True):
            try:
                if "spawn_main" in " ".join(child.cmdline()):
                    found.add(child.pid)
            except psutil.NoSuchProcess:
                pass
        return found

    before = workers()
    early.prepare_early([str(folder)], limit, str(warehouse), workers=2)
    [pool] = early._POOLS.values()
    assert pool.workers == 2
    # A worker is launched by a fork and then an exec: just after the launch, the newest
    # may still have the parent's command line. Each is given a few seconds to show.
    deadline = time.monotonic() + 10
    while len(head_start := workers() - before) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(head_start) == 2
    seen, done = set(), threading.Event()

    def watch() -> None:
        while not done.is_set():
            seen.update(workers() - before)
            done.wait(0.05)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        summary = ingest(folder, max_bytes=limit, workers=2)
    finally:
        done.set()
        watcher.join()
    assert summary.counts["loaded"] == files and early._POOLS == {}
    assert seen == head_start
    assert query("SELECT count(DISTINCT article_id) FROM dim_article")[0][0] == files


def test_the_facts_are_the_same_for_any_number_of_buckets(ingest, tmp_path, warehouse):
    """The facts are consolidated bucket by bucket of participant sets (warehouse/load.py
    rebuild_facts), as many buckets as the staged mentions need: the facts must not
    depend on how many there are."""
    import duckdb

    from transforms.calls import consolidate_calls
    from warehouse import load

    # (caller, the caller's surname, callee)
    pairs = [("سید عباس عراقچی وزیر امور خارجه", "عراقچی", "سرگئی لاوروف وزیر امور خارجه روسیه"),
             ("مسعود پزشکیان رئیس جمهور", "پزشکیان", "رجب طیب اردوغان رئیس جمهور ترکیه"),
             ("مسعود پزشکیان رئیس جمهور", "پزشکیان", "امانوئل مکرون رئیس جمهور فرانسه"),
             ("سید عباس عراقچی وزیر امور خارجه", "عراقچی", "فیصل بن فرحان وزیر امور خارجه عربستان")]
    folder = tmp_path / "calls"
    folder.mkdir()
    for i in range(12):
        a, surname, b = pairs[i % len(pairs)]
        day = 10 + i // len(pairs)        # the same call reported by two outlets, then new calls
        for outlet in ("ایرنا", "ایسنا"):
            text = (f"به گزارش {outlet}، {a} در تماس تلفنی با {b} درباره روابط دوجانبه، برنامه هسته‌ای و غزه "
                    f"گفت‌وگو کرد.\n{surname} در این گفت‌وگو گفت: "
                    f"همکاری‌های دو کشور باید گسترش یابد (گزارش {i}).")
            record = {"published_at": f"2024-11-{day:02d}T10:00:00+03:30", "outlet": outlet, "text": text}
            (folder / f"{i:02}-{outlet}.json").write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    summary = ingest(folder)
    assert summary.counts["loaded"] == 24
    con = duckdb.connect(str(warehouse))
    try:
        facts = []
        for buckets in (1, 3, 8):
            con.execute("BEGIN TRANSACTION")
            load.rebuild_facts(con, consolidate_calls, buckets=buckets)
            facts.append({t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in load.FACT_TABLES})
            con.execute("ROLLBACK")
    finally:
        con.close()
    assert facts[0] == facts[1] == facts[2]
    assert len(facts[0]["fact_call"]) >= 8 and len(facts[0]["call_mention"]) > len(facts[0]["fact_call"])
    assert facts[0]["statement"] and facts[0]["call_topic"]


def test_schema_is_applied_again_only_when_its_sql_changed(ingest, seed_dir, warehouse, query):
    """A run records the hash of the schema SQL it left in place; the next run's staged
    copy skips applying it while the hash is the same and every table and view is there,
    and applies it when the recorded hash is another (an older schema) or a view is gone."""
    import duckdb

    from warehouse import contract, store

    def by_hand(sql: str) -> None:  # between runs, as an administrator would
        con = duckdb.connect(str(warehouse))
        try:
            con.execute(sql)
        finally:
            con.close()

    def fact_call_comment() -> str:
        return query("SELECT comment FROM duckdb_tables() WHERE table_name = 'fact_call'")[0][0]

    described = contract.load()["fact_call"].description
    ingest(seed_dir)
    assert query("SELECT schema_sha256 FROM ingest_run") == [(store.schema_sha256(),)]
    assert fact_call_comment() == described

    # Same schema SQL: the next run does not apply it (a comment changed by hand stays).
    by_hand("COMMENT ON TABLE fact_call IS 'changed by hand'")
    ingest(seed_dir)
    assert fact_call_comment() == "changed by hand"

    # The last completed run left another schema: this run applies the current one.
    by_hand("UPDATE ingest_run SET schema_sha256 = 'an older schema'")
    ingest(seed_dir)
    assert fact_call_comment() == described
    last = "SELECT schema_sha256 FROM ingest_run ORDER BY started_at DESC LIMIT 1"
    assert query(last) == [(store.schema_sha256(),)]

    # A view dropped by hand comes back although the hash is the same.
    by_hand("DROP VIEW v_calls")
    ingest(seed_dir)
    assert query("SELECT count(*) FROM duckdb_views() WHERE view_name = 'v_calls'") == [(1,)]
    assert query("SELECT count(*) FROM v_calls")[0][0] > 0


def _declared_keys() -> dict[str, str]:
    """Every table's ``unique_key`` in warehouse/contract.yml, as SQL column lists."""
    from warehouse import contract

    return {t.name: ", ".join(t.unique_key) for t in contract.tables() if t.unique_key}


def test_declared_unique_keys_hold_after_real_runs(ingest, seed_dir, query):
    """The big tables carry no PRIMARY KEY index (see "Keys" in warehouse/contract.yml); the loader
    keeps their keys unique. Checked after a load, a same-content copy, a new version
    of an article, a .jsonl with several articles, a touch and a re-run."""
    keys = _declared_keys()
    assert {"dim_article", "ingest_file", "ingest_file_latest", "fact_call", "call_participant", "stg_call_mention"} <= set(keys)
    (seed_dir / "several.jsonl").write_text(
        "\n".join(json.dumps({"text": PERSIAN_CALL.replace("دوشنبه", day)}, ensure_ascii=False) for day in ("سه‌شنبه", "چهارشنبه")),
        encoding="utf-8",
    )
    ingest(seed_dir)
    first = sorted(p for p in seed_dir.iterdir() if p.suffix != ".jsonl")[0]
    shutil.copy(first, seed_dir / "copy.txt")
    ingest(seed_dir)
    first.write_text(first.read_text(encoding="utf-8") + "\n" + PERSIAN_CALL, encoding="utf-8")  # new version
    os.utime(seed_dir / "several.jsonl", ns=(0, 1_000_000_000_000))  # touched only
    ingest(seed_dir)
    ingest(seed_dir)
    assert query("SELECT count(*) FROM dim_article WHERE supersedes_article_id IS NOT NULL")[0][0] == 1
    for table, columns in keys.items():
        total, distinct = query(f"SELECT count(*), count(DISTINCT ({columns})) FROM {table}")[0]
        assert total > 0 and total == distinct, (table, columns, total, distinct)


def test_a_run_clears_what_a_killed_run_left_beside_its_copy(ingest, seed_dir, warehouse, query):
    """A run killed after DuckDB had spilled to disk leaves the staged copy's log and
    spill directory behind; the next run removes them with the copy."""
    ingest(seed_dir)
    staged = warehouse.with_name(warehouse.name + ".next")
    spill = warehouse.with_name(staged.name + ".tmp")
    spill.mkdir()
    (spill / "duckdb_temp_storage_DEFAULT-0.tmp").write_bytes(b"\0" * 4096)
    staged.with_name(staged.name + ".wal").write_bytes(b"\0" * 4096)
    summary = ingest(seed_dir)
    assert summary.status == "completed"
    assert sorted(p.name for p in warehouse.parent.iterdir()) == [warehouse.name, warehouse.name + ".lock"]
    assert query("SELECT count(*) FROM ingest_run WHERE status = 'completed'") == [(2,)]


def test_runs_write_row_groups_of_bounded_size(ingest, tmp_path, query):
    """Every run writes row groups of at most store.ROW_GROUP_ROWS rows, so a checkpoint
    rewrites at most that many rows of a table's last, partly filled group (with DuckDB's
    default of 122,880, each checkpoint of a long load recompressed ever more texts)."""
    import json

    from warehouse import store

    def article(k: int) -> str:
        return "\n".join(f"{PERSIAN_CALL} این گزارش شماره {k} بند {j} است." for j in range(12))

    def groups() -> list[int]:
        rows = query("SELECT row_group_id, sum(count) FROM pragma_storage_info('fts_main_dim_article.terms')"
                     " WHERE column_name = 'termid' AND segment_type <> 'VALIDITY' GROUP BY 1")
        return [int(n) for _, n in rows]

    corpus = tmp_path / "many"
    corpus.mkdir()
    for part in range(2):
        lines = [json.dumps({"id": f"{part}-{k}", "text": article(100 * part + k)}, ensure_ascii=False)
                 for k in range(80)]
        (corpus / f"part{part}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
        ingest(corpus)  # the second run appends to the first's tables
        sizes = groups()
        words = query("SELECT count(*) FROM fts_main_dim_article.terms")[0][0]
        assert words > 2 * store.ROW_GROUP_ROWS * (part + 1) and sum(sizes) == words
        assert len(sizes) > 2 and max(sizes) <= store.ROW_GROUP_ROWS, sizes


def test_article_texts_are_stored_compressed_and_an_older_file_is_rewritten_once(ingest, seed_dir, warehouse, query):
    """A new warehouse is written in a storage format that compresses long strings; a
    warehouse of an older format (DuckDB writes its texts uncompressed) is rewritten in
    the current one by the next run, with every row, rowid, view and macro as it was."""
    import duckdb

    from warehouse import store

    def storage() -> tuple[str, set[str]]:
        tag = query("SELECT tags['storage_version'] FROM duckdb_databases() WHERE database_name = current_database()")
        kinds = query("SELECT DISTINCT compression FROM pragma_storage_info('dim_article') WHERE column_name = 'clean_text'")
        return tag[0][0], {k for (k,) in kinds}

    def content() -> dict:
        tables = query("SELECT schema_name, table_name FROM duckdb_tables() WHERE table_name NOT LIKE 'ingest_%'")
        out = {f"{s}.{t}": query(f"SELECT rowid, * FROM {s}.{t} ORDER BY rowid") for s, t in tables}
        out["views"] = query("SELECT view_name, sql FROM duckdb_views() WHERE NOT internal ORDER BY 1")
        out["macros"] = query("SELECT schema_name, function_name FROM duckdb_functions() WHERE NOT internal"
                              " AND database_name = current_database() ORDER BY ALL")
        return out

    (seed_dir / "long.txt").write_text(PERSIAN_CALL + "\n" + "\n".join([PERSIAN_CALL] * 40), encoding="utf-8")
    ingest(seed_dir)
    tag, kinds = storage()
    assert tag.startswith(store.STORAGE_VERSION) and kinds == {"ZSTD"} | ({"Constant"} & kinds)

    # The same warehouse in DuckDB's older default format, as earlier versions wrote it.
    older = warehouse.with_name("older.duckdb")
    con = duckdb.connect()
    con.execute(f"ATTACH '{warehouse}' AS current_file (READ_ONLY)")
    con.execute(f"ATTACH '{older}' AS older_file (STORAGE_VERSION 'v1.0.0')")
    con.execute("COPY FROM DATABASE current_file TO older_file")
    con.close()
    os.replace(older, warehouse)
    tag, kinds = storage()
    assert tag.startswith("v1.0.0") and "ZSTD" not in kinds
    before = content()
    search = "SELECT article_id, fts_main_dim_article.match_bm25(article_id, 'تماس تلفنی') AS s FROM dim_article ORDER BY 1"
    ranked = query(search)

    summary = ingest(seed_dir)
    assert summary.counts["loaded_articles"] == 0
    tag, kinds = storage()
    assert tag.startswith(store.STORAGE_VERSION) and "ZSTD" in kinds
    assert content() == before
    assert query(search) == ranked
    assert query("SELECT count(*) FROM ingest_run WHERE status = 'completed'") == [(2,)]


def _polars_threads() -> int:
    import polars as pl

    return pl.thread_pool_size()


@pytest.mark.parametrize("asked", [None, "2"])
def test_pool_workers_run_polars_on_one_thread_unless_the_user_asks(monkeypatch, asked):
    """A pool has a worker per core: each worker's polars on one thread, so they do not
    preempt one another; a POLARS_MAX_THREADS the user set is kept."""
    from flows.pool import WorkerPool, run_alone

    if asked is None:
        monkeypatch.delenv("POLARS_MAX_THREADS", raising=False)
    else:
        monkeypatch.setenv("POLARS_MAX_THREADS", asked)
    expected = 1 if asked is None else int(asked)
    pool = WorkerPool(2)
    try:
        assert pool.run(_polars_threads) == expected
    finally:
        pool.close()
    assert run_alone(_polars_threads, timeout=120) == expected  # a batch redone alone too


def test_a_batch_is_read_parsed_cleaned_and_extracted_with_the_cycle_collector_off(tmp_path):
    """Parsing and cleaning make a batch's worth of small dicts and lists: with the
    collector on they set off its passes over everything the worker holds. None runs
    while a batch is transformed, but the one that what the batch allocated sets off as
    the pause ends (of whichever generation is due), and the collector is on again."""
    import gc

    from flows.batch import transform_batch
    from flows.files import discover_files, split_records

    for i in range(400):
        text = (f"خبر شماره {i}: وزیر امور خارجه ایران در تماس تلفنی با همتای ترکیه‌ای خود درباره "
                f"روابط دوجانبه و تحولات منطقه گفت‌وگو کرد. این گفت‌وگو {i} دقیقه طول کشید.")
        record = {"title": f"گفت‌وگوی تلفنی شماره {i}", "text": text, "published_at": "2024-03-05T10:00:00+03:30"}
        (tmp_path / f"a{i:03d}.json").write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    files = split_records(discover_files([tmp_path]))
    transform_batch(files.head(1))  # what every batch shares is built before

    collections = []
    gc.collect()  # no pass due when the batch starts: only what the batch allocates counts

    def count(phase, info):
        if phase == "start":
            collections.append(info["generation"])

    gc.callbacks.append(count)
    try:
        batch = transform_batch(files)
    finally:
        gc.callbacks.remove(count)
    assert batch.articles.height == 400 and batch.extraction.mentions.height == 400
    assert len(collections) <= 1, collections
    assert gc.isenabled()


def test_unchanged_files_get_rows_made_from_their_last_accepted_state(ingest, tmp_path, query):
    """A file not read again is recorded with the size, mtime and hash of the run that
    accepted it: for a re-run where nothing changed (every known file) and for one where
    a file changed and another went away (only the files still as they were)."""
    from transforms.incremental import UNCHANGED_NOTE

    folder = tmp_path / "in"
    folder.mkdir()
    texts = {
        "a.txt": "وزیر خارجه ایران روز شنبه در تماس تلفنی با همتای عمانی خود درباره مذاکرات گفت‌وگو کرد.",
        "b.txt": "رئیس‌جمهور کشورمان در گفت‌وگوی تلفنی با رئیس‌جمهور فرانسه از تحولات لبنان سخن گفت.",
        "c.txt": "وزیر امور خارجه قطر شامگاه یکشنبه با وزیر خارجه ایران تلفنی گفت‌وگو کرد.",
    }
    for name, text in texts.items():
        (folder / name).write_text("خبر\n\n" + text, encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    first = ingest(folder)

    def accepted(run_id):
        return {row[0]: row[1:] for row in query(
            "SELECT source_path, size_bytes, mtime_ns, content_sha256 FROM ingest_file WHERE run_id = ?", [run_id])}

    def unchanged(run_id):
        return {row[0]: row[1:] for row in query(
            "SELECT source_path, size_bytes, mtime_ns, content_sha256, reason, article_ids FROM ingest_file "
            "WHERE run_id = ? AND outcome = 'unchanged'", [run_id])}

    loaded = accepted(first.run_id)
    second = ingest(folder)
    assert unchanged(second.run_id) == {
        str(folder / name): (*loaded[str(folder / name)], UNCHANGED_NOTE, None) for name in texts
    }
    assert second.counts["unchanged"] == 3 and second.counts["files_seen"] == 4

    (folder / "b.txt").write_text("خبر\n\n" + texts["b.txt"] + " این خبر به‌روز شد.", encoding="utf-8")
    (folder / "c.txt").unlink()
    third = ingest(folder)
    assert unchanged(third.run_id) == {str(folder / "a.txt"): (*loaded[str(folder / "a.txt")], UNCHANGED_NOTE, None)}
    assert third.counts["unchanged"] == 1 and third.counts["files_seen"] == 3
    assert query("SELECT count(*) FROM ingest_file WHERE run_id = ?", [third.run_id]) == [(3,)]
