"""The year plan as a service: the stored meetings around a year and the proposals that complete it.

The rules are pure (secretary/domain/planning.py); this reads what they need and
stores accepted proposals through the same writer as every other meeting.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from secretary.domain.editing import unique_id
from secretary.domain.errors import InvalidData
from secretary.domain.interchange import Dataset, check_references
from secretary.domain.model import Meeting
from secretary.services.meeting_writer import MeetingWriter
from secretary.services.ports import Store
from secretary.services.records import Records

if TYPE_CHECKING:  # the planner pulls in the holidays package; only `plan` pays for it
    from secretary.domain.planning import Plan


class PlanningService:
    """`plan` proposes, `apply_plan` stores the proposals as planned meetings."""

    def __init__(self, store: Store, records: Records, writer: MeetingWriter):
        self.store = store
        self.records = records
        self.writer = writer

    def plan(self, year: int, body: str | None = None, *, before_days: int = 7) -> Plan:
        """The year's plan: every body's stored meetings of `year` and the proposals that complete it.

        All bodies are planned together (the before-relations and shared seats tie
        them); `body` narrows the result to one body and the problems touching it.
        The neighbouring years' meetings constrain gaps and relations across New Year.
        """
        from secretary.domain.planning import plan_year

        if body is not None:
            self.records.body(body)
        meetings = [m for y in (year - 1, year, year + 1) for m in self.store.meetings.list(year=y)]
        today = self.writer.clock().date()  # never a proposal in the past
        plan = plan_year(
            year, self.records.bodies(), meetings, self.store.memberships.all().values(), before_days=before_days,
            today=today,
        )
        return plan.for_body(body) if body is not None else plan

    def apply_plan(self, year: int, body: str | None = None, *, before_days: int = 7) -> list[Meeting]:
        """Store the plan's proposals as planned meetings (with the standing items); returns the new ones.

        Idempotent: stored proposals are existing meetings the next time, so a
        second run stores nothing. All or nothing: when the plan has a problem,
        nothing is stored and PlanningProblem says which constraint failed.
        """
        from secretary.domain.agenda_rules import standing_agenda
        from secretary.domain.planning import PlanningProblem

        with self.store.transaction():
            plan = self.plan(year, body, before_days=before_days)
            if plan.problems:
                raise PlanningProblem(year, plan.problems)
            taken = set(self.store.meetings.rows())
            bodies = self.store.bodies.all()
            fresh = []
            for proposal in plan.new:
                owner = bodies[proposal.body]
                ident = unique_id(proposal.meeting, taken)
                taken.add(ident)
                fresh.append(
                    Meeting.model_validate(
                        {
                            "id": ident,
                            "body": owner.id,
                            "start": proposal.start,
                            "end": proposal.end,
                            "location": owner.location,
                            "status": "planned",
                            "items": standing_agenda(ident, owner.language),
                        }
                    )
                )
            if not fresh:
                return []
            problems = check_references(Dataset(meetings={m.id: m for m in fresh}), self.records.registry())
            if problems:
                raise InvalidData(problems)
            self.writer.save_many(fresh)
            return [self.records.meeting(m.id) for m in fresh]
