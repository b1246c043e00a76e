"""One call, many articles (transforms/calls.py), on tiny inline frames."""

from __future__ import annotations

from datetime import date

import polars as pl

from transforms.calls import consolidate_calls

I32 = pl.Int32


def _mentions(rows):
    return pl.DataFrame(
        rows,
        schema={
            "article_id": pl.String, "call_seq": I32, "mode": pl.String, "call_date": pl.Date,
            "call_date_precision": pl.String, "date_basis": pl.String, "sentence_index": I32,
            "char_start": I32, "char_end": I32, "evidence": pl.String, "published_date": pl.Date,
        },
        orient="row",
    )


def _participants(rows):
    return pl.DataFrame(
        rows,
        schema={
            "article_id": pl.String, "call_seq": I32, "official_id": pl.String, "country_code": pl.String,
            "title_fa": pl.String, "role_code": pl.String, "is_initiator": pl.Boolean, "dq_flag": pl.String,
        },
        orient="row",
    )


NO_TOPICS = pl.DataFrame(schema={"article_id": pl.String, "call_seq": I32, "topic_code": pl.String, "evidence": pl.String, "char_start": I32, "char_end": I32})
NO_STATEMENTS = pl.DataFrame(schema={"article_id": pl.String, "call_seq": I32, "official_id": pl.String, "verb": pl.String, "text": pl.String, "char_start": I32, "char_end": I32})


def _call(article, day, basis="published", precision="day"):
    return (article, 0, "phone", day, precision, basis, 0, 0, 10, "تماس تلفنی", day)


def _pair(article, initiator=None):
    return [
        (article, 0, "araghchi", "IR", "وزیر امور خارجه", "foreign_minister", initiator == "araghchi", None),
        (article, 0, "fidan", "TR", "وزیر امور خارجه", "foreign_minister", initiator == "fidan", None),
    ]


def test_same_pair_within_a_day_is_one_call_with_two_mentions():
    mentions = _mentions([_call("a1", date(2026, 5, 11)), _call("a2", date(2026, 5, 12))])
    participants = _participants(_pair("a1") + _pair("a2"))
    facts = consolidate_calls(mentions, participants, NO_TOPICS, NO_STATEMENTS)
    assert facts.fact_call.height == 1
    assert facts.fact_call["n_articles"][0] == 2
    assert facts.call_mention["call_id"].n_unique() == 1
    assert sorted(facts.call_participant["official_id"]) == ["araghchi", "fidan"]


def test_same_pair_three_days_apart_are_two_calls():
    mentions = _mentions([_call("a1", date(2026, 5, 1)), _call("a2", date(2026, 5, 4))])
    facts = consolidate_calls(mentions, _participants(_pair("a1") + _pair("a2")), NO_TOPICS, NO_STATEMENTS)
    assert facts.fact_call.height == 2


def test_result_does_not_depend_on_row_order():
    mentions = _mentions([_call("a1", date(2026, 5, 11)), _call("a2", date(2026, 5, 12), basis="stated"), _call("a3", date(2026, 6, 1))])
    participants = _participants(_pair("a1", "fidan") + _pair("a2", "fidan") + _pair("a3"))
    one = consolidate_calls(mentions, participants, NO_TOPICS, NO_STATEMENTS)
    two = consolidate_calls(mentions.reverse(), participants.reverse(), NO_TOPICS, NO_STATEMENTS)
    assert one.fact_call.equals(two.fact_call)
    assert one.call_participant.sort("call_id", "official_id").equals(two.call_participant.sort("call_id", "official_id"))


def test_stated_date_wins_and_initiator_is_kept():
    mentions = _mentions([_call("a1", date(2026, 5, 12)), _call("a2", date(2026, 5, 11), basis="stated")])
    participants = _participants(_pair("a1", "fidan") + _pair("a2", "fidan"))
    call = consolidate_calls(mentions, participants, NO_TOPICS, NO_STATEMENTS).fact_call.row(0, named=True)
    assert call["call_date"] == date(2026, 5, 11)
    assert call["date_basis"] == "stated"
    assert call["initiator_official_id"] == "fidan"


def test_reports_that_disagree_on_the_initiator_give_none():
    mentions = _mentions([_call("a1", date(2026, 5, 12)), _call("a2", date(2026, 5, 12))])
    participants = _participants(_pair("a1", "fidan") + _pair("a2", "araghchi"))
    facts = consolidate_calls(mentions, participants, NO_TOPICS, NO_STATEMENTS)
    assert facts.fact_call["initiator_official_id"][0] is None
    assert not facts.call_participant["is_initiator"].any()


def test_a_merged_call_keeps_every_report_topic_once_with_the_first_evidence():
    mentions = _mentions([_call("a1", date(2026, 5, 12)), _call("a2", date(2026, 5, 12))])
    topics = pl.DataFrame(
        [("a1", 0, "energy", "گاز", 0, 3), ("a2", 0, "energy", "گاز", 5, 8), ("a2", 0, "trade_economy", "تجارت", 9, 14)],
        schema=NO_TOPICS.schema,
        orient="row",
    )
    facts = consolidate_calls(mentions, _participants(_pair("a1") + _pair("a2")), topics, NO_STATEMENTS)
    got = {r["topic_code"]: (r["article_id"], r["char_start"]) for r in facts.call_topic.iter_rows(named=True)}
    assert got == {"energy": ("a1", 0), "trade_economy": ("a2", 9)}  # one report's topic is not outvoted


def test_the_date_most_reports_give_wins_over_one_outlier():
    mentions = _mentions([_call("a1", date(2026, 5, 12)), _call("a2", date(2026, 5, 12)), _call("a3", date(2026, 5, 13), basis="stated")])
    participants = _participants(_pair("a1") + _pair("a2") + _pair("a3"))
    call = consolidate_calls(mentions, participants, NO_TOPICS, NO_STATEMENTS).fact_call.row(0, named=True)
    assert call["call_date"] == date(2026, 5, 12)


def test_daily_calls_between_the_same_pair_do_not_chain_into_one():
    days = [date(2026, 5, d) for d in (10, 11, 12, 13)]
    mentions = _mentions([_call(f"a{i}", d) for i, d in enumerate(days)])
    participants = _participants([row for i in range(4) for row in _pair(f"a{i}")])
    facts = consolidate_calls(mentions, participants, NO_TOPICS, NO_STATEMENTS)
    assert sorted(facts.fact_call["n_articles"]) == [2, 2]
