"""A deterministic dataset of a large secretariat's 20 years, at any scale, written through the real store.

Scale 1 is 2007–2026: 20 bodies, 2,000 people, 3,000 meetings and 45,000 agenda
items whose backgrounds are 1–2 KB of Danish or Swedish prose-like text built
from domain vocabulary, with decisions, actions, attendance and memberships.
Scale 0.1 and 10 multiply every count (bodies and people too), so a body's
partition for a year stays the same size and only the number of partitions grows.

The same seed and scale give the same objects. Beside the product database the
generator writes the two references the benchmark compares against: the same
data as one TinyDB file in TinyDB's default JSON layout, and as SQLite rows.
Databases are cached under a directory keyed by scale (and generator version).
"""

from __future__ import annotations

import datetime as dt
import os
import random
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

import orjson

from secretary.cli.bootstrap import create_database, open_secretary
from secretary.domain.interchange import Dataset
from secretary.domain.model import Body, Meeting, Membership, Milestone, Organisation, Person

# Bump when the generated data or the store layout changes, so caches are rebuilt
# (2: index rows carry minutes state, open actions, place).
VERSION = 2
SEED = 20070101
FIRST_YEAR, LAST_YEAR = 2007, 2026
YEARS = LAST_YEAR - FIRST_YEAR + 1
HELD_BEFORE = dt.date(2026, 6, 1)  # meetings before this day are held, with decisions and approved minutes
STAMP = dt.datetime(2026, 6, 1, 8, 0, tzinfo=dt.UTC)

BASE = {"bodies": 20, "people": 2000, "meetings": 3000, "items_per_meeting": 15}

# -- vocabulary -------------------------------------------------------------------------

