"""Full-text search: tokens, prefix as you type, all words, every kind of object, freshness.

The index itself (Tantivy on disk: stemming, phrases, filters, rebuilds) is tested in
test_search_index.py."""

from __future__ import annotations

import datetime as dt

import pytest

from secretary.cli.bootstrap import create_database
from secretary.domain.interchange import Dataset
from secretary.domain.model import Body, Meeting, Organisation, Person
from secretary.services.search import tokens

CPH = dt.timezone(dt.timedelta(hours=1))


def meeting(meeting_id: str, body: str, day: dt.date, items: list[dict], **extra) -> Meeting:
    start = dt.datetime(day.year, day.month, day.day, 10, 0, tzinfo=CPH)
    return Meeting.model_validate(
        {"id": meeting_id, "body": body, "start": start.isoformat(), "end": (start + dt.timedelta(hours=2)).isoformat(),
         "items": items, **extra},
        strict=False,
    )


def item(item_id: str, title: str, **fields) -> dict:
    return {"id": item_id, "title": title, **fields}


@pytest.fixture
def secretary(tmp_path):
    data = Dataset(
        organisations={"skive": Organisation(id="skive", name="Skive Kommune", kind="municipality", country="DK"),
                       "ludvika": Organisation(id="ludvika", name="Ludvika kommun", kind="municipality", country="SE")},
        bodies={
            "dassos": Body(id="dassos", name="Den Administrative Styregruppe", abbreviation="DASSOS", kind="administrative",
                           language="da", timezone="Europe/Copenhagen", terms_of_reference="Rammeaftalen på socialområdet"),
            "ifo": Body(id="ifo", name="Socialnämnden", kind="political", language="sv", timezone="Europe/Stockholm"),
        },
        people={"p1": Person(id="p1", name="Søren Østergaard", title="Socialdirektør", organisation="skive"),
                "p2": Person(id="p2", name="Åsa Lindström", organisation="ludvika")},
    )
    data.meetings = {
        m.id: m
        for m in [
            meeting("dassos-2019-03-14", "dassos", dt.date(2019, 3, 14), [
                item("d19-1", "Kapacitetsjustering på Solsikken", case_number="19.02.00-A00-3-19",
                     background="Skive Kommune ønsker at nedlægge 12 pladser på aflastningstilbuddet.",
                     recommendation="Det indstilles, at DASSOS godkender kapacitetsjusteringen.",
                     decision="Godkendt.",
                     actions=[{"id": "d19-1-a1", "what": "Orientere de berørte kommuner", "owner": "Sekretariatet"}]),
                item("d19-2", "Takster for 2020", background="Takstudviklingen er moderat."),
            ]),
            meeting("dassos-2024-03-14", "dassos", dt.date(2024, 3, 14), [
                item("d24-1", "Kapacitetsjustering på Bakkehuset", background="Færre pladser i Bakkehuset."),
            ]),
            meeting("ifo-2017-05-10", "ifo", dt.date(2017, 5, 10), [
                item("s17-1", "Kvalitetsrapport för äldreomsorgen", background="Måltalen för hemtjänsten är nådda i Ludvika.",
                     public=False, closed_reason="Sekretess"),
            ]),
        ]
    }
    return create_database(tmp_path / "db.json", data)


def kinds_ids(hits):
    return [(hit.kind, hit.id) for hit in hits]


def test_tokens_casefold_and_keep_danish_and_swedish_letters():
    assert tokens("Ærø, SØNDERBORG og Åsa-Öberg: 19.02.00") == ["ærø", "sønderborg", "og", "åsa", "öberg", "19", "02", "00"]


def test_every_field_of_an_item_is_searchable(secretary):
    for query in ("solsikken", "aflastningstilbuddet", "godkender", "A00"):
        assert ("item", "d19-1") in kinds_ids(secretary.search.query(query)), query
    assert ("decision", "d19-1") in kinds_ids(secretary.search.query("godkendt"))  # the decision is its own hit


