"""How long every calendar feed of 20 years of data takes (issue 5: all feeds ≤ 1 s).

    .venv/bin/python -m benchmarks.bench_ics [--scale 1] [--repeat 3]

Uses the shared generator (benchmarks/generate.py, cached) and reports, best of
`--repeat`: building every feed from loaded domain objects (the pure exporter:
one per body, everything, and one per person who holds a seat), and the same
through `Secretary.feed` on an open database (what `secretary serve` does on a
cold cache), and one `all.ics` alone.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time

from benchmarks.generate import generate
from exports import ics
from secretary.cli.bootstrap import open_secretary

NOW = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)


def best(repeat: int, work) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - started)
    return min(times), result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    generated = generate(args.scale, progress=lambda message: print(message, flush=True))
    sec = open_secretary(generated.product, clock=lambda: NOW)
    bodies = sec.store.bodies.all()
    meetings = sec.store.meetings.all()
    memberships = list(sec.store.memberships.all().values())
    milestones = list(sec.store.milestones.all().values())
    people = sec.store.people.all()
    seated = sorted({m.person for m in memberships if m.person})
    by_body: dict[str, list] = {}
    for meeting in meetings:
        by_body.setdefault(meeting.body, []).append(meeting)

    seats_of: dict[str, list] = {}
    for seat in memberships:
        if seat.person:
            seats_of.setdefault(seat.person, []).append(seat)

    def pure() -> int:
        memo = ics.EventMemo()  # one export run: each meeting's event is written once
        size = 0
        for body in bodies.values():
            size += len(ics.body_feed(body, by_body.get(body.id, []), now=NOW, milestones=milestones, all_day=True,
                                      memo=memo))
        size += len(ics.all_feed(bodies, meetings, now=NOW, memo=memo))
        for person_id in seated:
            seats = seats_of[person_id]
            candidates = [m for b in sorted({s.body for s in seats}) for m in by_body.get(b, [])]
            size += len(ics.person_feed(people[person_id], seats, bodies, candidates, now=NOW, memo=memo))
        return size

    def through_service() -> int:
        memo = ics.EventMemo()
        size = sum(len(sec.feeds.feed("body", b, all_day=True, memo=memo).data) for b in bodies)
        size += len(sec.feeds.feed("all", memo=memo).data)
        return size + sum(len(sec.feeds.feed("person", p, memo=memo).data) for p in seated)

    print(f"data: {len(bodies)} bodies, {len(meetings)} meetings, {len(seated)} people with seats")
    seconds, size = best(args.repeat, pure)
    print(f"every feed, pure exporter ({len(bodies) + 1 + len(seated)} feeds, {size / 1e6:.1f} MB): {seconds:.3f} s")
    seconds, _ = best(args.repeat, lambda: ics.all_feed(bodies, meetings, now=NOW))
    print(f"all.ics alone, no memo: {seconds:.3f} s")
    seconds, _ = best(args.repeat, lambda: [ics.body_feed(b, by_body.get(b.id, []), now=NOW) for b in bodies.values()]
                      + [ics.all_feed(bodies, meetings, now=NOW)])
    print(f"every body feed and all.ics, no memo: {seconds:.3f} s")

    def public_feeds() -> int:
        memo = ics.EventMemo()
        size = sum(len(ics.body_feed(b, by_body.get(b.id, []), now=NOW, memo=memo)) for b in bodies.values())
        return size + len(ics.all_feed(bodies, meetings, now=NOW, memo=memo))

    seconds, _ = best(args.repeat, public_feeds)
    print(f"every body feed and all.ics, shared memo (what `serve` publishes): {seconds:.3f} s")
    seconds, _ = best(args.repeat, through_service)
    print(f"every feed through Secretary.feed (store reads included): {seconds:.3f} s")


if __name__ == "__main__":
    main()