DA = {
    "subjects": [
        "Sekretariatet", "Forretningsudvalget", "DASSOS", "Kontaktudvalget", "Styregruppen",
        "Arbejdsgruppen", "Takstgruppen", "Driftsherren", "Den enkelte kommune", "Regionen",
        "Netværket", "Udvalget", "KKR Midtjylland", "Hjerneskaderådet", "Formandskabet",
        "Socialdirektørerne", "Handicaprådet", "Kommunalbestyrelsen", "Regionsrådet", "Dialogforum",
    ],
    "verbs": [
        "foreslår", "vurderer", "anbefaler", "godkender", "drøfter", "orienterer om", "har behandlet",
        "indstiller", "følger op på", "udarbejder", "har analyseret", "tager stilling til",
        "præsenterer", "beskriver", "sender i høring", "redegør for", "koordinerer", "prioriterer",
    ],
    "objects": [
        "kapacitetsjusteringen", "rammeaftalen", "styringsaftalen", "takstudviklingen",
        "udviklingsstrategien", "belægningsprocenten", "den fælles handleplan", "ventelisten",
        "afrapporteringen", "tilbudsoversigten", "lukningen af tilbuddet", "den specialiserede socialindsats",
        "specialundervisningsområdet", "indsatsen for borgere med erhvervet hjerneskade", "botilbuddene",
        "aflastningstilbuddet", "den økonomiske ramme", "de centrale udviklingsområder", "samarbejdet med KL",
        "omkostningsudviklingen", "overheadprocenten", "de højt specialiserede tilbud", "Socialstyrelsens centrale udmelding",
        "den nationale koordinationsstruktur", "kvalitetsmodellen", "mødeplanen", "årshjulet", "kommissoriet",
    ],
    "modifiers": [
        "i Region Midtjylland", "på tværs af kommunerne", "i de 19 kommuner", "med virkning fra 1. marts",
        "inden for den aftalte ramme", "på baggrund af høringssvarene", "efter mailhøring",
        "med en frist på 14 dage", "jf. bilag {n}", "for perioden {y}–{y2}", "med {n} pladser",
        "for {n} mio. kr.", "med en stigning på {n} procent", "i {place} Kommune", "frem mod {y2}",
        "som aftalt på sidste møde", "i overensstemmelse med kommissoriet", "efter drøftelse i Forretningsudvalget",
        "med henblik på godkendelse i DASSOS", "til orientering", "i samarbejde med driftsherren",
    ],
    "places": [
        "Favrskov", "Hedensted", "Herning", "Holstebro", "Horsens", "Ikast-Brande", "Lemvig", "Norddjurs",
        "Odder", "Randers", "Ringkøbing-Skjern", "Samsø", "Silkeborg", "Skanderborg", "Skive", "Struer",
        "Syddjurs", "Viborg", "Aarhus",
    ],
    "recommend": "Det indstilles, at",
    "decided": ["Godkendt.", "Taget til efterretning.", "Indstillingen blev godkendt.", "Sagen udsættes til næste møde."],
    "kinds": ["Styregruppen for", "Arbejdsgruppen om", "Netværket for", "Rådet for", "Udvalget for", "Forum for"],
    "standing": ["Godkendelse af dagsorden", "Godkendelse af referat", "Eventuelt"],
    "case": "{y}-{n:06d}",
    "closed": "Personfølsomme oplysninger",
}
SV = {
    "subjects": [
        "Nämnden", "Socialförvaltningen", "Förvaltningen", "Arbetsgruppen", "Ludvika kommun", "Region Dalarna",
        "Ordföranden", "Utskottet", "Samverkansgruppen", "Kommunstyrelsen", "Individ- och familjeomsorgen",
        "Verksamhetschefen", "Kvalitetsrådet", "Brukarrådet",
    ],
    "verbs": [
        "föreslår", "bedömer", "beslutar om", "informerar om", "har utrett", "följer upp", "redovisar",
        "godkänner", "lägger fram", "remitterar", "prioriterar", "beskriver",
    ],
    "objects": [
        "kvalitetsrapporten", "styrkortet", "måltalen", "rikssnittet", "ekonomiskt bistånd", "hemtjänsten",
        "särskilt boende", "LSS-verksamheten", "placeringarna", "budgetuppföljningen", "handlingsplanen",
        "brukarundersökningen", "väntetiderna", "missbruksvården", "barn- och ungdomsvården", "personalförsörjningen",
        "internkontrollplanen", "verksamhetsplanen", "avvikelserapporteringen", "samverkansöverenskommelsen",
    ],
    "modifiers": [
        "i Ludvika kommun", "i Region Dalarna", "för år {y}", "enligt bilaga {n}", "med {n} platser",
        "för {n} miljoner kronor", "med en ökning på {n} procent", "i {place}", "inför {y2}",
        "enligt tidigare beslut", "efter remiss via e-post", "i samverkan med regionen", "för kännedom",
        "jämfört med rikssnittet", "under perioden {y}–{y2}",
    ],
    "places": ["Ludvika", "Smedjebacken", "Borlänge", "Falun", "Grängesberg", "Fredriksberg", "Säter", "Hedemora"],
    "recommend": "Förvaltningen föreslår att nämnden beslutar att",
    "decided": ["Beslutades enligt förslaget.", "Informationen noteras.", "Ärendet bordläggs.", "Nämnden godkänner förslaget."],
    "kinds": ["Styrgruppen för", "Arbetsgruppen för", "Nätverket för", "Rådet för", "Samverkansforum för"],
    "standing": ["Godkännande av dagordning", "Val av justerare", "Övriga frågor"],
    "case": "SN {y}/{n}",
    "closed": "Sekretess enligt OSL 26 kap. 1 §",
}
COMPOUND_HEADS = ["social", "special", "handicap", "bosteds", "aflastnings", "kvalitets", "takst", "budget",
                  "kapacitets", "udviklings", "samarbejds", "psykiatri", "misbrugs", "hjerneskade", "børne",
                  "unge", "ældre", "familie", "beskæftigelses", "sundheds"]
