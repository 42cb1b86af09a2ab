"""The persistent search index: Danish and Swedish stems, prefixes, phrases, case numbers and
filters; kept on disk beside the data, rebuilt when lost, damaged or old, and following every
commit of this process and of others, without ever failing a save."""

from __future__ import annotations

import datetime as dt
import shutil

import orjson
import pytest

from secretary.cli.bootstrap import create_database, open_secretary
from secretary.domain.interchange import Dataset
from secretary.domain.model import Body
from secretary.services import search as search_module
from tests.unit.test_search import item, kinds_ids, meeting
from tests.unit.test_search import secretary as secretary  # noqa: PLC0414 - the shared fixture


@pytest.fixture
def archive(tmp_path):
    """Two bodies, one Danish and one Swedish, with inflected forms the stemmers must join."""
    data = Dataset(bodies={
        "takst": Body(id="takst", name="Takstgruppen", kind="administrative", language="da", timezone="Europe/Copenhagen"),
        "soc": Body(id="soc", name="Socialnämnden", kind="political", language="sv", timezone="Europe/Stockholm"),
    })
    data.meetings = {m.id: m for m in [
        meeting("takst-2019-05-02", "takst", dt.date(2019, 5, 2), [
            item("t1", "Ny takst for aflastning", case_number="27.00.00-A00-1-19",
                 background="Den nye takst gælder fra 1. januar. Rammeaftalen på socialområdet følges."),
            item("t2", "Budget", background="Kommunerne har godkendt budgettet."),
        ]),
        meeting("takst-2021-05-06", "takst", dt.date(2021, 5, 6), [
            item("t3", "Taksterne for 2022", background="Socialområdet og rammeaftalen.", decision="Taksterne blev godkendt."),
        ]),
        meeting("soc-2020-03-03", "soc", dt.date(2020, 3, 3), [
            item("s1", "Samverkan", background="Fyra kommuner samverkar om hemtjänsten.",
                 actions=[{"id": "s1-a1", "what": "Kontakta kommunerna", "owner": "Sekretariatet"}]),
        ]),
    ]}
    return create_database(tmp_path / "db.json", data)


def test_danish_stems_find_inflected_forms(archive):
    # "takster" (plural) finds "takst" (singular) and "Taksterne" (definite plural); the finished
    # word is not a prefix (it ends with a space), so only the stem can have found "takst".
    found = kinds_ids(archive.search.query("takster "))
    assert ("item", "t1") in found and ("item", "t3") in found and ("decision", "t3") in found
    assert ("item", "t2") not in found


def test_swedish_stems_find_inflected_forms(archive):
    assert ("item", "s1") in kinds_ids(archive.search.query("kommunerna "))  # "kommuner" in the text
    assert ("action", "s1-a1") in kinds_ids(archive.search.query("kommuner "))  # "kommunerna" in the action


def test_prefix_phrase_and_case_number(archive):
    assert ("item", "t1") in kinds_ids(archive.search.query("aflast"))
    assert ("item", "t1") in kinds_ids(archive.search.query('"rammeaftalen på socialområdet"'))
    # the same words in another order are no phrase: t3 has "Socialområdet og rammeaftalen"
    assert ("item", "t3") not in kinds_ids(archive.search.query('"rammeaftalen på socialområdet"'))
    assert ("item", "t3") in kinds_ids(archive.search.query("rammeaftalen socialområdet"))
    assert kinds_ids(archive.search.query("27.00.00-A00-1-19")) == [("item", "t1")]
    assert kinds_ids(archive.search.query("27.00.00-A00-1")) == [("item", "t1")]  # still being typed


def test_filters_by_kind_body_and_year(archive):
    assert {h.kind for h in archive.search.query("takster ", kinds=["decision"])} == {"decision"}
    assert {h.id for h in archive.search.query("takst", year=2019)} >= {"t1"}
    assert all(h.date is None or h.date.year == 2019 for h in archive.search.query("takst", year=2019))
    assert {h.body for h in archive.search.query("sekretariatet", body="soc")} == {"soc"}
    assert kinds_ids(archive.search.query("kind:item year:2021 takst")) == [("item", "t3")]
    assert kinds_ids(archive.search.query("kind:body")) == [("body", "soc"), ("body", "takst")] or \
        sorted(kinds_ids(archive.search.query("kind:body"))) == [("body", "soc"), ("body", "takst")]


def test_hits_carry_kind_body_date_and_a_marked_snippet(archive):
    hit = next(h for h in archive.search.query("takster ") if h.id == "t1" and h.kind == "item")
    assert (hit.body, hit.body_label, hit.date) == ("takst", "Takstgruppen", dt.date(2019, 5, 2))
    marked = [hit.snippet[a:b].lower() for a, b in hit.marks]
    assert "takst" in marked


