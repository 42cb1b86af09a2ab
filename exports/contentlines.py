"""A fast writer of RFC 5545 content lines for VEVENTs.

icalendar 7 builds and serialises an event in about a millisecond (most of it
in its line folding), so 20 years of meetings in every feed would take tens of
seconds. Events and the calendar's properties are therefore written here,
with the same escaping and folding rules; the VTIMEZONEs are still built with
icalendar (once per zone), and the tests parse every feed with icalendar, vobject,
recurring-ical-events and khal.
"""

from __future__ import annotations

import datetime as dt

LIMIT = 75  # octets per line, excluding CRLF (RFC 5545 §3.1)


def fold(line: str) -> bytes:
    """One content line, folded at 75 octets without splitting a UTF-8 sequence, with CRLF."""
    data = line.encode("utf-8")
    if len(data) <= LIMIT:
        return data + b"\r\n"
    parts = []
    start, limit = 0, LIMIT
    while start < len(data):
        end = min(start + limit, len(data))
        while end < len(data) and (data[end] & 0xC0) == 0x80:  # a continuation byte: back up
            end -= 1
        parts.append(data[start:end])
        start, limit = end, LIMIT - 1  # continuation lines begin with one space
    return b"\r\n ".join(parts) + b"\r\n"


def escape_text(value: str) -> str:
    """TEXT escaping (RFC 5545 §3.3.11): backslash, semicolon, comma and newlines."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _date(value: dt.date) -> str:
    return f"{value.year:04d}{value.month:02d}{value.day:02d}"


def _datetime(value: dt.datetime) -> str:
    return f"{_date(value)}T{value.hour:02d}{value.minute:02d}{value.second:02d}"


class Lines:
    """Content lines, added in order."""

    def __init__(self):
        self._lines: list[bytes] = []

    def text(self, name: str, value: str) -> None:
        self._lines.append(fold(f"{name}:{escape_text(value)}"))

    def uri(self, name: str, value: str) -> None:
        self._lines.append(fold(f"{name}:{value}"))

    def token(self, name: str, value: str) -> None:
        self._lines.append(fold(f"{name}:{value}"))

    def integer(self, name: str, value: int) -> None:
        self._lines.append(f"{name}:{int(value)}\r\n".encode())

    def utc(self, name: str, value: dt.datetime) -> None:
        self._lines.append(f"{name}:{_datetime(value.astimezone(dt.UTC))}Z\r\n".encode())

    def local(self, name: str, value: dt.datetime, tzid: str) -> None:
        """A DATE-TIME with TZID: `value` must already be in that zone."""
        self._lines.append(fold(f"{name};TZID={tzid}:{_datetime(value)}"))

    def date(self, name: str, value: dt.date) -> None:
        self._lines.append(f"{name};VALUE=DATE:{_date(value)}\r\n".encode())

    def to_bytes(self) -> bytes:
        return b"".join(self._lines)


class CalendarLines(Lines):
    """The properties of a VCALENDAR (without BEGIN/END)."""


class EventLines(Lines):
    """The lines of one VEVENT, BEGIN and END included."""

    def __init__(self):
        super().__init__()
        self._lines.append(b"BEGIN:VEVENT\r\n")

    def to_bytes(self) -> bytes:
        return b"".join(self._lines) + b"END:VEVENT\r\n"
