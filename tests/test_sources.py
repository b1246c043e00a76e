"""Sources as plug-ins (issue 16): a big .jsonl read record by record, a Telegram Desktop
export and RSS/Atom feed files — on real-shaped Persian data (tests/fixtures/)."""

from __future__ import annotations

import json
import shutil
from datetime import datetime, timezone
from pathlib import Path

import polars as pl

from flows.files import PART_RECORDS, batches_by_weight, discover_files, split_jsonl, split_records
from transforms.parsing import parse_files

FIXTURES = Path(__file__).resolve().parent / "fixtures"
DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
SENTENCES = (
    "شورای شهر تهران در جلسه امروز خود طرح توسعه حمل‌ونقل عمومی در مناطق جنوبی پایتخت را بررسی کرد.",
    "به گفته رئیس سازمان هواشناسی، بارش‌های پاییزی از اواخر هفته جاری در استان‌های شمالی کشور آغاز می‌شود.",
    "تیم ملی والیبال ایران در دیدار دوستانه با ژاپن با نتیجه سه بر یک به برتری رسید.",
    "نمایشگاه بین‌المللی کتاب تهران امسال با حضور ناشرانی از بیست کشور برگزار خواهد شد.",
)


def _record(number: int) -> dict:
    """A distinct Persian news record (the number, in Persian digits, makes its text unique)."""
    n = str(number).translate(DIGITS)
    text = f"گزارش شماره {n}\n\n" + " ".join(SENTENCES[(number + i) % len(SENTENCES)] for i in range(3)) + f" این خبر {n} است."
    return {"text": text, "title": f"گزارش شماره {n}", "url": f"https://example.ir/news/{number}",
            "published_at": "2024-08-05T10:00:00+03:30", "outlet": "خبرگزاری نمونه"}