def test_closed_items_are_found_but_marked_not_public(secretary):
    hit = next(h for h in secretary.search.query("hemtjänsten") if h.id == "s17-1")
    assert hit.public is False
    assert all(h.public for h in secretary.search.query("solsikken"))


def test_the_index_lives_on_disk_and_a_new_process_uses_it(archive):
    archive.search.query("takst")
    folder = archive.store.db.root / "search" / "index"
    assert (folder / "meta.json").exists() and (folder / search_module.STATE).exists()
    again = open_secretary(archive.store.db.path)
    assert again.search.open().state == "ready"  # opened, not rebuilt
    assert ("item", "t1") in kinds_ids(again.search.query("takst", wait=0))


@pytest.mark.parametrize("harm", ["deleted", "damaged", "old version"])
def test_a_lost_damaged_or_old_index_is_rebuilt(archive, harm):
    archive.search.query("takst")
    archive.search.close()
    folder = archive.store.db.root / "search" / "index"
    if harm == "deleted":
        shutil.rmtree(folder)
    elif harm == "damaged":
        (folder / "meta.json").write_bytes(b'{"segments": [tr')
    else:
        state = orjson.loads((folder / search_module.STATE).read_bytes())
        (folder / search_module.STATE).write_bytes(orjson.dumps({**state, "version": search_module.INDEX_VERSION - 1}))
    again = open_secretary(archive.store.db.path)
    assert again.search.open().state == "building"
    assert again.search.wait_ready(60)
    assert again.search.status().state == "ready"
    assert ("item", "t1") in kinds_ids(again.search.query("takster "))
    assert orjson.loads((folder / search_module.STATE).read_bytes())["version"] == search_module.INDEX_VERSION


def _retitle(secretary, meeting_id: str, title: str) -> None:
    secretary.agenda.update_meeting(meeting_id, lambda m: m.replace(items=[i.replace(title=title).model_dump() for i in m.items]))


def test_the_index_follows_commits_without_a_query(archive):
    archive.search.query("takst")
    _retitle(archive, "soc-2020-03-03", "Hjälpmedel")
    worker = archive.search._updates.thread
    assert worker is not None
    for _ in range(200):  # the worker thread updates the index after the commit
        if archive.search._generation == archive.store.change_generation():
            break
        worker.join(0.05)
    assert archive.search._generation == archive.store.change_generation()
    # a fresh process finds the edit in the index on disk, with nothing to catch up
    again = open_secretary(archive.store.db.path)
    assert again.search.open().state == "ready"
    assert kinds_ids(again.search.query("hjälpmedel", kinds=["item"], wait=0)) == [("item", "s1")]


def test_the_index_follows_another_process(archive):
    assert archive.search.query("hjälpmedel") == []
    other = open_secretary(archive.store.db.path)
    _retitle(other, "soc-2020-03-03", "Hjälpmedel")
    assert kinds_ids(archive.search.query("hjälpmedel", kinds=["item"])) == [("item", "s1")]
    # and the edits of a process that never searched reach an index opened later
    archive.search.close()
    _retitle(other, "takst-2021-05-06", "Bostøtte")
    third = open_secretary(archive.store.db.path)
    assert kinds_ids(third.search.query("bostøtte", kinds=["item"])) == [("item", "t3")]
    assert third.search.query("taksterne", kinds=["item"], year=2021) == []


def test_a_failed_index_update_never_fails_a_save(archive, monkeypatch):
    archive.search.query("takst")

    def broken(*_args, **_kwargs):
        raise OSError("disk full (simulated)")

    monkeypatch.setattr(search_module._Engine, "replace", broken)
    _retitle(archive, "soc-2020-03-03", "Hjälpmedel")  # saves
    assert archive.records.meeting("soc-2020-03-03").items[0].title == "Hjälpmedel"
    assert archive.search.query("hjälpmedel") == []  # the index could not follow
    assert archive.search.status().state == "stale"
    monkeypatch.undo()
    assert kinds_ids(archive.search.query("hjälpmedel", kinds=["item"])) == [("item", "s1")]
    assert archive.search.status().state == "ready"


def test_a_restore_rebuilds_the_index(archive):
    archive.search.query("takst")
    archive.store.backups.snapshot("before")
    _retitle(archive, "soc-2020-03-03", "Hjälpmedel")
    assert kinds_ids(archive.search.query("hjälpmedel", kinds=["item"])) == [("item", "s1")]
    archive.store.backups.restore("before")
    archive.search.wait_ready(60)
    assert archive.search.query("hjälpmedel", kinds=["item"]) == []


def test_a_read_only_database_searches_in_memory(archive, monkeypatch):
    monkeypatch.setattr(type(archive.store), "derived_folder", lambda self, name: None)
    fresh = open_secretary(archive.store.db.path)
    monkeypatch.setattr(type(fresh.store), "derived_folder", lambda self, name: None)
    assert ("item", "t1") in kinds_ids(fresh.search.query("takster "))