def test_case_number_parts_all_match(secretary):
    assert kinds_ids(secretary.search.query("19.02.00-A00-3-19")) == [("item", "d19-1")]


def test_last_word_is_a_prefix_as_you_type(secretary):
    assert ("item", "d19-1") in kinds_ids(secretary.search.query("kapac"))
    assert ("item", "d19-1") in kinds_ids(secretary.search.query("aflast"))
    # a finished word (followed by a space) is matched whole
    assert secretary.search.query("kapac ") == []


def test_all_words_must_match(secretary):
    assert kinds_ids(secretary.search.query("kapacitetsjustering solsikken")) == [("item", "d19-1")]
    assert secretary.search.query("kapacitetsjustering hemtjänsten") == []


def test_people_bodies_meetings_and_actions_are_found(secretary):
    assert kinds_ids(secretary.search.query("østergaard")) == [("person", "p1")]
    assert kinds_ids(secretary.search.query("ÅSA")) == [("person", "p2")]
    assert ("person", "p2") in kinds_ids(secretary.search.query("ludvika"))  # by organisation
    assert ("body", "dassos") in kinds_ids(secretary.search.query("rammeaftal"))
    hits = secretary.search.query("orientere berørte")
    assert kinds_ids(hits) == [("action", "d19-1-a1")]
    assert hits[0].meeting_id == "dassos-2019-03-14" and hits[0].item_id == "d19-1"
    assert ("meeting", "ifo-2017-05-10") in kinds_ids(secretary.search.query("socialnämnden"))


def test_results_ranked_and_limited(secretary):
    hits = secretary.search.query("kapacitetsjustering")
    assert {h.id for h in hits if h.kind == "item"} == {"d24-1", "d19-1"}
    assert all(a.score >= b.score for a, b in zip(hits, hits[1:], strict=False))
    assert len(secretary.search.query("kapacitetsjustering", limit=1)) == 1


def test_hit_carries_a_snippet_around_the_match(secretary):
    hit = next(h for h in secretary.search.query("pladser") if h.id == "d19-1")
    assert "12 pladser" in hit.snippet
    assert hit.meeting_id == "dassos-2019-03-14"
    assert hit.title.endswith("Kapacitetsjustering på Solsikken")


def test_empty_and_unknown_queries(secretary):
    assert secretary.search.query("") == []
    assert secretary.search.query("   ") == []
    assert secretary.search.query("xyzzy") == []
    assert secretary.search.query("!!!") == []


def test_search_follows_edits_through_the_service(secretary):
    assert secretary.search.query("udskudt") == []
    secretary.agenda.update_meeting(
        "dassos-2019-03-14",
        lambda m: m.replace(items=[i.replace(decision="Sagen blev udskudt.").model_dump() for i in m.items]),
    )
    assert {h.id for h in secretary.search.query("udskudt")} == {"d19-1", "d19-2"}
    assert {h.kind for h in secretary.search.query("udskudt")} == {"decision"}
    # the old decision is gone (the item itself still holds "godkender", the same stem)
    assert ("decision", "d19-1") not in kinds_ids(secretary.search.query("godkendt "))


def test_search_follows_a_moved_meeting_and_new_people(secretary):
    secretary.search.query("x")  # build
    moved = secretary.records.meeting("dassos-2024-03-14")
    later = moved.start.replace(year=2025)
    secretary.agenda.save_meeting(moved.replace(start=later, end=later + dt.timedelta(hours=1)))
    hits = [h for h in secretary.search.query("bakkehuset") if h.kind == "item"]
    assert [h.id for h in hits] == ["d24-1"]  # once, not twice
    with secretary.store.db.transaction():
        secretary.store.people.save(Person(id="p3", name="Ingrid Bæk"))
    assert kinds_ids(secretary.search.query("bæk")) == [("person", "p3")]
