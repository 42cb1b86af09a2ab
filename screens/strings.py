"""Every text the interface shows, in one place, in English, each marked `_()` for the catalogs.

The interface speaks Danish, Swedish or English (chosen at start-up: --lang, $SECRETARY_LANG,
config.toml, $LANG; secretary/i18n/). A constant here is read translated: `S.SAVE` is "Gem" in
Danish. Add a text as `NAME = _("English text")` (dicts and tuples of `_()` texts too), then run
`python -m secretary.i18n update` and write its Danish and Swedish msgstr in
secretary/i18n/locale/{da,sv}/LC_MESSAGES/secretary.po (tests/unit/test_i18n.py names what is
missing). A string that is not text shown to people (an id, a key) stays without `_()` and is
listed in `NOT_TEXT` below.

Documents follow the body's language (exports/documents/labels.py), not the interface's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from secretary.i18n import resolve, version

if TYPE_CHECKING:  # for the type checker a constant is the str it is read as

    def _(msgid: str) -> str: ...

    def _p(context: str, msgid: str) -> str: ...

else:
    from secretary.i18n import lazy as _
    from secretary.i18n import lazy_p as _p

APP_TITLE = "secretary"

# -- sections (app modes) and their keys -------------------------------------------
OVERVIEW = _("Overview")
BODIES = _("Bodies")
PEOPLE = _("People")
MEETINGS = _("Meetings")
YEAR = _("Year")
ACTIONS = _("Actions")
SCORECARD = _("Scorecard")
SEARCH = _("Search")
HELP = _("Help")
QUIT = _("Quit")
UNDO = _("Undo")
BACK = _("Back")
PALETTE = _("Commands")
PALETTE_PLACEHOLDER = _("Type words of a command: new meeting, go to meetings, export…")

# -- generic -----------------------------------------------------------------------------
SAVE = _("Save")
CANCEL = _("Cancel")
YES = _("Yes")
NO = _("No")
CLOSE = _("Close")
NONE = "—"
NOTHING_HERE = _("Nothing here.")
SAVED = _("Saved.")
FORM_HINT = _("ctrl+s save · escape cancel · tab next field")
FORM_STALE_RELOAD = _("What you typed is kept. ctrl+r loads the stored version instead (your typing is then replaced).")
FORM_RELOADED = _("Loaded the stored version; redo your change and save.")
CONFIRM_HINT = _("y yes · n / escape no")
ERROR_HINT = _("enter / escape close")
UNEXPECTED = _("Unexpected error")
UNEXPECTED_DETAIL = _("{kind}: {message}\nDetails were written to {log}.")
NOTHING_TO_UNDO = _("Nothing to undo.")
DELETED_UNDO = _("Deleted {what}. Press u to undo.")
RESTORED = _("Restored {what}.")
CONFIRM_DELETE = _("Delete {what}?")
SELECT_FIRST = _("Select a row first.")
LOCKED_SUFFIX = _("  [locked]")
MORE_ROWS = _("Showing {shown} of {total}. Narrow the filter (f) to see the rest.")
FIELD_REQUIRED = _("is required")
BAD_DATE = _("not a date like 2026-03-04")
BAD_TIME = _("not a time like 09:30")
BAD_NUMBER = _("not a whole number")
FORM_WHERE = _("form")
FORM_DISCARD = _("Discard the changes in this form?")
SAVED_UNDO = _("Saved. Press u to undo.")
UNDO_EDIT_OF = _("the change to {what}")
DATE_PLACEHOLDER = _("YYYY-MM-DD")
CHOOSE_HOLDER = _("choose a person or an organisation")
UNEXPECTED_UI = _("unexpected error in the interface. Details: {log}")
LOG_NOT_WRITTEN = _("(the log could not be written)")

# -- help --------------------------------------------------------------------------------
HELP_TITLE = _("Keys on this screen")
HELP_FOOTER = _("escape close · ctrl+p finds every command by name")
HELP_APP_KEYS = _("Everywhere")
HELP_SCREEN_KEYS = _("This screen")
HELP_COLUMNS = (_("Key"), _("Does"), _("Where"))

# -- overview ----------------------------------------------------------------------------
OV_NEXT = _("Next meetings")
OV_DEADLINES = _("Deadlines this week and overdue")
OV_ACTIONS = _("Overdue actions")
OV_MINUTES = _("Minutes awaiting approval")
OV_TERMS = _("Terms ending within 60 days")
OV_TODAY = _("Today is {date}.")
# The start screen shows the first rows of each list; the rest are one key away.
OV_MORE = _(" — the first {shown} of {count} ({where})")
# The section that lists all of a table's rows, by the id of its key (the key itself may be remapped).
OV_MORE_WHERE = {
    "ov-next": "nav.meetings",
    "ov-deadlines": "nav.meetings",
    "ov-actions": "nav.actions",
    "ov-minutes": "nav.meetings",
    "ov-terms": "nav.people",
    "ov-hearings": "nav.cases",
    "ov-cases": "nav.cases",
}
OVERDUE = _("OVERDUE")
DUE = _("due")
DEADLINE_LABELS = {
    "items_due": _("items due"),
    "agenda_dispatch": _("send agenda"),
    "minutes_due": _("minutes due"),
    "approval": _("approve minutes"),
}
COL_STEP = _("Step (key)")
COL_WHEN = _("When")
COL_DATE = _("Date")
COL_TIME = _("Time")
COL_BODY = _("Body")
COL_TITLE = _("Title / place")
COL_STATUS = _("Status")
COL_WHAT = _("What")
COL_DUE = _("Due")
COL_OWNER = _("Who")
COL_MEETING = _("Meeting")
COL_ITEM = _("Item")
COL_MINUTES = _("Minutes")
COL_HOLDER = _("Holder")
COL_ROLE = _("Role")
COL_FROM = _("From")
COL_TO = _("To")
COL_ORG = _("Organisation")
COL_NAME = _("Name")
COL_JOB = _p("job", "Title")
COL_EMAIL = _("E-mail")
COL_PHONE = _("Phone")
COL_NO = _("No.")
COL_KIND = _("Kind")
COL_OPEN = _p("item is public", "Open")
COL_DECISION = _("Decision")
COL_OUTCOME = _("Outcome")
COL_ATTENDANCE = _("Attendance")
COL_SUBSTITUTE = _("Substitute for")
COL_STANDS_IN = _("Substitute")
COL_FOUND = _("Found")
COL_ACTIONS = _("Actions")
COL_TEXT = _("Text")

# -- labels for stored values ------------------------------------------------------------
MEETING_STATUS = {"planned": _("planned"), "invited": _("invited"), "held": _("held"), "cancelled": _("CANCELLED")}
MINUTES_STATUS = {"none": _("none"), "draft": _("draft"), "sent": _("sent"), "approved": _("approved")}
ITEM_KINDS = {
    "decision": _("decision"),
    "information": _("information"),
    "discussion": _("discussion"),
    "approve_agenda": _("approve agenda"),
    "approve_minutes": _("approve minutes"),
    "any_other_business": _("other business"),
}
OUTCOMES = {
    "approved": _("approved"), "noted": _("noted"), "rejected": _("rejected"), "postponed": _("postponed"), "referred": _("referred"),
}
ATTENDANCE = {"present": _("present"), "apologies": _("apologies"), "absent": _("absent"), "guest": _("guest")}
ROLES = {
    "chair": _("chair"),
    "vice_chair": _("vice chair"),
    "member": _("member"),
    "substitute": _("substitute"),
    "observer": _("observer"),
    "secretary": _("secretary"),
}
BODY_KINDS = {
    "political": _("political"),
    "administrative": _("administrative"),
    "advisory": _("advisory"),
    "working_group": _("working group"),
    "ad_hoc": _("ad hoc"),
    "network": _("network"),
    "secretariat": _("secretariat"),
}
LANGUAGES = {"da": _("Danish"), "sv": _("Swedish"), "en": _("English")}
CADENCE_KINDS = {"per_year": _("times a year"), "monthly": _("monthly"), "per_term": _("per school term"), "as_needed": _("as needed")}
OPEN = _("open")
CLOSED = _("closed")
YES_SHORT = _("yes")
NO_SHORT = _("no")

# -- bodies -------------------------------------------------------------------------------
BODIES_TREE = _("Reporting lines")
RETIRED = _("retired {date}")
CADENCE_LINE = _("{label}: {count} of {target} planned in {year}")
CADENCE_NONE = _("{label}: {count} in {year} (meets as needed)")
B_REPORTS_TO = _("Reports to")
B_DECIDES_FOR = _("Decides on behalf of")
B_ADVISES = _("Advises")
B_KIND = _("Kind")
B_LANGUAGE = _("Language")
B_TOR = _("Terms of reference")
B_TASKS = _("Tasks")
B_COMPOSITION = _("Composition")
B_CADENCE = _("Cadence")
B_MEMBERS = _("Current members")
B_MEETINGS = _("Meetings")
B_DEADLINES = _("Deadlines: items {items} days before, agenda {agenda} days before, minutes {minutes} days after")
B_NO_MEMBERS = _("No current members.")
B_NO_MEETINGS = _("No meetings.")
B_MEETINGS_COMING = _("Coming meetings")
B_MEETINGS_PAST = _("Past meetings")
B_MEETINGS_MORE = _(" … and {count} earlier (m: the meetings list)")
B_NEW = _("New body")
B_EDIT = _("Edit body")
B_RETIRED = _("Retired {what}.")
B_REINSTATED = _("Reinstated {what}.")

# -- people ---------------------------------------------------------------------------------
P_PEOPLE_TAB = _("People")
P_SEATS_TAB = _("Memberships")
P_FILTER_BODY = _("Body (all)")
P_FILTER_YEAR = _("Year (all)")
P_ENDING_MARK = "*"
P_ENDING_HINT = _("* ends within 60 days · f filter · escape back to the list")
P_NO_PERSON = _("(seat)")
P_NEW = _("New person")
P_EDIT = _("Edit person")
M_NEW = _("New membership")
M_EDIT = _("Edit membership")
M_ENDED = _("Ended {what} on {date}.")

# -- meetings ----------------------------------------------------------------------------------
MT_FILTER_BODY = _("Body (all)")
MT_FILTER_YEAR = _("Year")
MT_FILTER_STATUS = _("Status (all)")
MT_NEW = _("New meeting")
MT_FROM_LAST = _("New meeting from the body's last one")
MT_SOURCES = {"template": _("the body's agenda template"), "last": _("the body's last meeting"),
              "empty": _("empty (the standard standing items)")}
MT_CLOSED_MARK = _("(closed)")
MT_WHEN = {"coming": _("Coming"), "past": _("Past"), "all": _("All dates")}
MT_HINT = _("f filter · escape back to the list · enter opens")
MT_MOVE = _("Move meeting")
MT_CANCELLED = _("Cancelled {what}. It stays in the list and in calendars as cancelled.")
MT_CONFIRM_CANCEL = _("Cancel the meeting {what}? Members' calendars will show it as cancelled.")

# -- meeting -----------------------------------------------------------------------------------
MG_AGENDA_MODE = _("Agenda")
MG_MINUTES_MODE = _("Minutes")
MG_HEADER = _("{body} · {date} {time} · {place} · {status} · minutes: {minutes}")
MG_ITEM_NEW = _("New item")
MG_ITEM_EDIT = _("Edit item {number}")
MG_DECISION = _("Decision on item {number}")
MG_ACTION_NEW = _("New action on item {number}")
MG_MINUTES_STATE = _("Minutes")
MG_AMEND = _("Amend item {number} of approved minutes")
MG_REFER = _("Refer item {number} to another body")
MG_CARRIED = _("Item carried over to {what}.")
MG_REFERRED = _("Item referred to {body}.")
MG_REFERRED_NO_MEETING = _("Item referred to {body}; it has no meeting planned yet, so add it there when one is.")
MG_ATTENDANCE = _("Attendance · {what}")
MG_GUEST = _("Add a guest or substitute")
MG_NO_ITEM = _("The agenda is empty.")
MG_BACKGROUND = _("Background")
MG_RECOMMENDATION = _("Recommendation")
MG_ATTACHMENTS = _("Attachments")
MG_ACTIONS = _("Actions")
MG_CLOSED = _("Closed: {reason}")
MG_PUBLIC_TITLE = _("Public title: {title}")  # what public documents, feeds and the site show of a closed item
MG_CASE = _("Case")
MG_PRESENTER = _("Presenter")
MG_AMENDMENTS = _("Amendments")
MG_APPROVED = _("Approved {date} by {by}")
MG_AMEND_HINT = _("To change an item of approved minutes, press M for the minutes, then A to amend it: the amendment is recorded.")
MG_LOCKED_HINT = _("locked (approved): A amends an item · M agenda · E export · escape back · ? keys")
MG_MODE_HINT_AGENDA = _("enter edits · M minutes · E export .docx · escape back · ? all keys")
MG_MODE_HINT_MINUTES = _("enter: decision · M agenda · E export · escape back · ? all keys")
# -- the meeting's life -------------------------------------------------------------------------
STAGES = {
    "planned": _("planned"), "invited": _("invited"), "held": _("held"), "minutes_draft": _("minutes draft"),
    "minutes_sent": _("minutes sent"), "approved": _("approved"), "justerat": _("justerat"),
    "published": _("published"), "cancelled": _("CANCELLED"),
}
MG_HEADER_STAGE = _("{body} · {date} {time}–{end} · {place} · {stage}")
MG_LIFE = _("Next: {steps} · L life")
MG_LIFE_DONE = _("Nothing comes next · L life")
MG_LAST = _("— last: {action} {when}, {actor}")
# The key (on the meeting screen) that does each step of life.next_steps, and its name.
STEP_KEYS = {
    "dispatch": ("D", _("dispatch")),
    "mark_held": ("H", _("held")),
    "publish_agenda": ("P", _("publish agenda")),
    "cancel": ("x", _("cancel")),
    "draft_minutes": ("W", _("draft minutes")),
    "send_minutes": ("S", _("send minutes")),
    "record_comment": ("C", _("comment")),
    "approve_at_meeting": ("J", _("approve")),
    "approve_minutes": ("J", _("approve")),
    "justera": ("J", _("justera")),
    "publish_draft_minutes": ("P", _("publish draft")),
    "post_minutes": ("O", _("post anslag")),
    "publish_minutes": ("P", _("publish minutes")),
    "amend": ("A", _("amend (minutes)")),
    "reopen_minutes": ("R", _("reopen")),
}
LIFE_ACTIONS = {
    "dispatch": _("dispatched"), "held": _("held"), "draft": _("minutes drafted"), "send": _("minutes sent"), "comment": _("comment"),
    "approve": _("approved"), "justera": _("justerat"), "post": _("anslag posted"), "publish_agenda": _("agenda published"),
    "publish_draft_minutes": _("draft minutes published"), "publish_minutes": _("minutes published"), "cancel": _("cancelled"),
    "reopen": _("reopened"), "amend": _("amended"), "addendum": _("addendum"),
}
LF_TITLE = _("The life of {what}")
LF_COLUMNS = (_("When"), _("Who"), _("Step"), _("Detail"))
LF_NEXT = _("Next")
LF_NOTHING = _("Nothing recorded yet.")
LF_HELD = _("Held: actual start and end, chair, minute-taker")
LF_SEND = _("Send the minutes for comments")
LF_APPROVE = _("Approve the minutes")
LF_JUSTERA = _("Justera the protokoll")
LF_POST = _("Post the anslag (appeal period three weeks)")
LF_CANCEL = _("Cancel the meeting {what}: members' calendars will show it as cancelled")
LF_REOPEN = _("Reopen the approved minutes (the reason is logged)")
LF_COMMENT = _("A comment received on the minutes")
LF_CONFIRM_DISPATCH = _("Record that the agenda of {what} is sent now (version {version})?")
LF_CONFIRM_DRAFT = _("Start the minutes of {what}?")
LF_CONFIRM_PUBLISH = _("Publish the public {what} of {meeting} now?")
LF_DONE = _("{what}: {stage}.")
LF_APPROVE_HOW = {"members": _("by named members"), "at_once": _("at once at the meeting"), "next_meeting": _("at the body's next meeting")}
MT_EDIT = _("Edit meeting")
MT_WARNING = _("Saved, but: {warnings}")
LF_HINT = _("escape / L close")
AT_FROM = _("from {item}")
AT_FOR = _("for {name}")
AT_UNTIL = _("until {item}")
AT_NOT_ITEMS = _("not for {items}")
AT_ONLY_ITEMS = _("only for {items}")
AT_SEAT_FORM = _("Seat {what}: substitute, late arrival, early departure")
AT_NO_SEATS = _("{body} has no current members on this day: g adds who attended (or add seats under p People).")
AT_HINT = _("1–4, 0 mark and step down · s substitute, late, early · g guest · escape back")

# -- export (.docx) ------------------------------------------------------------------------------
EX_TITLE = _("Export {what} as .docx")
EX_CHOICES = (
    ("agenda", False, _("Agenda")),
    ("agenda", True, _("Public agenda (closed items withheld)")),
    ("minutes", False, _("Minutes")),
    ("minutes", True, _("Public minutes (closed items withheld)")),
)
EX_FOLDER = _("Into {folder}")
EX_BESIDE_DB = _("{folder}/ beside the database")
EX_HINT = _("1–4 or enter exports · escape cancel")
EX_DONE = _("Wrote {what}:\n{path}")
EX_WARNING = _("Warning: {warning}")
EX_MEMBERS = _("the member list")
EX_MEMBERS_TITLE = _("Export a body's member list")
EX_KINDS = {
    ("agenda", False): _("the agenda"),
    ("agenda", True): _("the public agenda"),
    ("minutes", False): _("the minutes"),
    ("minutes", True): _("the public minutes"),
}

# -- calendar feeds -------------------------------------------------------------------------------
FD_BODY = _("Calendar feed")
FD_BODY_HINT = _("(c / C copy)")
FD_COPIED = _("Copied {url}")
FD_PERSON_TITLE = _("Calendar feed of {name}")
FD_PERSON_INTRO = _("A secret address only {name} should have: their meetings in every body they sit in.")
FD_NO_TOKEN = _("No feed address yet: i issues one.")
FD_PERSON_HINT = _("i new address · r revoke · c / C copy webcal / https · esc close")
FD_CONFIRM_REISSUE = _("Issue a new feed address for {name}? The current one stops working.")
FD_CONFIRM_REVOKE = _("Revoke the feed address of {name}? Calendars subscribed to it stop updating.")
FD_ISSUED = _("Issued a new feed address for {name}.")
FD_REVOKED = _("Revoked the feed address of {name}.")

# -- year view --------------------------------------------------------------------------------------
YR_TITLE = _("Year {year}: {meetings} meetings, {milestones} milestones")
YR_HINT = _("←/→ or [ ] change year · P proposes the year's meetings · ↑/↓ scroll")
YR_CADENCE = _("Cadence {year}")
YR_NO_CADENCE = _("No body has a cadence target.")
YR_MONTHS = ("January", "February", "March", "April", "May", "June", "July",
             "August", "September", "October", "November", "December")  # fmt: skip
YR_EMPTY_MONTH = "—"
YR_MILESTONE = "◆"
YR_PLAN_TITLE = _("Plan {year}: {new} proposed, {existing} existing")
YR_PLAN_NOTHING = _("Nothing to propose: the stored meetings of {year} already meet every cadence.")
YR_PLAN_QUESTION = _("Store the {count} proposed meetings as planned?")
YR_PLAN_PROBLEMS = _("The plan cannot meet every constraint, so nothing can be stored:")
YR_PLAN_AS_NEEDED = _("Meet as needed, nothing proposed: {bodies}")
YR_PLAN_HINT = _("y stores them · n / escape close · ↑/↓ scroll")
YR_PLAN_HINT_CLOSE = _("escape close · ↑/↓ scroll")
YR_APPLIED = _("Stored {count} planned meetings for {year}.")
PLAN_STATUS = {"proposed": _("proposed"), "existing": _("existing")}

# -- actions ---------------------------------------------------------------------------------------
AC_DONE = _("Marked done: {what}. Press u to undo.")
AC_EMPTY = _("No actions here.")
AC_REOPENED = _("Opened again: {what}. Press u to undo.")
AC_STATES = {"open": _p("actions", "Open"), "overdue": _p("actions", "Overdue"), "done": _p("actions", "Done")}
AC_FILTER_OWNER = _("Who (all)")
AC_HINT = _("f filter · x done · enter opens the meeting")
DONE_MARK = _("done")

# -- search ----------------------------------------------------------------------------------------
SR_PLACEHOLDER = _('Words, "a phrase", a case number; kind:decision body:ID year:2024 narrow it…')
SR_HINT = _("escape: out of the box, so o b p m a work · ↓: to the results")
SR_COUNT = _("{count} found")
SR_BUILDING = _("Building the search index… {done}/{total} ({percent} %)")
SR_STALE = _("The search index is behind the data ({message}); it is brought up to date with the next search")
SR_KINDS = {"body": _("body"), "person": _("person"), "meeting": _("meeting"), "item": _("item"), "decision": _("decision"),
            "action": _("action")}
COL_BODY_SHORT = _("Body")
COL_DATE = _("Date")

# -- form fields --------------------------------------------------------------------------------------
F = {
    "body": _("Body"),
    "date": _("Date (YYYY-MM-DD)"),
    "time": _("Time (HH:MM)"),
    "location": _("Place (blank: the body's usual place)"),
    "title": _("Title"),
    "kind": _("Kind"),
    "public": _("Open to the public"),
    "closed_reason": _("Reason the item is closed"),
    "public_title": _("Public title when closed (blank: the closed-item notice)"),
    "case_number": _("Case number"),
    "presenter": _("Presenter"),
    "background": _("Background"),
    "recommendation": _("Recommendation"),
    "attachments": _("Attachments (one per line: title | link)"),
    "decision": _("Decision"),
    "outcome": _("Outcome"),
    "referred_to": _("Referred to body"),
    "what": _("What"),
    "owner": _("Who"),
    "due": _("Due (YYYY-MM-DD)"),
    "status": _("Status"),
    "approved_on": _("Approved on (YYYY-MM-DD)"),
    "approved_by": _("Approved by"),
    "by": _("Amended by"),
    "reason": _("What and why"),
    "name": _("Name"),
    "abbreviation": _("Abbreviation"),
    "language": _("Language"),
    "reports_to": _("Reports to"),
    "terms_of_reference": _("Terms of reference"),
    "tasks": _("Tasks (one per line)"),
    "composition": _("Composition"),
    "cadence_kind": _("Meets"),
    "cadence_min": _("At least (a year)"),
    "cadence_max": _("At most (a year)"),
    "website": _("Website"),
    "agenda_template": _("Agenda template (a standing item a line, \"(closed)\" last: closed)"),
    "source": _("Start from (blank: the body's template if it has one, else empty)"),
    "job_title": _("Job title"),
    "organisation": _("Organisation"),
    "email": _("E-mail"),
    "phone": _("Phone"),
    "person": _("Person"),
    "role": _("Role"),
    "voting": _("Voting right"),
    "start": _("From (YYYY-MM-DD)"),
    "end": _("To (YYYY-MM-DD, blank: open)"),
    "substitute_for": _("Substitute for"),
    "target": _("Body"),
    "online_url": _("Online link"),
    "start_date": _("Date (YYYY-MM-DD)"),
    "start_time": _("Start (HH:MM)"),
    "end_time": _("End (HH:MM)"),
    "chair": _("Chair (mødeleder / ordförande)"),
    "minute_taker": _("Minute-taker (referent / sekreterare)"),
    "deadline": _("Comment deadline (YYYY-MM-DD, blank: the body's rule)"),
    "how": _("How"),
    "approvers": _("Approved by (members)"),
    "approver2": _("… and"),
    "justerare1": _("Justerare"),
    "justerare2": _("Justerare (second, optional)"),
    "place": _("Place of justering (blank: the body's office)"),
    "on": _("On (YYYY-MM-DD, blank: today)"),
    "cancel_reason": _("Reason"),
    "reopen_reason": _("Reason (logged)"),
    "comment_text": _("Comment"),
    "substitute": _("Substitute standing in for the seat"),
    "arrived_item": _("Arrived at item"),
    "left_item": _("Left after item"),
    "format": _("Format"),
}
CLOSED_NEEDS_REASON = _("a closed item needs the reason it is closed")
BLANK = _("(none)")
TIME_PLACEHOLDER = _("HH:MM (blank: the body's usual time)")

# -- command palette -------------------------------------------------------------------------------------
# The palette's word for a screen's own commands ("meetings: move"), by the binding id's first part.
CMD_CATEGORY = {
    "actions": _("actions"), "agenda": _("agenda"), "attendance": _("attendance"), "bodies": _("bodies"),
    "case": _("case"), "cases": _("cases"), "feed": _("calendar feed"), "meeting": _("meeting"), "meetings": _("meetings"),
    "minutes": _("minutes"), "overview": _("overview"), "people": _("people"), "plan": _("plan"), "scorecard": _("scorecard"),
    "search": _("search"), "seats": _("memberships"), "year": _("year"), "life": _("life"), "help": _("help"),
    "table": _("table"), "nav": _("go to"),
}
CMD = {
    "nav.overview": (_("go to: overview"), _("What needs doing now")),
    "nav.bodies": (_("go to: bodies"), _("Bodies by reporting line")),
    "nav.people": (_("go to: people"), _("People and memberships")),
    "nav.meetings": (_("go to: meetings"), _("All meetings, filtered")),
    "nav.year": (_("go to: year"), _("Meetings and milestones of a year, month by month")),
    "meeting.export": (_("export: agenda or minutes (.docx)…"), _("Choose agenda or minutes, full or public")),
    "export.agenda": (_("export: agenda (.docx)"), _("The full agenda into the export folder")),
    "export.public_agenda": (_("export: public agenda (.docx)"), _("Closed items show only number and title")),
    "export.minutes": (_("export: minutes (.docx)"), _("The full minutes into the export folder")),
    "export.public_minutes": (_("export: public minutes (.docx)"), _("Closed items show only number and title")),
    "bodies.copy_webcal": (_("feed: copy webcal:// address"), _("The body's calendar feed, for a calendar program")),
    "bodies.copy_https": (_("feed: copy https:// address"), _("The body's calendar feed over https")),
    "people.feed": (_("feed: personal calendar address…"), _("Issue, show, copy or revoke the person's feed address")),
    "year.prev": (_("year: previous"), _("The year before")),
    "year.next": (_("year: next"), _("The year after")),
    "year.plan": (_("plan: propose the year's meetings"), _("From each body's cadence; shows the reasons, stores on y")),
    "nav.actions": (_("go to: actions"), _("Open actions, overdue first")),
    "nav.search": (_("go to: search"), _("Find anything")),
    "app.help": (_("help: keys"), _("Keys of this screen")),
    "app.undo": (_("edit: undo"), _("Put back what was just deleted, done or changed")),
    "app.quit": (_("quit"), _("Leave; everything is saved already")),
    "global.new_meeting": (
        _("meeting: new…"), _("Schedule a meeting: asks for the body, then starts from its template, its last meeting or empty"),
    ),
    "global.meeting_from_last": (
        _("meeting: new from the body's last one…"),
        _("Standing items, undecided and postponed items, open actions carried over"),
    ),
    "global.export_members": (_("export: member list of a body (.docx, .csv)…"), _("The body's current members into the export folder")),
    "global.not_answered": (_("meeting: who has not answered…"), _("Seats with no attendance recorded for the body's next meeting")),
    "nav.cases": (_("go to: cases"), _("Capacity adjustments (kapacitetsjusteringer) and e-mail hearings")),
    "meeting.dispatch": (_("life: dispatch the agenda"), _("Record that the agenda is sent (indkaldelse / kallelse)")),
    "meeting.held": (_("life: mark held"), _("Actual start and end, chair, minute-taker")),
    "meeting.draft": (_("life: draft the minutes"), _("Start the minutes of a held meeting")),
    "meeting.send": (_("life: send the minutes for comments"), _("With a comment deadline")),
    "meeting.comment": (_("life: record a comment"), _("A comment received on the minutes sent")),
    "meeting.approve": (_("life: approve / justera the minutes"), _("Danish approval or Swedish justering")),
    "meeting.post": (_("life: post the anslag"), _("Swedish anslag, appeal period three weeks")),
    "meeting.publish": (_("life: publish"), _("The public agenda or minutes, whichever comes next")),
    "meeting.reopen": (_("life: reopen approved minutes"), _("With a reason, logged")),
    "meeting.life": (_("life: history and next steps"), _("Every step so far with time and actor")),
    "agenda.cancel_meeting": (_("life: cancel the meeting"), _("With a reason; it stays, marked cancelled")),
    "agenda.move_meeting": (_("meeting: edit"), _("Title, time, place, online link, chair, minute-taker")),
}

CMD_SEARCH_FOR = _("search: {query}")
CMD_SEARCH_FOR_HELP = _("Find it in bodies, people, meetings, items and decisions")

# -- who has not answered ----------------------------------------------------------------------------------
NA_TITLE_ASK = _("Who has not answered: which body?")
NA_TITLE = _("Not answered · {body}")
NA_NO_MEETING = _("{body} has no coming meeting.")
NA_ALL = _("Everyone has answered for the meeting on {when}.")
NA_INTRO = _("{count} seats have no attendance recorded for the meeting on {when}:")

READ_ONLY = _("Read-only: {message}")
READ_ONLY_TITLE = _("read-only")


# -- cases: capacity adjustments (kapacitetsjusteringer) --------------------------------------
# The domain's own words (DESIGN.md glossary) beside the English: the secretary works in da or sv.
CASES = _("Cases")
CS_TITLE = _("Capacity adjustments (kapacitetsjusteringer)")
CS_RULE = _("{body}: rule valid from {since}: more than {threshold} places or a closure → approval at {deciders} "
          "or e-mail hearing (mailhøring / remiss via e-post), {days} days; silence {silence} consent")
CS_RULE_FIRST = _("the first rule")
CS_SILENCE_IS = _("is")
CS_SILENCE_NOT = _("is not")
CS_EMPTY = _("No cases. n registers one.")
CS_NEW = _("New capacity adjustment (kapacitetsjustering)")
CS_EDIT = _("Edit case {case}")
CS_HEARING = _("E-mail hearing (mailhøring / remiss via e-post)")
CS_NO_HEARING = _("Not in a hearing.")
CS_SEND_HEARING = _("Send the e-mail hearing of {case} to {count} member organisations, deadline {deadline}?\n\n{recipients}")
CS_SEND_REMIND = _("Remind the {count} that have not answered?\n\n{recipients}")
CS_SENT = _("Sent to {sent} of {count}.")
CS_NO_ADDRESS = _("(no address)")
CS_ROUTE_MEETING = _("Route {case} to a meeting (decision item / beslutningspunkt / beslutsärende)")
CS_ANSWER = _("Answer of {org}")
CS_CONTACT = _("Affected organisation contacted")
CS_CLOSED = _("Case {case} closed: {outcome}.")
CS_ROUTED = _("Case {case}: a decision item on {meeting}.")
CS_STATUS = {"open": _("open"), "at_meeting": _("at a meeting"), "hearing": _("in hearing"), "decided": _("decided"), "closed": _("closed")}
CS_ANSWERS = {"approve": _("approve (godkender / godkänner)"), "object": _("object (indsigelse / invändning)"),
              "none": _("no comment (ingen bemærkninger / inga synpunkter)")}
CS_NO_ANSWER = _("no answer")
CS_MAIL_SENT = _("mail sent")
CS_MAIL_FAILED = _("mail FAILED: {error}")
CS_KEYS_HINT = _("h hearing · t to a meeting · 1/2/3 answer approve/object/none · w answer with text · r remind · c contacted · x close")
COL_CASE_NUMBER = _("Case no. (sagsnr.)")
COL_CASE_NO = _("Sagsnr.")
COL_OFFER = _("Offer (tilbud)")
COL_OPERATOR = _("Operator (driftsherre)")
COL_OPERATOR_SHORT = _("Driftsherre")
COL_CHANGE = _("Change")
COL_ROUTE = _("Route and reason")
COL_ORGANISATION = _("Organisation")
COL_ANSWER = _("Answer (svar)")
COL_MAIL = _("E-mail")
OV_HEARINGS = _("Hearings closing this week (mailhøringer)")
OV_CASES = _("Cases waiting (kapacitetsjusteringer)")
CS_WAITING = {"route": _("to route"), "close": _("to close"), "deadline passed": _("deadline passed"), "remind": _("reminder due"),
              "decision recorded": _("decision recorded")}
F.update({
    "offer": _("Offer (tilbud)"),
    "operator": _("Operator (driftskommune / region)"),
    "places_before": _("Places before (pladser før)"),
    "places_after": _("Places after (pladser efter)"),
    "closure": _("Closure of the whole offer (lukning af hele tilbud)"),
    "affected": _("Affected organisations (berørte kommuner), ids separated by commas"),
    "effect": _("Date of effect (YYYY-MM-DD)"),
    "dated": _("Case date (YYYY-MM-DD): decides which rule applies"),
    "answer": _("Answer"),
    "text": _("Text"),
    "on": _("Date (YYYY-MM-DD)"),
    "organisation": _("Organisation"),
})
CMD.update({
    "cases.new": (_("case: new"), _("Register a capacity adjustment")),
    "cases.edit": (_("case: edit"), _("Edit an open case")),
    "case.hearing": (_("case: send e-mail hearing"), _("E-mail every member organisation (shows them first)")),
    "case.meeting": (_("case: route to a meeting"), _("A decision item on a DASSOS or FU meeting")),
    "case.remind": (_("case: remind"), _("E-mail those who have not answered")),
    "case.close": (_("case: close"), _("Close a decided case")),
})


# -- scorecard (styrkort) ------------------------------------------------------------------------
SC_EMPTY = _("No scorecards yet: indicators come with a preset, `secretary import` or `secretary scorecard set`.")
SC_NEXT = _("Next card")
SC_PREVIOUS = _("Previous card")
SC_EDIT = _("Edit year")
SC_CHART = _("Chart")
SC_CHART_HINT = _("escape close")
SC_TARGET = _("Target")
SC_COL_AREA = _("Area")
SC_COL_GOAL = _("Goal")
SC_COL_INDICATOR = _("Indicator")
SC_COL_NATIONAL = _("Nat. avg")
SC_COL_TARGET = _("Target")
SC_COL_TREND = _("Trend")
SC_EDIT_TITLE = _("Edit: {title}")
SC_F_YEAR = _("Year")
SC_F_RESULT = _("Result")
SC_F_TARGET = _("Target (måltal)")
SC_F_NATIONAL = _("National average (rikssnitt)")
SC_F_NOTE = _("Footnote")
SC_RESULT_HINT = _("93  ·  28,2  ·  – not measured  ·  i.u. no data  ·  empty clears")
SC_BAD_NUMBER = _("not a number like 93 or 28,2")


# -- the machinery: each constant above is read translated, in the language of the moment ------------

# Constants whose strings are not text to translate (ids, marks, the program's name).
NOT_TEXT = frozenset({"APP_TITLE", "OV_MORE_WHERE", "NONE", "P_ENDING_MARK", "YR_EMPTY_MONTH", "YR_MILESTONE", "NOT_TEXT"})


def _month_names() -> tuple[str, ...]:
    from secretary.i18n import month_names

    return month_names()


_DYNAMIC = {"YR_MONTHS": _month_names}  # from Babel's data for the language, not the catalogs
_TEXTS = {name: value for name, value in globals().items() if name[:1].isupper() and name not in NOT_TEXT}
for _name in _TEXTS:
    del globals()[_name]
_cache: dict[str, object] = {}
_cache_version = [-1]


def __getattr__(name: str) -> object:
    if _cache_version[0] != version():
        _cache.clear()
        _cache_version[0] = version()
    try:
        return _cache[name]
    except KeyError:
        pass
    if name in _DYNAMIC:
        value = _DYNAMIC[name]()
    elif name in _TEXTS:
        value = resolve(_TEXTS[name])
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    _cache[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_TEXTS))


def msgids() -> dict[str, object]:
    """The constants as written (Lazy texts, untranslated): for tests and tools."""
    return dict(_TEXTS)
