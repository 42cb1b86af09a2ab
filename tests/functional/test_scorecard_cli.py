"""The scorecard as a user meets it: `secretary scorecard …` and its exports, run as commands.

The seed test's expected values are typed here from the styrkort table of
seeds/002_f3fffbb1c6c54579.txt ("Styrkort 2017 Social välfärd"), not read from the preset.
"""

from __future__ import annotations

import http.server
import json
import shutil
import ssl
import subprocess
import threading
from pathlib import Path

import pytest

from tests.conftest import run_cli

# (indicator title as printed, {year: result}, rikssnitt 2017, måltal 2017); None = the cell is empty.
STRATEGIC = [
    ("I sociala utredningar inom individ- och familjeomsorg ska barnets skolsituation uppmärksammas",
     {2016: 93, 2017: 93}, None, 85),
    ("Barn och unga är delaktiga i biståndsinsatser och beslut som rör dem", {2014: 91, 2015: 95, 2017: 94}, None, 100),
    ("Öppet arbetslösa unga vuxna som erhåller försörjningsstöd ska ha en åtgärdsplan för att bli självförsörjande",
     {}, "i.u.", 90),
    ("Öppet arbetslösa vuxna som erhåller försörjningsstöd ska ha en åtgärdsplan för att bli självförsörjande",
     {}, "i.u.", 90),
    ("Brukare och klienter upplever ett gott bemötande", {2015: 86, 2016: 90, 2017: 83}, 84, 95),
]
INTERNAL = [
    ("Andel nöjda medarbetare inom social välfärd enligt kommunens medarbetarenkät", {2013: 28.2, 2014: 56.3}, None, 60),
    ("Sjukfrånvarotal", {2013: 7.05, 2014: 8.85, 2015: 9.1, 2016: 8.61, 2017: 8.7}, None, 7),
    ("Bruttokostnad individ- och familjeomsorgen kr/inv", {2013: 4142, 2014: 3893, 2015: 3132, 2016: 4263}, None, None),
    ("Placeringskostnaden för HVB och familjehem tkr", {2013: 33168, 2014: 27441, 2015: 42995, 2016: 89900, 2017: 87477},
     None, None),
    ("Kostnaden för försörjningsstöd", {2013: 41536, 2014: 42010, 2015: 46944, 2016: 47534, 2017: 55476}, None, None),
]
AREAS = {  # title → (goal area, kommunövergripande mål)
    STRATEGIC[0][0]: ("Barn och unga", "En av landets bästa skolkommuner"),
    STRATEGIC[1][0]: ("Barn och unga", "En bra kommun att växa upp i"),
    STRATEGIC[2][0]: ("Barn och unga", "En bra kommun att växa upp i"),
    STRATEGIC[3][0]: ("Arbete och näringsliv", "En tillväxtkommun"),
    STRATEGIC[4][0]: ("Livsmiljö", "En bra kommun att leva i"),
    INTERNAL[0][0]: ("Medarbetare", ""),
    INTERNAL[1][0]: ("Medarbetare", ""),
    INTERNAL[2][0]: ("Ekonomi", ""),
    INTERNAL[3][0]: ("Ekonomi", ""),
    INTERNAL[4][0]: ("Ekonomi", ""),
}
FOOTNOTES = [
    "Barnenkäten genomfördes inte år 2016.",
    "Medarbetarenkät genomfördes inte år 2015-2017.",
    "I siffrorna från år 2016 ingår även personal från kommunens HVB- och stödboendeverksamhet.",
]


@pytest.fixture
def ludvika(tmp_path) -> Path:
    db = tmp_path / "db.json"
    assert run_cli("--db", str(db), "init", "--preset", "ludvika").returncode == 0
    return db


def scorecard_json(db: Path, *args: str) -> dict:
    result = run_cli("--db", str(db), "scorecard", *args, "--json")
    assert result.returncode == 0, result.stderr.decode()
    return json.loads(result.stdout)


