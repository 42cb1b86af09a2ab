"""The PostgreSQL store answers the start screen's questions on the server before it has read
everything (issue 19: "the first screen reads only what it shows"): the meetings of some days,
with open actions or minutes by state, one registry object, the first seats ending soon. What it
answers equals what it answers from memory (tests/contract/test_store_port.py); here: that it did
not read everything to answer, and that the server has an index for each question."""

from __future__ import annotations

import datetime as dt

import psycopg

from secretary.cli.bootstrap import create_database
from secretary.domain.presets import load_preset
from store.postgres.store import PgMeetings, PgStore


def _opened(pg_url) -> PgStore:
    create_database(pg_url, load_preset("midtjylland"))
    return PgStore.open(pg_url)


def test_the_start_screens_questions_read_only_their_answers(pg_url):
    store = _opened(pg_url)
    every = PgStore.open(pg_url).meetings.rows()
    today = max(row.start.date() for row in every.values())
    upcoming = store.meetings.rows_where(first_day=today)
    assert [row.id for row in upcoming] == [key for key, row in every.items() if row.start.date() >= today]
    store.meetings.rows_where(open_actions=True)
    store.meetings.rows_where(last_day=today, minutes=frozenset({"draft", "sent"}))
    assert store.meetings._loaded_at is None and store.meetings._rows == {}, "no question read every index row"
    assert set(store.meetings._made) < set(every), "only the rows that answer were made"

    body = next(iter(PgStore.open(pg_url).bodies.all()))
    assert store.bodies.get(body) is not None
    seats, total = store.memberships.first_between("end", dt.date(2000, 1, 1), dt.date(2100, 1, 1), ("end", "body"), 2)
    assert len(seats) == 2 and total > 2
    assert store.bodies._raw == {} and store.memberships._raw == {}, "neither collection was fetched whole"

    with store.transaction():  # a write reads the index it changes; the answers come from memory then
        meeting = store.meetings.get(upcoming[0].id)
        store.meetings.save(meeting.replace(title="Flyttet"))
    assert store.meetings._loaded_at is not None
    assert [row.title for row in store.meetings.rows_where(first_day=today) if row.id == meeting.id] == ["Flyttet"]


def test_each_question_has_an_index_the_planner_uses(pg_cluster, pg_url):
    _opened(pg_url)
    questions = {
        "meetings_day": (dt.date(2026, 1, 1), dt.date(2026, 3, 1), False, None),
        "meetings_open_actions": (None, None, True, None),
        "meetings_minutes": (None, None, False, frozenset({"draft", "sent"})),
    }
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("SET enable_seqscan = off")  # a preset's few rows: would the index serve a large table?
        for index, question in questions.items():
            where, params = PgMeetings._where(*question)
            plan = "\n".join(row[0] for row in conn.execute(f"EXPLAIN SELECT id, row FROM meetings{where}", params).fetchall())
            assert index in plan, plan


def test_check_names_a_damaged_meeting_in_the_readers_language(pg_cluster, pg_url):
    from secretary import i18n

    store = _opened(pg_url)
    key = next(iter(store.meetings.rows()))
    pg_cluster.execute(pg_url, "UPDATE meetings SET doc = jsonb_set(doc, '{status}', '\"lost\"') WHERE id = %s", (key,))
    try:
        for language, noun in (("da", "møde"), ("sv", "sammanträde"), ("en", "meeting")):
            i18n.set_language(language)
            problems = PgStore.open(pg_url).check()
            assert any(line.startswith(f"{store.label}: {noun} {key!r}: ") for line in problems), (language, problems)
    finally:
        i18n.set_language("en")