COMPOUND_TAILS = ["tilbud", "aftale", "strategi", "plan", "område", "indsats", "gruppe", "udvalg", "rapport",
                  "model", "analyse", "opfølgning", "ramme", "takst", "visitation", "koordinering"]
FIRST_NAMES = ["Anne", "Mette", "Hanne", "Lars", "Jens", "Peter", "Søren", "Mads", "Line", "Birgitte", "Kirsten",
               "Rasmus", "Anders", "Maria", "Karin", "Eva", "Lena", "Johan", "Erik", "Åsa", "Björn", "Sören",
               "Ingrid", "Märta", "Nils", "Ulla", "Gösta", "Astrid", "Frederik", "Ida", "Øjvind", "Bodil"]
LAST_NAMES = ["Nielsen", "Jensen", "Hansen", "Pedersen", "Andersen", "Christensen", "Larsen", "Sørensen",
              "Rasmussen", "Jørgensen", "Madsen", "Kristensen", "Olsen", "Thomsen", "Poulsen", "Johansson",
              "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson", "Persson", "Svensson", "Gustafsson",
              "Lindström", "Bergström", "Åkesson", "Højgaard", "Mølgaard", "Bæk"]
ORGANISATIONS = [
    *[(place.lower().replace("ø", "oe").replace("å", "aa").replace("æ", "ae"), f"{place} Kommune", "municipality", "DK")
      for place in DA["places"]],
    ("region-midtjylland", "Region Midtjylland", "region", "DK"),
    ("kl", "Kommunernes Landsforening", "association", "DK"),
    ("dh", "Danske Handicaporganisationer", "association", "DK"),
    ("ludvika", "Ludvika kommun", "municipality", "SE"),
    ("smedjebacken", "Smedjebackens kommun", "municipality", "SE"),
    ("region-dalarna", "Region Dalarna", "region", "SE"),
]


def counts(scale: float) -> dict[str, int]:
    return {
        "bodies": max(1, round(BASE["bodies"] * scale)),
        "people": max(4, round(BASE["people"] * scale)),
        "meetings": max(1, round(BASE["meetings"] * scale)),
        "items_per_meeting": BASE["items_per_meeting"],
    }


def scale_label(scale: float) -> str:
    return f"{scale:g}".replace(".", "_")


class Prose:
    """Sentences from a language's vocabulary, pre-made once so that 45,000 backgrounds are quick."""

    def __init__(self, words: dict, rng: random.Random, pool: int = 4000):
        self.words = words
        self.rng = rng
        compounds = [h + t for h in COMPOUND_HEADS for t in COMPOUND_TAILS]
        self.sentences = [self._sentence(compounds) for _ in range(pool)]

    def _sentence(self, compounds: list[str]) -> str:
        w, r = self.words, self.rng
        y = r.randint(FIRST_YEAR, LAST_YEAR)
        modifier = r.choice(w["modifiers"]).format(n=r.randint(2, 60), y=y, y2=y + r.randint(1, 3), place=r.choice(w["places"]))
        parts = [r.choice(w["subjects"]), r.choice(w["verbs"]), r.choice(w["objects"]), modifier]
        if r.random() < 0.6:
            parts.append(f"og {r.choice(compounds)}" if w is DA else f"och {r.choice(compounds)}")
        if r.random() < 0.3:
            parts.append(r.choice(w["modifiers"]).format(n=r.randint(2, 60), y=y, y2=y + 1, place=r.choice(w["places"])))
        return " ".join(parts) + "."

    def text(self, low: int, high: int) -> str:
        target = self.rng.randint(low, high)
        out: list[str] = []
        size = 0
        while size < target:
            sentence = self.rng.choice(self.sentences)
            out.append(sentence)
            size += len(sentence.encode()) + 1
        return " ".join(out)


@dataclass
class Plan:
    """The registry objects and where each body's meetings go."""

    registry: Dataset
    body_members: dict[str, list[Membership]]
    meetings_per_slot: dict[tuple[str, int], int]