def _write_jsonl(path: Path, records: list, oversized_at: int | None = None, oversized_bytes: int = 0) -> None:
    lines = [json.dumps(r, ensure_ascii=False) for r in records]
    if oversized_at is not None:
        big = _record(10_000)
        big["text"] += " " + "خبر " * (oversized_bytes // 8)
        lines.insert(oversized_at - 1, json.dumps(big, ensure_ascii=False))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


# ---------------------------------------------------------------- .jsonl record by record


def test_split_jsonl_cuts_at_line_ends_and_leaves_out_an_oversized_record(tmp_path):
    path = tmp_path / "news.jsonl"
    _write_jsonl(path, [_record(i) for i in range(150)], oversized_at=100, oversized_bytes=30_000)
    data = path.read_bytes()
    parts, sha, notes, size, _, error = split_jsonl(str(path), max_bytes=20_000)
    assert error is None and size == len(data)
    import hashlib

    assert sha == hashlib.sha256(data).hexdigest()
    assert len(notes) == 1 and notes[0].startswith("line 100: too_large:") and notes[0].endswith("bytes > 20000")
    # Every part ends at a line end and holds at most PART_RECORDS lines; together they
    # hold every line but the oversized one, with their true line numbers.
    lines_seen = []
    for start, end, first_line, count in parts:
        chunk = data[start:end]
        assert chunk.endswith(b"\n") and count <= PART_RECORDS
        assert (start == 0 or data[start - 1:start] == b"\n")
        lines_seen += list(range(first_line, first_line + count))
        assert chunk.count(b"\n") == count
    assert lines_seen == [n for n in range(1, 152) if n != 100]


def test_split_records_keeps_small_files_whole_and_cuts_big_jsonl(tmp_path):
    _write_jsonl(tmp_path / "big.jsonl", [_record(i) for i in range(200)])
    (tmp_path / "small.jsonl").write_text(json.dumps(_record(1), ensure_ascii=False) + "\n", encoding="utf-8")
    (tmp_path / "a.txt").write_text(SENTENCES[0], encoding="utf-8")
    found = discover_files([tmp_path], max_bytes=10_000)
    # The .jsonl over the limit is not rejected at discovery: the limit is a record's.
    assert found["skip_reason"].to_list() == [None, None, None]
    rows = split_records(found, max_bytes=10_000)
    big = rows.filter(pl.col("source_path").str.ends_with("big.jsonl"))
    assert big.height == 4 and big["weight"].sum() == 200 and big["part_count"].to_list() == [4] * 4
    others = rows.filter(~pl.col("source_path").str.ends_with("big.jsonl"))
    assert others["part_start"].to_list() == [None, None] and others["weight"].to_list() == [1, 1]


def test_batches_are_cut_by_records_and_by_bytes(tmp_path):
    _write_jsonl(tmp_path / "big.jsonl", [_record(i) for i in range(200)])
    for i in range(3):
        (tmp_path / f"{i}.txt").write_text(SENTENCES[0] * 50, encoding="utf-8")
    rows = split_records(discover_files([tmp_path], max_bytes=10_000), max_bytes=10_000)
    by_records = list(batches_by_weight(rows, 100, max_bytes=1 << 30))
    assert sum(b["weight"].sum() for b in by_records) == 203 and len(by_records) > 1
    for b in by_records[:-1]:  # each batch ends at the row that brings it to 100 records
        assert b["weight"].sum() >= 100 > b["weight"].sum() - b["weight"][-1]
    def nbytes(frame):
        return frame.select(pl.coalesce(pl.col("part_end") - pl.col("part_start"), "size_bytes")).to_series()

    cap = int(nbytes(rows).max()) + 1      # room for the biggest row, not for it and another part
    by_bytes = list(batches_by_weight(rows, 100, max_bytes=cap))
    assert len(by_bytes) > len(by_records) and pl.concat(by_bytes).equals(rows)
    for b, after in zip(by_bytes, by_bytes[1:]):  # full: the next row would not have fitted
        assert nbytes(b).sum() <= cap < nbytes(b).sum() + nbytes(after)[0]


def test_the_last_batches_shrink_so_the_workers_finish_together():
    names = pl.DataFrame({"source_path": [f"{i}.txt" for i in range(10_000)]})
    sizes = [b.height for b in batches_by_weight(names, 1000, finish_together=2, min_size=125)]
    assert sum(sizes) == 10_000
    assert sizes[:7] == [1000] * 7        # while 2 workers x 2 batches of the size are left
    tail = sizes[7:]
    assert len(tail) > 4 and tail[:-1] == sorted(tail[:-1], reverse=True)
    assert tail[0] < 1000 and min(tail) >= 125 and tail[-1] < 2 * 125    # no sliver at the very end
    # each batch is at most a quarter of what is left when it is cut
    left = 10_000
    for size in sizes:
        assert size <= max(125, -(-left // 4)) or size == left
        left -= size
    # one worker: the batches as asked
    assert [b.height for b in batches_by_weight(names, 1000, min_size=125)] == [1000] * 10


def test_a_file_rejected_without_reading_does_not_cut_a_batch(tmp_path):
    for i in range(3):
        (tmp_path / f"{i}.txt").write_text(SENTENCES[0] * 10, encoding="utf-8")  # ~1.7 KB each
    (tmp_path / "1-huge.txt").write_bytes(b"a" * 30_000)  # over the limit: never read
    rows = discover_files([tmp_path], max_bytes=10_000)
    assert rows.filter(pl.col("skip_reason").is_not_null())["source_path"].to_list()[0].endswith("1-huge.txt")
    batches = list(batches_by_weight(rows, 100, max_bytes=20_000))
    assert len(batches) == 1 and batches[0].equals(rows)
    # a file that is read still counts: the same bytes, readable, cut the batch
    readable = rows.with_columns(pl.lit(None, pl.String).alias("skip_reason"))
    assert len(list(batches_by_weight(readable, 100, max_bytes=20_000))) > 1
    # a frame with no sizes at all is cut by weight alone
    names = pl.DataFrame({"source_path": [f"{i}.txt" for i in range(10)]})
    assert [b.height for b in batches_by_weight(names, 3)] == [3, 3, 3, 1]
    assert list(batches_by_weight(names.head(0), 3)) == []


def test_big_jsonl_loads_every_record_by_parts_and_reruns_unchanged(ingest, query, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    _write_jsonl(folder / "news.jsonl", [_record(i) for i in range(150)], oversized_at=100, oversized_bytes=30_000)
    first = ingest(folder, max_bytes=20_000)  # the file is ~90 KB: cut into parts
    assert first.counts["loaded"] == 1 and first.counts["loaded_articles"] == 150
    ((outcome, reason, n),) = query("SELECT outcome, reason, len(article_ids) FROM ingest_file")
    assert outcome == "loaded" and n == 150
    assert reason.startswith("line 100: too_large:")
    lines = query("SELECT source_path FROM dim_article WHERE source_path LIKE '%#L1__' ORDER BY 1")
    assert [p.rsplit("#", 1)[1] for (p,) in lines] == [f"L{n}" for n in range(101, 152)]
    again = ingest(folder, max_bytes=20_000)
    assert (again.counts["unchanged"], again.counts["loaded_articles"]) == (1, 0)


def test_big_jsonl_of_bad_lines_only_is_rejected_once(ingest, query, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "broken.jsonl").write_text(("{\"متن\": ناقص\n" * 3000), encoding="utf-8")
    summary = ingest(folder, max_bytes=20_000)
    assert summary.counts["rejected"] == 1 and summary.counts["files_seen"] == 1
    ((outcome, reason),) = query("SELECT outcome, reason FROM ingest_file")
    assert outcome == "rejected" and reason.startswith("no_valid_lines:line 1: invalid_json")


# ---------------------------------------------------------------- Telegram Desktop export


def _parse_one(path: Path, name: str | None = None):
    name = name or str(path)
    return parse_files(pl.DataFrame(
        {"source_path": [name], "data": [path.read_bytes()], "read_error": [None]},
        schema={"source_path": pl.String, "data": pl.Binary, "read_error": pl.String},
    ))


def test_telegram_export_posts_are_articles_with_exact_dates_and_links():
    parsed = _parse_one(FIXTURES / "telegram" / "result.json", "/in/result.json")
    rows = {r["source_path"]: r for r in parsed.articles.iter_rows(named=True)}
    # The service message (a pin) and the photo without a caption carry no article.
    assert sorted(rows) == ["/in/result.json#msg=180201", "/in/result.json#msg=180202", "/in/result.json#msg=180204"]
    lavrov = rows["/in/result.json#msg=180202"]
    assert lavrov["title"] == "گفت‌وگوی تلفنی عراقچی و لاوروف"  # from the bold entity, emoji set aside
    assert "سرگئی لاوروف" in lavrov["raw_text"] and "مشروح خبر" in lavrov["raw_text"]
    # date_unixtime, not `date` (the exporting machine was in Berlin: two hours off UTC)
    assert lavrov["published_at"] == datetime(2024, 8, 5, 6, 31, 33, tzinfo=timezone.utc)
    assert lavrov["url"] == "https://t.me/c/1025364896/180202"
    assert lavrov["outlet"] == "ایرنا"
    # 00:10 in Tehran on 6 August, 20:40 UTC on the 5th: the Tehran date is kept
    assert str(rows["/in/result.json#msg=180204"]["published_date"]) == "2024-08-06"
    assert rows["/in/result.json#msg=180201"]["title"] == "رایزنی تلفنی پزشکیان و امیر قطر"
    (reason,) = parsed.outcomes["reason"].to_list()
    assert reason == "2 messages without text skipped"


def test_telegram_export_is_recognised_by_content_not_name(tmp_path):
    parsed = _parse_one(FIXTURES / "telegram" / "result.json", "/in/channel-backup.json")
    assert parsed.articles.height == 3
    only_service = json.loads((FIXTURES / "telegram" / "result.json").read_text(encoding="utf-8"))
    only_service["messages"] = [m for m in only_service["messages"] if m["type"] == "service" or "photo" in m]
    (tmp_path / "result.json").write_text(json.dumps(only_service, ensure_ascii=False), encoding="utf-8")
    outcome = _parse_one(tmp_path / "result.json").outcomes.row(0, named=True)
    assert outcome["rejected"] and outcome["reason"] == "no_posts:2 messages without text"


def test_telegram_rerun_is_unchanged_and_an_edited_post_is_read_again(ingest, query, tmp_path):
    folder = tmp_path / "export"
    folder.mkdir()
    shutil.copy(FIXTURES / "telegram" / "result.json", folder / "result.json")
    first = ingest(folder)
    assert (first.counts["loaded"], first.counts["loaded_articles"]) == (1, 3)
    assert first.counts["calls_found"] >= 2  # the posts report phone calls: extraction sees them
    assert ingest(folder).counts["unchanged"] == 1
    before = dict(query("SELECT source_path, article_id FROM dim_article"))
    # A later export of the channel, with post 180204 edited.
    shutil.copy(FIXTURES / "telegram" / "result-edited.json", folder / "result.json")
    third = ingest(folder)
    assert (third.counts["loaded"], third.counts["loaded_articles"]) == (1, 1)
    key = str(folder / "result.json") + "#msg=180204"
    ((article_id, supersedes, text),) = query(
        "SELECT article_id, supersedes_article_id, raw_text FROM dim_article WHERE source_path = ? AND run_id = ?",
        [key, third.run_id],
    )
    assert supersedes == before[key] and article_id != before[key] and "آتش‌بس" in text
    assert ingest(folder).counts["unchanged"] == 1


# ---------------------------------------------------------------- RSS and Atom feeds


def test_rss_items_are_articles_with_titles_dates_and_links():
    parsed = _parse_one(FIXTURES / "feeds" / "irna-politics.rss", "/in/irna.rss")
    rows = {r["source_path"]: r for r in parsed.articles.iter_rows(named=True)}
    assert sorted(rows) == ["/in/irna.rss#guid=85560987", "/in/irna.rss#guid=85561234"]
    wang = rows["/in/irna.rss#guid=85561234"]
    assert wang["title"] == "گفت‌وگوی تلفنی عراقچی و وانگ یی"
    assert wang["url"] == "https://www.irna.ir/news/85561234/"
    assert wang["outlet"] == "ایرنا - سیاست خارجی"
    assert wang["published_at"] == datetime(2024, 8, 6, 7, 50, tzinfo=timezone.utc)
    # content:encoded is preferred to the one-line description; markup and scripts are gone
    assert "پکن" in wang["raw_text"] and "<p>" not in wang["raw_text"] and "var x" not in wang["raw_text"]
    assert wang["raw_text"].count("\n") >= 1  # paragraphs stay lines
    assert parsed.outcomes["reason"].to_list() == ["1 items without text skipped"]


def test_atom_entries_are_articles(tmp_path):
    atom = tmp_path / "feed.atom"
    atom.write_text("""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>همشهری آنلاین</title>
  <entry>
    <title>گفت‌وگوی تلفنی رئیس‌جمهور با نخست‌وزیر عراق</title>
    <link rel="alternate" href="https://www.hamshahrionline.ir/news/900001/"/>
    <id>tag:hamshahrionline.ir,2024:900001</id>
    <updated>2024-08-07T09:30:00+03:30</updated>
    <content type="html">&lt;p&gt;مسعود پزشکیان رئیس‌جمهور کشورمان روز چهارشنبه در تماس تلفنی با محمد شیاع السودانی نخست‌وزیر عراق درباره برگزاری مراسم اربعین و همکاری‌های دو کشور گفت‌وگو کرد.&lt;/p&gt;</content>
  </entry>
</feed>
""", encoding="utf-8")
    (row,) = _parse_one(atom).articles.iter_rows(named=True)
    assert row["title"] == "گفت‌وگوی تلفنی رئیس‌جمهور با نخست‌وزیر عراق"
    assert row["url"] == "https://www.hamshahrionline.ir/news/900001/"
    assert row["published_at"] == datetime(2024, 8, 7, 6, 0, tzinfo=timezone.utc)
    assert row["source_path"].endswith("#guid=tag:hamshahrionline.ir,2024:900001")
    assert row["raw_text"].startswith("مسعود پزشکیان")


def test_feed_entities_are_refused_and_other_xml_is_not_a_feed(tmp_path):
    laughs = tmp_path / "laughs.xml"
    laughs.write_text('<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY a "خبر خبر خبر"><!ENTITY b "&a;&a;&a;&a;">]>\n'
                      "<rss><channel><item><title>&b;</title><description>&b;</description></item></channel></rss>\n",
                      encoding="utf-8")
    sitemap = tmp_path / "sitemap.xml"
    sitemap.write_text('<?xml version="1.0"?><urlset><url><loc>https://www.irna.ir/</loc></url></urlset>', encoding="utf-8")
    broken = tmp_path / "broken.rss"
    broken.write_text("<rss><channel><item><title>خبر</title>", encoding="utf-8")
    reasons = [_parse_one(p).outcomes["reason"][0] for p in (laughs, sitemap, broken)]
    assert reasons[0] == "invalid_xml:declares entities"
    assert reasons[1] == "not_a_feed:root <urlset>"
    assert reasons[2].startswith("invalid_xml:line ")


def test_rss_file_loads_and_reruns_unchanged(ingest, query, tmp_path):
    folder = tmp_path / "feeds"
    folder.mkdir()
    shutil.copy(FIXTURES / "feeds" / "irna-politics.rss", folder / "irna.xml")  # .xml with a feed root
    first = ingest(folder)
    assert (first.counts["loaded"], first.counts["loaded_articles"]) == (1, 2)
    rows = query("SELECT title, url, published_date FROM dim_article ORDER BY published_at")
    assert [r[1] for r in rows] == ["https://www.irna.ir/news/85560987/", "https://www.irna.ir/news/85561234/"]
    assert str(rows[1][2]) == "2024-08-06" and rows[0][0] == "رایزنی تلفنی وزیران خارجه ایران و عمان"
    assert ingest(folder).counts["unchanged"] == 1


def test_a_utf16_jsonl_is_not_cut_in_the_middle_of_a_character(tmp_path):
    path = tmp_path / "wide.jsonl"
    path.write_bytes("\n".join(json.dumps(_record(i), ensure_ascii=False) for i in range(1500)).encode("utf-16"))
    size = path.stat().st_size
    assert size > 1 << 20  # above a part: a UTF-8 file this big would be cut
    rows = split_records(discover_files([path], max_bytes=5 << 20), max_bytes=5 << 20)
    assert rows.height == 1 and (rows["part_start"][0], rows["part_end"][0]) == (0, size)
    from flows.files import read_files

    parsed = parse_files(read_files(rows, 5 << 20))
    assert parsed.articles.height == 1500 and parsed.articles["source_path"][1499].endswith("#L1500")
    # Over the limit it cannot be read record by record: rejected whole.
    (reason,) = split_records(discover_files([path], max_bytes=1 << 20), max_bytes=1 << 20)["skip_reason"]
    assert reason == f"too_large:{size} bytes > {1 << 20} (UTF-16/32: read whole)"


def test_a_reexport_cleans_and_extracts_only_its_edited_post(tmp_path):
    """The posts a past run loaded from the file (its content keys, by post) are not
    cleaned or extracted again; the outcome still lists them."""
    from flows.batch import transform_batch
    from transforms.parsing import with_known_articles

    loaded = _parse_one(FIXTURES / "telegram" / "result.json").articles
    path = tmp_path / "result.json"
    shutil.copy(FIXTURES / "telegram" / "result-edited.json", path)
    files = split_records(discover_files([path]))
    files = with_known_articles(files, {str(path): list(loaded.select("article_id", "source_path").iter_rows())})
    batch = transform_batch(files)
    assert batch.articles["source_path"].to_list() == [f"{path}#msg=180204"]
    assert "آتش‌بس" in batch.articles["clean_text"][0]
    (ids,) = batch.outcomes["article_ids"].to_list()
    assert len(ids) == 3 and set(loaded["article_id"]) - set(ids) == {loaded.filter(pl.col("source_path").str.ends_with("180204"))["article_id"][0]}