def test_every_number_of_the_seed_styrkort_reads_back(ludvika):
    document = scorecard_json(ludvika, "--org", "ludvika")
    assert document["format"] == "secretary/1"
    by_title = {i["title"]: i for i in document["indicators"]}
    assert sorted(by_title) == sorted(t for t, *_ in STRATEGIC + INTERNAL)
    for kind, table in (("strategic", STRATEGIC), ("internal", INTERNAL)):
        for title, results, national, target in table:
            indicator = by_title[title]
            assert indicator["area_kind"] == kind
            assert (indicator["area"], indicator["goal"]) == AREAS[title]
            assert indicator["organisation"] == "ludvika" and indicator["scorecard"] == "Social välfärd"
            values = {v["year"]: v for v in indicator["values"]}
            got = {year: v["result"] for year, v in values.items() if v["result"] is not None}
            assert got == results, title
            for year, value in got.items():
                assert type(value) is type(results[year]), (title, year)  # 93 stays 93, 28.2 stays 28.2
            last = values.get(2017, {})
            assert last.get("target") == target, title
            if national == "i.u.":
                assert last["national"] is None and last["national_missing"] == "no_data"
            else:
                assert last.get("national") == national, title
            # Targets and rikssnitt are printed for 2017 only; no other year has one.
            assert all(v["target"] is None and v["national"] is None for y, v in values.items() if y != 2017)
            for year in range(2013, 2018):  # an empty cell is missing, never zero
                assert year in got or values.get(year, {}).get("result") is None
    # The footnotes: the surveys not done, and the HVB staff in the sickness figures of 2016 and 2017.
    delaktiga = {v["year"]: v for v in by_title[STRATEGIC[1][0]]["values"]}
    assert delaktiga[2016]["result_missing"] == "not_measured" and delaktiga[2016]["note"] == FOOTNOTES[0]
    nojda = {v["year"]: v for v in by_title[INTERNAL[0][0]]["values"]}
    assert [nojda[y]["result_missing"] for y in (2015, 2016, 2017)] == ["not_measured"] * 3
    assert {nojda[y]["note"] for y in (2015, 2016, 2017)} == {FOOTNOTES[1]}
    sjuk = {v["year"]: v for v in by_title[INTERNAL[1][0]]["values"]}
    assert [sjuk[y]["note"] for y in (2016, 2017)] == [FOOTNOTES[2]] * 2 and not sjuk[2015]["note"]
    card = document["scorecards"][0]
    assert card["title"] == "Styrkort 2017 Social välfärd" and card["years"] == [2013, 2014, 2015, 2016, 2017]
    assert [f["text"] for f in card["footnotes"]] == FOOTNOTES
    assert [f["marker"] for f in card["footnotes"]] == ["", "", "*"]
    rows = {r["title"]: r for r in card["rows"]}
    sjuk_row = {c["year"]: c for c in rows["Sjukfrånvarotal"]["cells"]}
    assert sjuk_row[2016]["text"] == "8,61 %*" and sjuk_row[2013]["text"] == "7,05 %"
    judgements = {title: rows[title]["judgement"] for title in rows}
    assert judgements[STRATEGIC[0][0]] == "met"  # 93 % ≥ 85 %
    assert judgements[STRATEGIC[1][0]] == "missed"  # 94 % < 100 %
    assert judgements[STRATEGIC[4][0]] == "missed"  # 83 % < 95 %
    assert judgements["Sjukfrånvarotal"] == "missed"  # 8,7 > 7, lower is better
    assert judgements[INTERNAL[0][0]] is None  # not measured in 2017
    text = run_cli("--db", str(ludvika), "scorecard", "--org", "ludvika").stdout.decode()
    for needle in ("Styrkort 2017 Social välfärd", "4 142", "33 168", "28,2", "8,61 %*", "i.u.", "Rikssnitt 2017"):
        assert needle in text, needle


