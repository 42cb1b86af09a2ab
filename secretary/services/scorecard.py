"""The scorecard (styrkort): indicators by year, the figures a body's meetings produce, Kolada
imports, and the annual report and spreadsheets made from them.

Stored indicators are read through the port (`store.indicators`); computed ones from the
stored meeting documents of a body (unvalidated, the way search reads them), kept per
(body, year) until that group of meetings changes: the whole scorecard of twenty bodies over
twenty years is one pass over the data the first time and nothing the next.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any, Literal
from zoneinfo import ZoneInfo

from secretary.domain import scorecard as rules
from secretary.domain.editing import build, refuse_stale
from secretary.domain.errors import InvalidData, InvalidField, NotFound, SecretaryError
from secretary.domain.interchange import Dataset, check_references
from secretary.domain.model import Body, Indicator, IndicatorValue
from secretary.domain.scorecard import BodyYear, Computed, Decision, MeetingFacts, MetricProvider, Report, Scorecard
from secretary.i18n import _
from secretary.services.clock import Clock
from secretary.services.ports import Store
from secretary.services.records import Records

UNSET: Any = object()


class ScorecardService:
    """Scorecards of organisations and bodies; `metrics` are extra figure providers (the
    extension point for hearings answered by the deadline, which the cases service brings)."""

    def __init__(self, store: Store, clock: Clock, records: Records, metrics: Sequence[MetricProvider] = ()):
        self.store = store
        self.clock = clock
        self.records = records
        self.metrics = list(metrics)
        self._facts: dict[tuple[str, int], tuple[int, list[MeetingFacts]]] = {}
        self._computed: dict[tuple[str, int], tuple[Any, tuple[Computed, ...]]] = {}
        self._seats: tuple[int, dict[str, list], dict[str, str | None]] | None = None

    def today(self) -> dt.date:
        return self.clock().date()

    # -- reading -------------------------------------------------------------------------------

    def indicators(self, organisation: str | None = None, body: str | None = None) -> list[Indicator]:
        found = self.store.indicators.all().values()
        return sorted(
            (i for i in found if (organisation is None or i.organisation == organisation) and (body is None or i.body == body)),
            key=rules.indicator_order,
        )

    def indicator(self, indicator_id: str) -> Indicator:
        found = self.store.indicators.get(indicator_id)
        if found is None:
            raise NotFound(_("no indicator with id {indicator_id!r}").format(indicator_id=indicator_id))
        return found

    def facts(self, body: Body, year: int | None = None) -> list[MeetingFacts]:
        """The scorecard's view of a body's meetings (one year or all), re-read only where changed."""
        meetings = self.store.meetings
        keys = sorted(key for key in meetings.partition_keys() if key[0] == body.id and year in (None, key[1]))
        zone = ZoneInfo(body.timezone)
        found: list[MeetingFacts] = []
        for key in keys:
            cached = self._facts.get(key)
            generation = meetings.generation(*key)
            if cached is None or generation is None or cached[0] != generation:
                generation, documents = meetings.documents(*key)
                cached = (generation, [MeetingFacts.of_document(k, raw, body, zone) for k, raw in documents.items()])
                self._facts[key] = cached
            found.extend(cached[1])
        if year is not None:  # a meeting early on 1 January (UTC) is in the body's new year
            for key in ((body.id, year - 1), (body.id, year + 1)):
                if key not in keys and key in meetings.partition_keys():
                    found.extend(f for f in self.facts(body, key[1]) if f.day.year == year)
        return found

    def _person_organisations(self) -> dict[str, str | None]:
        return {key: person.organisation for key, person in self.store.people.all().items()}

    def computed(self, body_id: str, year: int, *, facts: list[MeetingFacts] | None = None) -> list[Computed]:
        """Every figure of `body_id`'s meetings in `year`, each with how and from which meetings.

        Kept until the body's meetings, the registry (seats, people) or the day change."""
        body = self.records.body(body_id)
        facts = self.facts(body) if facts is None else facts
        meetings = self.store.meetings
        stamp = (self.store.registry_generation(), self.today(),
                 tuple(sorted((key, meetings.generation(*key)) for key in meetings.partition_keys() if key[0] == body_id)))
        cached = self._computed.get((body_id, year))
        if cached is not None and cached[0] == stamp and None not in (g for _k, g in stamp[2]) and not self.metrics:
            return list(cached[1])
        registry = self.store.registry_generation()
        if self._seats is None or self._seats[0] != registry:
            seats: dict[str, list] = {}
            for seat in self.store.memberships.all().values():
                seats.setdefault(seat.body, []).append(seat)
            self._seats = (registry, seats, self._person_organisations())
        _generation, by_body, people = self._seats
        figures = rules.compute_body_year(body, facts, year, self.today(), by_body.get(body.id, []), people)
        for provider in self.metrics:
            figures.extend(provider(body, year, self.today()))
        self._computed[(body_id, year)] = (stamp, tuple(figures))
        return figures

    def _years(self, indicators: Iterable[Indicator]) -> tuple[int, ...]:
        years = sorted({value.year for indicator in indicators for value in indicator.values})
        return tuple(range(years[0], years[-1] + 1)) if years else (self.today().year,)

    def organisation_scorecards(self, organisation_id: str, years: Sequence[int] | None = None) -> list[Scorecard]:
        org = self.records.organisation(organisation_id)
        language = "da" if org.country == "DK" else "sv"
        indicators = self.indicators(organisation=organisation_id)
        shown = tuple(years) if years else self._years(indicators)
        names = sorted({i.scorecard for i in indicators}) or [""]
        cards = []
        for name in names:
            mine = [i for i in indicators if i.scorecard == name]
            rows, notes = rules.build_rows(mine, shown, language)
            cards.append(Scorecard("organisation", org.id, org.name, name, language, shown, rows, notes))
        return cards

    def body_scorecard(self, body_id: str, years: Sequence[int] | None = None) -> Scorecard:
        """A body's own indicators and the figures its meetings produce, year by year."""
        body = self.records.body(body_id)
        stored = {i.id: i for i in self.indicators(body=body_id)}
        facts = self.facts(body)
        if years:
            shown = tuple(years)
        else:
            meeting_years = {f.day.year for f in facts}
            shown = tuple(sorted(meeting_years | set(self._years(stored.values()) if stored else ()))) or (self.today().year,)
            shown = tuple(range(shown[0], shown[-1] + 1))
        computed: dict[str, dict[int, Computed]] = {}
        indicators: dict[str, Indicator] = {k: v for k, v in stored.items() if v.source != "computed"}
        names = {key: (org.short_name or org.name) for key, org in self.store.organisations.all().items()}
        for year in shown:
            for figure in self.computed(body_id, year, facts=facts):
                ident = rules.computed_id(body.id, figure.metric, figure.of_organisation)
                if ident not in indicators:
                    indicators[ident] = rules.computed_indicator(body, figure, lambda o: names.get(o, o), stored.get(ident))
                computed.setdefault(ident, {})[year] = figure
        rows, notes = rules.build_rows(list(indicators.values()), shown, body.language, computed)
        return Scorecard("body", body.id, body.name, "", body.language, shown, rows, notes)

    def scorecards(self, organisation: str | None = None, body: str | None = None,
                   years: Sequence[int] | None = None) -> list[Scorecard]:
        """One owner's scorecards, or (neither given) every organisation's and every body's."""
        if organisation is not None and body is not None:
            raise SecretaryError(_("--org and --body: choose one owner"))
        if organisation is not None:
            return self.organisation_scorecards(organisation, years)
        if body is not None:
            return [self.body_scorecard(body, years)]
        owners = sorted({i.organisation for i in self.store.indicators.all().values() if i.organisation})
        cards = [card for org in owners for card in self.organisation_scorecards(org, years)]
        with_meetings = {key[0] for key in self.store.meetings.partition_keys()}
        with_indicators = {i.body for i in self.store.indicators.all().values() if i.body}
        cards.extend(self.body_scorecard(b.id, years) for b in self.records.bodies() if b.id in with_meetings | with_indicators)
        return cards

    # -- writing -------------------------------------------------------------------------------

    def _computed_stub(self, indicator_id: str) -> Indicator | None:
        """The stored form of a computed indicator named by its id ("dassos--agendas-on-time")."""
        for body in self.records.bodies():
            prefix = f"{body.id}--"
            if not indicator_id.startswith(prefix):
                continue
            rest = indicator_id[len(prefix):]
            metric, _sep, org = rest.partition("--")
            metric = metric.replace("-", "_")
            if metric not in rules.COMPUTED_METRICS or (bool(org) != (metric == "attendance")):
                continue
            if org and self.store.organisations.get(org) is None:
                continue
            names = {key: (o.short_name or o.name) for key, o in self.store.organisations.all().items()}
            figure = Computed(metric, body.id, 0, None, 0, 0, "", (), of_organisation=org or None,
                              unit="number" if metric in ("meetings_held", "actions_overdue") else "percent",
                              better="lower" if metric == "actions_overdue" else "higher")

            def name_of(org: str, names: dict[str, str] = names) -> str:
                return names.get(org, org)

            return rules.computed_indicator(body, figure, name_of)
        return None

    def set_value(self, indicator_id: str, year: int, *, result: Any = UNSET, not_measured: bool = False,
                  no_data: bool = False, target: Any = UNSET, national: Any = UNSET, national_no_data: bool = False,
                  note: Any = UNSET, based_on: Any = UNSET) -> Indicator:
        """Set one year of one indicator: its result (or "not measured" / "i.u."), target,
        national average, footnote. A value of None clears that field. Validated whole or refused.
        `based_on`: the year's value as a form showed it (None: it had none); when the stored one
        is no longer that, the change is refused (StaleEdit), never written over another's."""
        where = f"indicator {indicator_id!r}"
        if not 1900 <= year <= 2200:
            raise InvalidField(where, "year", year, _("not a year in 1900-2200"))
        if sum((result is not UNSET and result is not None, not_measured, no_data)) > 1:
            raise InvalidField(where, "result", result, _("give a result, or say it was not measured, not both"))
        with self.store.transaction():
            indicator = self.store.indicators.get(indicator_id) or self._computed_stub(indicator_id)
            if indicator is None:
                raise NotFound(_("no indicator with id {indicator_id!r}").format(indicator_id=indicator_id))
            if indicator.source == "computed" and (result is not UNSET or not_measured or no_data):
                raise InvalidField(where, "result", result if result is not UNSET else "not measured",
                                   _("is computed from the meetings; only its target can be set"))
            current = indicator.value(year)
            if based_on is not UNSET and current != based_on:
                blank = IndicatorValue(year=year)
                refuse_stale(f"{where} year {year}", current or blank, based_on or blank,
                             self.store.indicators.last_written(indicator_id))
            data: dict[str, Any] = current.model_dump() if current is not None else {"year": year}
            if result is not UNSET:
                data["result"], data["result_missing"] = result, None
            if not_measured:
                data["result"], data["result_missing"] = None, "not_measured"
            if no_data:
                data["result"], data["result_missing"] = None, "no_data"
            if target is not UNSET:
                data["target"] = target
            if national is not UNSET:
                data["national"], data["national_missing"] = national, None
            if national_no_data:
                data["national"], data["national_missing"] = None, "no_data"
            if note is not UNSET:
                data["note"] = note or ""
            for name in ("result", "target", "national"):
                value = data.get(name)
                if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
                    raise InvalidField(where, name, value, _("not a number"))
            value = build(IndicatorValue, data, _("{where} year {year}").format(where=where, year=year))
            values = sorted([v for v in indicator.values if v.year != year] + [value], key=lambda v: v.year)
            values = [v for v in values if v != IndicatorValue(year=v.year)]  # an emptied year is gone, not blank
            updated = build(Indicator, {**indicator.model_dump(), "values": [v.model_dump() for v in values]}, where)
            self._save(updated)
            return updated

    def _save(self, indicator: Indicator) -> None:
        one = Dataset(indicators={indicator.id: indicator})
        problems = check_references(one, self.records.registry())
        if problems:
            raise InvalidData(problems)
        self.store.indicators.save(indicator)

    def import_kolada(self, raw: Any, source: str = "input", *, municipality: str | None = None,
                      years: Sequence[int] | None = None, kpis: Sequence[str] | None = None) -> dict[str, int]:
        """Results and national averages from a Kolada API v2 data response, into the indicators
        whose `kpi` names them: municipality "0000" (Riket) gives the national average, the
        indicator's own `municipality` (or `municipality`) the result. All or nothing."""
        try:
            values = rules.parse_kolada(raw, source)
        except ValueError as exc:
            raise InvalidData([str(exc)]) from None
        with self.store.transaction():
            by_kpi: dict[str, list[Indicator]] = {}
            for indicator in self.store.indicators.all().values():
                if indicator.kpi:
                    by_kpi.setdefault(indicator.kpi, []).append(indicator)
            plan = rules.KoladaPlan()
            problems: list[str] = []
            for entry in values:
                if kpis and entry.kpi not in kpis:
                    continue
                if years and entry.year not in years:
                    continue
                targets = by_kpi.get(entry.kpi)
                if not targets:
                    problems.append(_("{source}: KPI {kpi!r}: no indicator has this KPI id (set an indicator's 'kpi')").format(
                                        source=source, kpi=entry.kpi,
                                    ))
                    continue
                taken = entry.municipality == rules.RIKET
                for indicator in targets:
                    if entry.municipality == rules.RIKET:
                        if entry.value is None:
                            plan.set(indicator.id, entry.year, national=None, national_missing="no_data")
                        else:
                            plan.set(indicator.id, entry.year, national=entry.value, national_missing=None)
                        continue
                    own = indicator.municipality or municipality
                    if own is None:
                        problems.append(_("{source}: KPI {kpi!r}: municipality {municipality!r}: indicator {indicator!r} has no "
                                          "municipality; give --municipality CODE").format(
                                            source=source, kpi=entry.kpi, municipality=entry.municipality, indicator=indicator.id,
                                        ))
                    elif own == entry.municipality:
                        taken = True
                        if entry.value is None:
                            plan.set(indicator.id, entry.year, result=None, result_missing="no_data")
                        else:
                            plan.set(indicator.id, entry.year, result=entry.value, result_missing=None)
                if not taken and (municipality is None or entry.municipality == municipality):
                    # Nothing is left out silently: a municipality no indicator takes is an error
                    # (with --municipality, the file's other municipalities are the ones not asked for).
                    problems.append(_("{source}: KPI {kpi!r}: municipality {municipality!r}: no indicator with this KPI takes "
                                      "this municipality's values").format(
                                        source=source, kpi=entry.kpi, municipality=entry.municipality,
                                    ))
            if problems:
                raise InvalidData(sorted(set(problems)))
            changed = 0
            years_set = 0
            for indicator_id, by_year in sorted(plan.changes.items()):
                found = self.store.indicators.get(indicator_id)
                assert found is not None
                indicator = found
                values_by_year = {v.year: v.model_dump() for v in indicator.values}
                for year, fields in by_year.items():
                    values_by_year.setdefault(year, {"year": year}).update(fields)
                    years_set += 1
                data = {**indicator.model_dump(), "values": [values_by_year[y] for y in sorted(values_by_year)]}
                updated = build(Indicator, data, _("indicator {indicator_id!r}").format(indicator_id=indicator_id))
                if updated != indicator:
                    self._save(updated)
                    changed += 1
            return {"indicators": changed, "values": years_set}

    # -- the annual report ------------------------------------------------------------------------

    def report(self, year: int, organisation: str | None = None, body: str | None = None) -> Report:
        """The year's report of an organisation (its scorecards; the bodies it holds seats in)
        or of a body (its scorecard and meetings)."""
        if (organisation is None) == (body is None):
            raise SecretaryError(_("the report is of one owner: give --org ID or --body ID"))
        first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
        if organisation is not None:
            org = self.records.organisation(organisation)
            language = "da" if org.country == "DK" else "sv"
            cards = self.organisation_scorecards(organisation, self._report_years(organisation, year))
            bodies = sorted({s.body for s in self.store.memberships.all().values()
                             if s.organisation == organisation and s.start <= last and (s.end is None or s.end >= first)})
            owner_kind: Literal["organisation", "body"] = "organisation"
            owner, owner_name, issued = org.id, org.name, org.name
        else:
            assert body is not None
            one = self.records.body(body)
            language = one.language
            cards = [self.body_scorecard(body, tuple(range(year - 4, year + 1)))]
            bodies = [body]
            owner_kind, owner, owner_name, issued = "body", one.id, one.name, one.secretariat or one.name
        figures = tuple(BodyYear(self.records.body(b), year, tuple(self.computed(b, year))) for b in bodies)
        decisions: list[Decision] = []
        closed = 0
        for body_id in bodies:
            holder = self.records.body(body_id)
            for meeting in self.store.meetings.list(body=body_id, year=year):
                if meeting.status != "held":
                    continue
                for item in meeting.items:
                    if not item.decision:
                        continue
                    if not item.public:
                        closed += 1
                        continue
                    day = meeting.start.astimezone(ZoneInfo(holder.timezone)).date()
                    decisions.append(Decision(meeting.id, day, holder.label, item.number, item.title, item.decision, item.outcome))
        decisions.sort(key=lambda d: (d.day, d.body, d.meeting, d.number))
        return Report(year, language, owner_kind, owner, owner_name, tuple(cards), figures, tuple(decisions), closed, issued)

    def _report_years(self, organisation: str, year: int) -> tuple[int, ...]:
        """The report's years: the five up to `year` (the seed's styrkort shows 2013-2017)."""
        return tuple(range(year - 4, year + 1))

    def report_docx(self, year: int, organisation: str | None = None, body: str | None = None) -> bytes:
        from exports.scorecard import report_docx

        return report_docx(self.report(year, organisation, body))

    def scorecard_xlsx(self) -> bytes:
        from exports.scorecard import scorecards_xlsx

        return scorecards_xlsx(self.scorecards())

    def scorecard_csv(self) -> bytes:
        from exports.scorecard import scorecards_csv

        return scorecards_csv(self.scorecards())
