"""Errors a user can act on. The CLI and the TUI show `str(error)` and never a traceback.

Titles are marked N_() and translated where shown; messages are translated where raised.
"""

from secretary.i18n import N_, _


class SecretaryError(Exception):
    """Base of every error that is the user's to fix (exit status 1)."""

    title = N_("Error")


class InvalidData(SecretaryError):
    """Input that does not fit the model: names the object, the field and the value."""

    title = N_("Invalid data")

    def __init__(self, problems: list[str]):
        self.problems = problems
        shown = problems[:20]
        more = "\n" + _("… and {count} more").format(count=len(problems) - 20) if len(problems) > 20 else ""
        super().__init__("\n".join(shown) + more)


class NotFound(SecretaryError):
    title = N_("Not found")


class StoreBusy(SecretaryError):
    title = N_("Database in use")


class StoreDamaged(SecretaryError):
    title = N_("Database damaged")


class StoreWriteFailed(SecretaryError):
    title = N_("Could not save")


class MinutesLocked(SecretaryError):
    title = N_("Minutes approved")


class InvalidField(InvalidData):
    """One field of one object is wrong: forms show `message` next to `field`."""

    def __init__(self, where: str, field: str, value: object, message: str):
        self.where = where
        self.field = field
        self.value = value
        self.message = message
        super().__init__(
            [_("{where}: field {field!r}: value {value!r}: {message}").format(where=where, field=field, value=value, message=message)]
        )


class StaleEdit(SecretaryError):
    """A screen's change was based on a copy older than what is stored: refused, never written over."""

    title = N_("Changed elsewhere")


class LifeRefused(SecretaryError):
    """A step of a meeting's life that its rules refuse: one line naming the meeting and the rule."""

    title = N_("Not allowed")

    def __init__(self, meeting_id: str, rule: str):
        self.meeting_id = meeting_id
        self.rule = rule
        super().__init__(_("meeting {id!r}: {rule}").format(id=meeting_id, rule=rule))


class CaseRefused(SecretaryError):
    """A step of a capacity adjustment case that its rule refuses: one line naming the case and the rule."""

    title = N_("Not allowed")

    def __init__(self, case_id: str, rule: str):
        self.case_id = case_id
        self.rule = rule
        super().__init__(_("case {id!r}: {rule}").format(id=case_id, rule=rule))


class MailFailed(SecretaryError):
    """The mail server could not be reached or refused the messages: nothing was marked sent."""

    title = N_("E-mail not sent")