def build_registry(scale: float, rng: random.Random) -> Plan:
    n = counts(scale)
    data = Dataset()
    for key, name, kind, country in ORGANISATIONS:
        data.organisations[key] = Organisation(id=key, name=name, short_name=name.split()[0], kind=kind, country=country)
    org_ids = [key for key, *_ in ORGANISATIONS]
    body_ids = [f"body-{i:03d}" for i in range(n["bodies"])]
    compounds = [h + t for h in COMPOUND_HEADS for t in COMPOUND_TAILS]
    for i, body_id in enumerate(body_ids):
        swedish = i % 10 >= 7
        words = SV if swedish else DA
        topic = compounds[(i * 37) % len(compounds)]
        name = f"{words['kinds'][i % len(words['kinds'])]} {topic} {i + 1}"
        data.bodies[body_id] = Body.model_validate(
            {
                "id": body_id,
                "name": name,
                "abbreviation": f"{topic[:4].upper()}{i + 1}",
                "kind": ["political", "administrative", "advisory", "working_group", "network"][i % 5],
                "language": "sv" if swedish else "da",
                "timezone": "Europe/Stockholm" if swedish else "Europe/Copenhagen",
                "reports_to": body_ids[0] if i and i % 4 == 1 else None,
                "terms_of_reference": f"{name} {words['verbs'][0]} {words['objects'][i % len(words['objects'])]}.",
                "cadence": {"kind": "per_year", "min": 6, "max": 9},
                "location": f"{words['places'][i % len(words['places'])]}",
            },
            strict=False,
        )
    body_members: dict[str, list[Membership]] = {body_id: [] for body_id in body_ids}
    for i in range(n["people"]):
        person_id = f"p{i:05d}"
        first, last = FIRST_NAMES[rng.randrange(len(FIRST_NAMES))], LAST_NAMES[rng.randrange(len(LAST_NAMES))]
        org = org_ids[i % len(org_ids)]
        data.people[person_id] = Person(
            id=person_id,
            name=f"{first} {last}",
            title=["Direktør", "Chef", "Konsulent", "Socialchef", "Enhetschef", "Handläggare"][i % 6],
            organisation=org,
            email=f"{first.lower()}.{last.lower()}.{i}@example.org"
            .replace("å", "a").replace("ø", "o").replace("ä", "a").replace("ö", "o").replace("æ", "ae"),
        )
        seats = [(body_ids[i % len(body_ids)], "member")]
        if i % 3 == 0 and len(body_ids) > 1:
            seats.append((body_ids[(i + 1) % len(body_ids)], "observer"))
        cohort = (i // len(body_ids)) % 5
        start = dt.date(FIRST_YEAR + 4 * cohort, 1, 1)
        end = dt.date(FIRST_YEAR + 4 * cohort + 3, 12, 31)
        for number, (body_id, role) in enumerate(seats):
            if role == "member" and (i // len(body_ids)) % 20 == 0:
                role = "chair"
            seat = Membership(
                id=f"{person_id}-{number}", body=body_id, person=person_id, organisation=org,
                role=role, voting=role != "observer", start=start, end=end,
            )
            data.memberships[seat.id] = seat
            body_members[body_id].append(seat)
    for body_id in body_ids:
        data.milestones[f"{body_id}-budget"] = Milestone(
            id=f"{body_id}-budget", title="Budgetopfølgning", body=body_id, month=9, day=15, recurs="yearly"
        )
    slots = [(body_id, year) for year in range(FIRST_YEAR, LAST_YEAR + 1) for body_id in body_ids]
    base, extra = divmod(n["meetings"], len(slots))
    shuffled = sorted(slots, key=lambda s: (s[1] * 7919 + int(s[0][5:]) * 31) % 1009)
    per_slot = {slot: base + (1 if k < extra else 0) for k, slot in enumerate(shuffled)}
    return Plan(data, body_members, per_slot)


def _meeting_days(year: int, count: int, offset: int) -> list[dt.date]:
    months = [m for m in range(1, 13) if m != 7]
    days = []
    for k in range(count):
        # spread evenly over the eleven months; several meetings a month when count > 11
        month = months[(k * len(months)) // count]
        day = dt.date(year, month, 3 + (offset * 3 + k * 7) % 22)
        while day.isoweekday() > 4 or day in days:
            day += dt.timedelta(days=1)
        days.append(day)
    return days


def meetings_of_year(plan: Plan, year: int, rng: random.Random, prose: dict[str, Prose]) -> Iterator[Meeting]:
    registry = plan.registry
    for body_index, (body_id, body) in enumerate(sorted(registry.bodies.items())):
        count = plan.meetings_per_slot.get((body_id, year), 0)
        if not count:
            continue
        words = SV if body.language == "sv" else DA
        text = prose[body.language]
        zone = ZoneInfo(body.timezone)
        members = [s for s in plan.body_members[body_id] if s.start.year <= year <= (s.end or dt.date.max).year]
        for number, day in enumerate(_meeting_days(year, count, body_index)):
            held = day < HELD_BEFORE
            start = dt.datetime(day.year, day.month, day.day, 9 if number % 2 else 13, 0, tzinfo=zone)
            meeting_id = f"{body_id}-{day.isoformat()}"
            items = []
            n_items = BASE["items_per_meeting"]
            for k in range(n_items):
                item_id = f"{meeting_id}-{k + 1}"
                if k < 2:
                    title, kind = words["standing"][k], "approve_agenda" if k == 0 else "approve_minutes"
                elif k == n_items - 1:
                    title, kind = words["standing"][2], "any_other_business"
                else:
                    title = text.rng.choice(text.sentences)[:-1][:120]
                    kind = ["decision", "decision", "information", "discussion"][k % 4]
                substantive = kind in ("decision", "information", "discussion")
                public = not (substantive and rng.random() < 0.08)
                item = {
                    "id": item_id,
                    "number": str(k + 1),
                    "title": title,
                    "kind": kind,
                    "public": public,
                    "closed_reason": None if public else words["closed"],
                    "case_number": words["case"].format(y=year, n=rng.randint(1, 99999)) if substantive else None,
                    "presenter": registry.people[members[k % len(members)].person].name if members and substantive else None,
                    "background": text.text(1024, 2048) if substantive else "",
                    "recommendation": f"{words['recommend']} {text.rng.choice(text.sentences)}" if substantive else "",
                    "attachments": [{"title": f"Bilag {k + 1}", "href": f"https://example.org/{item_id}.pdf"}] if k % 5 == 2 else [],
                    "decision": rng.choice(words["decided"]) if held else None,
                    "outcome": ("approved" if kind == "decision" else "noted") if held else None,
                    "actions": [],
                }
                if substantive and rng.random() < 0.35:
                    for a in range(rng.randint(1, 2)):
                        owner = members[(k + a) % len(members)].person if members else ""
                        item["actions"].append(
                            {
                                "id": f"{item_id}-a{a + 1}",
                                "what": text.rng.choice(text.sentences)[:-1][:200],
                                "owner": registry.people[owner].name if owner else "",
                                "due": (day + dt.timedelta(days=30 + 14 * a)).isoformat(),
                                "done": held and day.year < 2026,
                            }
                        )
                items.append(item)
            attendance = []
            if held:
                for seat in members[:8]:
                    status = "apologies" if rng.random() < 0.15 else "present"
                    attendance.append({"person": seat.person, "status": status})
            yield Meeting.model_validate(
                {
                    "id": meeting_id,
                    "body": body_id,
                    "title": "",
                    "start": start.isoformat(),
                    "end": (start + dt.timedelta(hours=2)).isoformat(),
                    "location": body.location,
                    "status": "held" if held else "planned",
                    "attendance": attendance,
                    "items": items,
                    "minutes": {"status": "approved", "approved_on": (day + dt.timedelta(days=40)).isoformat(), "approved_by": "Formanden"}
                    if held and day < dt.date(2026, 4, 1)
                    else {"status": "none"},
                    "uid": f"{meeting_id}@bench.secretary",
                    "sequence": 0,
                    "last_modified": STAMP.isoformat(),
                },
                strict=False,
            )


# -- writing --------------------------------------------------------------------------

SQLITE_SCHEMA = """
CREATE TABLE organisations (id TEXT PRIMARY KEY, doc TEXT NOT NULL);
CREATE TABLE bodies (id TEXT PRIMARY KEY, doc TEXT NOT NULL);
CREATE TABLE people (id TEXT PRIMARY KEY, doc TEXT NOT NULL);
CREATE TABLE memberships (id TEXT PRIMARY KEY, doc TEXT NOT NULL);
CREATE TABLE milestones (id TEXT PRIMARY KEY, doc TEXT NOT NULL);
CREATE TABLE cases (id TEXT PRIMARY KEY, doc TEXT NOT NULL);
CREATE TABLE indicators (id TEXT PRIMARY KEY, doc TEXT NOT NULL);
CREATE TABLE meetings (id TEXT PRIMARY KEY, body TEXT NOT NULL, start TEXT NOT NULL, doc TEXT NOT NULL);
CREATE TABLE items (id TEXT PRIMARY KEY, meeting TEXT NOT NULL, position INTEGER NOT NULL, title TEXT NOT NULL,
                    kind TEXT NOT NULL, public INTEGER NOT NULL, closed_reason TEXT, case_number TEXT, presenter TEXT,
                    background TEXT NOT NULL, recommendation TEXT NOT NULL, decision TEXT, outcome TEXT,
                    referred_to TEXT, attachments TEXT NOT NULL);
CREATE TABLE actions (id TEXT PRIMARY KEY, item TEXT NOT NULL, what TEXT NOT NULL, owner TEXT, due TEXT, done INTEGER NOT NULL);
CREATE INDEX items_meeting ON items (meeting);
"""


@dataclass(frozen=True)
class Generated:
    """Where one scale's databases are."""

    scale: float
    directory: Path
    product: Path  # --db PATH of the real store
    tinydb: Path  # the same data in TinyDB's default single-file JSON layout
    sqlite: Path  # the same data as SQLite rows
    counts: dict

    def sample_item(self) -> tuple[str, str]:
        return self.counts["sample_meeting"], self.counts["sample_item"]


def cache_root() -> Path:
    configured = os.environ.get("SECRETARY_BENCH_CACHE")
    if configured:
        return Path(configured)
    return Path(tempfile.gettempdir()) / f"secretary-bench-{os.getuid()}"


def generate(scale: float, root: Path | None = None, progress=None) -> Generated:
    """The databases of `scale`, generated once and then taken from the cache."""
    root = root or cache_root()
    directory = root / f"v{VERSION}-scale-{scale_label(scale)}"
    done = directory / "done.json"
    if done.exists():
        info = orjson.loads(done.read_bytes())
        return Generated(scale, directory, directory / "secretary.json", directory / "tinydb.json", directory / "sqlite.db", info)
    if directory.exists():
        shutil.rmtree(directory)
    directory.mkdir(parents=True, mode=0o700)
    info = _write(scale, directory, progress or (lambda message: None))
    done.write_bytes(orjson.dumps(info))
    return Generated(scale, directory, directory / "secretary.json", directory / "tinydb.json", directory / "sqlite.db", info)


def _write(scale: float, directory: Path, progress) -> dict:
    rng = random.Random(f"{SEED}-{scale}")
    plan = build_registry(scale, rng)
    prose = {"da": Prose(DA, random.Random(f"{SEED}-da")), "sv": Prose(SV, random.Random(f"{SEED}-sv"))}
    prose["en"] = prose["da"]
    clock = lambda: STAMP  # noqa: E731 - fixed, so the data is the same on every run
    secretary = create_database(directory / "secretary.json", plan.registry, clock=clock)
    sql = sqlite3.connect(directory / "sqlite.db")
    sql.executescript(SQLITE_SCHEMA)
    for name, objects in plan.registry.collections():
        if name != "meetings":
            sql.executemany(
                f"INSERT INTO {name} VALUES (?, ?)", [(k, orjson.dumps(o.model_dump(mode="json")).decode()) for k, o in objects.items()]
            )
    tiny = open(directory / "tinydb.json", "wb")
    tiny.write(b"{")
    for name, objects in plan.registry.collections():
        if name != "meetings":
            table = {str(n): o.model_dump(mode="json") for n, o in enumerate(objects.values(), 1)}
            tiny.write(orjson.dumps(name) + b":" + orjson.dumps(table) + b",")
    tiny.write(b'"meetings":{')
    total = {"meetings": 0, "items": 0, "actions": 0, "background_bytes": 0}
    sample: tuple[str, str] | None = None
    doc_id = 0
    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        meetings = list(meetings_of_year(plan, year, rng, prose))
        secretary.data.import_dataset(Dataset(meetings={m.id: m for m in meetings}))
        for meeting in meetings:
            raw = meeting.model_dump(mode="json")
            doc_id += 1
            tiny.write((b"," if doc_id > 1 else b"") + orjson.dumps(str(doc_id)) + b":" + orjson.dumps(raw))
            sql.execute("INSERT INTO meetings VALUES (?, ?, ?, ?)", (meeting.id, meeting.body, raw["start"],
                        orjson.dumps({k: v for k, v in raw.items() if k != "items"}).decode()))
            for position, item in enumerate(raw["items"]):
                sql.execute(
                    "INSERT INTO items VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (item["id"], meeting.id, position, item["title"], item["kind"], int(item["public"]), item["closed_reason"],
                     item["case_number"], item["presenter"], item["background"], item["recommendation"], item["decision"],
                     item["outcome"], item["referred_to"], orjson.dumps(item["attachments"]).decode()),
                )
                sql.executemany("INSERT INTO actions VALUES (?, ?, ?, ?, ?, ?)",
                                [(a["id"], item["id"], a["what"], a["owner"], a["due"], int(a["done"])) for a in item["actions"]])
                total["items"] += 1
                total["actions"] += len(item["actions"])
                total["background_bytes"] += len(item["background"].encode())
            total["meetings"] += 1
            if sample is None and year >= (FIRST_YEAR + LAST_YEAR) // 2 and len(meeting.items) >= 15:
                sample = (meeting.id, meeting.items[4].id)
        sql.commit()
        progress(f"year {year}: {len(meetings)} meetings")
    tiny.write(b"}}")
    tiny.close()
    os.chmod(directory / "tinydb.json", 0o600)
    sql.close()
    del secretary
    if sample is None:  # a tiny scale: take any meeting
        check = open_secretary(directory / "secretary.json")
        first = check.store.meetings.all()[0]
        sample = (first.id, first.items[len(first.items) // 2].id)
    reg = plan.registry
    return {
        "scale": scale,
        "version": VERSION,
        "bodies": len(reg.bodies),
        "people": len(reg.people),
        "memberships": len(reg.memberships),
        "organisations": len(reg.organisations),
        **total,
        "sample_meeting": sample[0],
        "sample_item": sample[1],
    }


def working_copy(generated: Generated, target: Path) -> Path:
    """A private copy of the product database to edit: hard links, since every save replaces files."""
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True, mode=0o700)
    source = generated.directory
    copy = os.link if _same_device(source, target) else shutil.copy2
    copy(source / "secretary.json", target / "secretary.json")
    shutil.copytree(source / "secretary.json.d", target / "secretary.json.d", copy_function=copy,
                    ignore=shutil.ignore_patterns("journal"))
    return target / "secretary.json"


def _same_device(a: Path, b: Path) -> bool:
    return os.stat(a).st_dev == os.stat(b).st_dev