def test_years_filter_and_a_body_scorecard(ludvika):
    document = scorecard_json(ludvika, "--org", "ludvika", "--years", "2016-2017")
    assert document["scorecards"][0]["years"] == [2016, 2017]
    assert all(v["year"] in (2016, 2017) for i in document["indicators"] for v in i["values"])
    body = scorecard_json(ludvika, "--body", "sun", "--years", "2026")
    metrics = [r["indicator"] for r in body["scorecards"][0]["rows"]]
    assert "sun--meetings-held" in metrics and "sun--agendas-on-time" in metrics
    held = next(r for r in body["scorecards"][0]["rows"] if r["indicator"] == "sun--meetings-held")
    assert held["cells"][0]["result"] == 1 and held["computed"][0]["meetings"] == ["sun-2026-11-19"]
    bad = run_cli("--db", str(ludvika), "scorecard", "--years", "2017-2013")
    assert bad.returncode == 1 and b"--years" in bad.stderr and b"Traceback" not in bad.stderr


def test_set_validates_and_writes_nothing_on_error(ludvika):
    db = str(ludvika)
    ok = run_cli("--db", db, "scorecard", "set", "sv-atgardsplan-unga", "2018", "--result", "45,5", "--target", "90",
                 "--note", "Ny mätning")
    assert ok.returncode == 0, ok.stderr.decode()
    values = {v["year"]: v for v in next(i for i in scorecard_json(ludvika, "--org", "ludvika")["indicators"]
                                          if i["id"] == "sv-atgardsplan-unga")["values"]}
    assert values[2018]["result"] == 45.5 and values[2018]["target"] == 90 and values[2018]["note"] == "Ny mätning"
    before = run_cli("--db", db, "export", "json").stdout
    for args, words in [
        (["nope", "2017", "--result", "1"], b"no indicator with id 'nope'"),
        (["sv-sjukfranvaro", "2017", "--result", "abc"], b"--result: value 'abc': not a number"),
        (["sv-sjukfranvaro", "1800", "--target", "1"], b"field 'year'"),
        (["sun--agendas-on-time", "2026", "--result", "50"], b"computed from the meetings"),
    ]:
        result = run_cli("--db", db, "scorecard", "set", *args)
        assert result.returncode == 1 and words in result.stderr, (args, result.stderr)
        assert b"Traceback" not in result.stderr
    usage = run_cli("--db", db, "scorecard", "set", "sv-sjukfranvaro", "2017", "--result", "1", "--not-measured")
    assert usage.returncode == 2
    assert run_cli("--db", db, "export", "json").stdout == before
    # A computed indicator's target can be set: it is stored, and judged against.
    ok = run_cli("--db", db, "scorecard", "set", "sun--agendas-on-time", "2026", "--target", "100")
    assert ok.returncode == 0, ok.stderr.decode()
    stored = [i for i in scorecard_json(ludvika, "--body", "sun")["indicators"] if i["id"] == "sun--agendas-on-time"]
    assert stored and stored[0]["source"] == "computed" and stored[0]["values"] == [
        {"year": 2026, "result": None, "result_missing": None, "target": 100, "national": None,
         "national_missing": None, "note": ""}]


def _kolada(tmp_path: Path, rows: list[dict], name: str = "kolada") -> Path:
    path = tmp_path / f"{name}.json"
    path.write_text(json.dumps({"count": len(rows), "values": rows}), encoding="utf-8")
    return path


def _row(kpi: str, municipality: str, period, value) -> dict:
    return {"kpi": kpi, "municipality": municipality, "period": period,
            "values": [{"gender": "T", "value": value, "status": "", "count": 1},
                       {"gender": "K", "value": 1.0, "status": "", "count": 1}]}


@pytest.fixture
def kolada_db(ludvika, tmp_path) -> Path:
    """Ludvika with one indicator mapped to a (fictional, test-only) KPI id N99901."""
    extra = tmp_path / "mapped.json"
    document = json.loads(run_cli("--db", str(ludvika), "export", "json").stdout)
    indicator = next(i for i in document["indicators"] if i["id"] == "sv-bruttokostnad-ifo")
    indicator.update(source="kolada", kpi="N99901")
    extra.write_text(json.dumps({"format": "secretary/1", "indicators": [indicator]}), encoding="utf-8")
    assert run_cli("--db", str(ludvika), "import", str(extra)).returncode == 0
    return ludvika


