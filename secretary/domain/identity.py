"""A meeting's calendar identity: UID chosen once, SEQUENCE raised when the schedule moves."""

from __future__ import annotations

import datetime as dt

from secretary.domain.model import Meeting


def new_uid() -> str:
    import uuid  # imported when a meeting is first stamped: it costs the start screen 10 ms

    return f"{uuid.uuid4()}@secretary"


def stamp_meeting(new: Meeting, old: Meeting | None, now: dt.datetime) -> Meeting | None:
    """Give a meeting its calendar identity; None when nothing about it changed.

    The UID is chosen once and kept; SEQUENCE rises when the schedule changes
    (start, end, place, status), not for an edited description; LAST-MODIFIED is
    the time of the last real change, so unchanged data exports to the same bytes.
    """
    if old is None:
        if new.uid and new.last_modified:
            return new
        return new.replace(uid=new.uid or new_uid(), last_modified=new.last_modified or now)
    identity = {"uid", "sequence", "last_modified"}
    if new.model_dump(exclude=identity) == old.model_dump(exclude=identity) and old.uid:
        return None
    sequence = old.sequence + (1 if new.schedule_key() != old.schedule_key() else 0)
    return new.replace(
        uid=old.uid or new.uid or new_uid(),
        sequence=max(sequence, new.sequence),
        last_modified=now,
    )