def test_import_kolada_results_national_and_named_errors(kolada_db, tmp_path):
    db = str(kolada_db)
    good = _kolada(tmp_path, [_row("N99901", "2084", 2017, 4480.0), _row("N99901", "0000", 2017, 4100),
                              _row("N99901", "0000", 2016, None)])
    result = run_cli("--db", db, "scorecard", "import-kolada", str(good), "--municipality", "2084")
    assert result.returncode == 0, result.stderr.decode()
    values = {v["year"]: v for v in next(i for i in scorecard_json(kolada_db, "--org", "ludvika")["indicators"]
                                          if i["id"] == "sv-bruttokostnad-ifo")["values"]}
    assert values[2017]["result"] == 4480 and values[2017]["national"] == 4100
    assert values[2016]["result"] == 4263 and values[2016]["national_missing"] == "no_data"  # i.u. from Kolada
    before = run_cli("--db", db, "export", "json").stdout
    for rows, words in [
        ([_row("N12345", "2084", 2017, 1)], b"KPI 'N12345': no indicator has this KPI id"),
        ([_row("N99901", "2084", "2017-13", 1)], b"field 'period': value '2017-13': not a year"),
        ([_row("N99901", "2084", 2017, "many")], b"field 'value': value 'many': not a number"),
        ([_row("N99901", "20844", 2017, 1)], b"field 'municipality'"),
    ]:
        bad = _kolada(tmp_path, rows, "bad")
        result = run_cli("--db", db, "scorecard", "import-kolada", str(bad), "--municipality", "2084")
        assert result.returncode == 1 and words in result.stderr, (rows, result.stderr)
        assert b"Traceback" not in result.stderr
    no_code = run_cli("--db", db, "scorecard", "import-kolada", str(good))
    assert no_code.returncode == 1 and b"--municipality" in no_code.stderr
    assert run_cli("--db", db, "export", "json").stdout == before


class _Kolada(http.server.BaseHTTPRequestHandler):
    seen: list[str] = []

    def do_GET(self):  # noqa: N802 - the http.server interface
        type(self).seen.append(self.path)
        if self.path.endswith("page2"):
            body = {"values": [_row("N99901", "0000", 2017, 4000)]}
        else:
            body = {"values": [_row("N99901", "2084", 2017, 4321)], "next_page": "/v2/page2"}
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.mark.skipif(not shutil.which("openssl"), reason="needs openssl for the loopback certificate")
def test_fetch_over_https_from_a_loopback_server(kolada_db, tmp_path):
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
                    "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True, timeout=60)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Kolada)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        base = f"https://127.0.0.1:{server.server_address[1]}/v2"
        out = tmp_path / "fetched.json"
        env = {"SECRETARY_KOLADA_URL": base, "SECRETARY_KOLADA_CA": str(cert)}
        result = run_cli("--db", str(kolada_db), "scorecard", "import-kolada", str(out), "--fetch", "--kpi", "N99901",
                         "--municipality", "2084", "--years", "2017", env=env)
        assert result.returncode == 0, result.stderr.decode()
        assert _Kolada.seen[0] == "/v2/data/kpi/N99901/municipality/2084,0000/year/2017"
        assert len(json.loads(out.read_text())["values"]) == 2  # both pages kept in FILE.json
        values = {v["year"]: v for v in next(i for i in scorecard_json(kolada_db, "--org", "ludvika")["indicators"]
                                              if i["id"] == "sv-bruttokostnad-ifo")["values"]}
        assert values[2017]["result"] == 4321 and values[2017]["national"] == 4000
        untrusted = run_cli("--db", str(kolada_db), "scorecard", "import-kolada", str(out), "--fetch", "--kpi", "N99901",
                            "--municipality", "2084", "--years", "2017", env={"SECRETARY_KOLADA_URL": base})
        assert untrusted.returncode == 1 and b"CERTIFICATE_VERIFY_FAILED" in untrusted.stderr
        plain = run_cli("--db", str(kolada_db), "scorecard", "import-kolada", str(out), "--fetch", "--kpi", "N99901",
                        "--municipality", "2084", "--years", "2017", env={"SECRETARY_KOLADA_URL": "http://127.0.0.1:1/v2"})
        assert plain.returncode == 1 and b"must be an https:// address" in plain.stderr
    finally:
        server.shutdown()
        server.server_close()
