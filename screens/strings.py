"""Every text the interface shows, in one place, so that a later issue can translate it.

Documents follow the body's language (secretary/agenda.py holds the standing
item titles); the interface itself is English for now.
"""

from __future__ import annotations

APP_TITLE = "secretary"

# -- sections (app modes) and their keys -------------------------------------------
OVERVIEW = "Overview"
BODIES = "Bodies"
PEOPLE = "People"
MEETINGS = "Meetings"
YEAR = "Year"
ACTIONS = "Actions"
SEARCH = "Search"
HELP = "Help"
QUIT = "Quit"
UNDO = "Undo"
BACK = "Back"
PALETTE = "Commands"

# -- generic -----------------------------------------------------------------------------
SAVE = "Save"
CANCEL = "Cancel"
YES = "Yes"
NO = "No"
CLOSE = "Close"
NONE = "—"
NOTHING_HERE = "Nothing here."
SAVED = "Saved."
FORM_HINT = "ctrl+s save · escape cancel · tab next field"
CONFIRM_HINT = "y yes · n / escape no"
ERROR_HINT = "enter / escape close"
UNEXPECTED = "Unexpected error"
UNEXPECTED_DETAIL = "{kind}: {message}\nDetails were written to {log}."
NOTHING_TO_UNDO = "Nothing to undo."
DELETED_UNDO = "Deleted {what}. Press u to undo."
RESTORED = "Restored {what}."
CONFIRM_DELETE = "Delete {what}?"
SELECT_FIRST = "Select a row first."
LOCKED_SUFFIX = "  [locked: minutes approved]"
MORE_ROWS = "Showing {shown} of {total}. Narrow the filter (f) to see the rest."
FIELD_REQUIRED = "is required"
BAD_DATE = "not a date like 2026-03-04"
BAD_TIME = "not a time like 09:30"
BAD_NUMBER = "not a whole number"

# -- help --------------------------------------------------------------------------------
HELP_TITLE = "Keys on this screen"
HELP_FOOTER = "escape close · ctrl+p finds every command by name"
HELP_APP_KEYS = "Everywhere"
HELP_SCREEN_KEYS = "This screen"

# -- overview ----------------------------------------------------------------------------
OV_NEXT = "Next meetings"
OV_DEADLINES = "Deadlines this week and overdue"
OV_ACTIONS = "Overdue actions"
OV_MINUTES = "Minutes awaiting approval"
OV_TERMS = "Terms ending within 60 days"
OV_TODAY = "Today is {date}."
# The start screen shows the first rows of each list; the rest are one key away.
OV_MORE = " — the first {shown} of {count} ({where})"
# The section that lists all of a table's rows, by the id of its key (the key itself may be remapped).
OV_MORE_WHERE = {
    "ov-next": "nav.meetings",
    "ov-deadlines": "nav.meetings",
    "ov-actions": "nav.actions",
    "ov-minutes": "nav.meetings",
    "ov-terms": "nav.people",
}
OVERDUE = "OVERDUE"
DUE = "due"
DEADLINE_LABELS = {
    "items_due": "items due",
    "agenda_dispatch": "send agenda",
    "minutes_due": "minutes due",
}
COL_WHEN = "When"
COL_DATE = "Date"
COL_TIME = "Time"
COL_BODY = "Body"
COL_TITLE = "Title / place"
COL_STATUS = "Status"
COL_WHAT = "What"
COL_DUE = "Due"
COL_OWNER = "Who"
COL_MEETING = "Meeting"
COL_ITEM = "Item"
COL_MINUTES = "Minutes"
COL_HOLDER = "Holder"
COL_ROLE = "Role"
COL_FROM = "From"
COL_TO = "To"
COL_ORG = "Organisation"
COL_NAME = "Name"
COL_JOB = "Title"
COL_EMAIL = "E-mail"
COL_PHONE = "Phone"
COL_NO = "No."
COL_KIND = "Kind"
COL_OPEN = "Open"
COL_DECISION = "Decision"
COL_OUTCOME = "Outcome"
COL_ATTENDANCE = "Attendance"
COL_SUBSTITUTE = "Substitute for"
COL_FOUND = "Found"
COL_ACTIONS = "Actions"
COL_TEXT = "Text"

# -- labels for stored values ------------------------------------------------------------
MEETING_STATUS = {"planned": "planned", "invited": "invited", "held": "held", "cancelled": "CANCELLED"}
MINUTES_STATUS = {"none": "none", "draft": "draft", "sent": "sent", "approved": "approved"}
ITEM_KINDS = {
    "decision": "decision",
    "information": "information",
    "discussion": "discussion",
    "approve_agenda": "approve agenda",
    "approve_minutes": "approve minutes",
    "any_other_business": "other business",
}
OUTCOMES = {"approved": "approved", "noted": "noted", "rejected": "rejected", "postponed": "postponed", "referred": "referred"}
ATTENDANCE = {"present": "present", "apologies": "apologies", "absent": "absent", "guest": "guest"}
ROLES = {
    "chair": "chair",
    "vice_chair": "vice chair",
    "member": "member",
    "substitute": "substitute",
    "observer": "observer",
    "secretary": "secretary",
}
BODY_KINDS = {
    "political": "political",
    "administrative": "administrative",
    "advisory": "advisory",
    "working_group": "working group",
    "ad_hoc": "ad hoc",
    "network": "network",
    "secretariat": "secretariat",
}
LANGUAGES = {"da": "Danish", "sv": "Swedish", "en": "English"}
CADENCE_KINDS = {"per_year": "times a year", "monthly": "monthly", "per_term": "per school term", "as_needed": "as needed"}
OPEN = "open"
CLOSED = "closed"
YES_SHORT = "yes"
NO_SHORT = "no"

# -- bodies -------------------------------------------------------------------------------
BODIES_TREE = "Reporting lines"
RETIRED = "retired {date}"
CADENCE_LINE = "{label}: {count} of {target} planned in {year}"
CADENCE_NONE = "{label}: {count} in {year} (meets as needed)"
B_REPORTS_TO = "Reports to"
B_DECIDES_FOR = "Decides on behalf of"
B_ADVISES = "Advises"
B_KIND = "Kind"
B_LANGUAGE = "Language"
B_TOR = "Terms of reference"
B_TASKS = "Tasks"
B_COMPOSITION = "Composition"
B_CADENCE = "Cadence"
B_MEMBERS = "Current members"
B_MEETINGS = "Meetings"
B_DEADLINES = "Deadlines: items {items} days before, agenda {agenda} days before, minutes {minutes} days after"
B_NO_MEMBERS = "No current members."
B_NO_MEETINGS = "No meetings."
B_NEW = "New body"
B_EDIT = "Edit body"
B_RETIRED = "Retired {what}."
B_REINSTATED = "Reinstated {what}."

# -- people ---------------------------------------------------------------------------------
P_PEOPLE_TAB = "People"
P_SEATS_TAB = "Memberships"
P_FILTER_BODY = "Body (all)"
P_FILTER_YEAR = "Year (all)"
P_ENDING_MARK = "*"
P_ENDING_HINT = "* ends within 60 days · f filter · escape back to the list"
P_NO_PERSON = "(seat)"
P_NEW = "New person"
P_EDIT = "Edit person"
M_NEW = "New membership"
M_EDIT = "Edit membership"
M_ENDED = "Ended {what} on {date}."

# -- meetings ----------------------------------------------------------------------------------
MT_FILTER_BODY = "Body (all)"
MT_FILTER_YEAR = "Year"
MT_FILTER_STATUS = "Status (all)"
MT_NEW = "New meeting"
MT_HINT = "f filter · escape back to the list · enter opens"
MT_MOVE = "Move meeting"
MT_CANCELLED = "Cancelled {what}. It stays in the list and in calendars as cancelled."
MT_CONFIRM_CANCEL = "Cancel the meeting {what}? Members' calendars will show it as cancelled."

# -- meeting -----------------------------------------------------------------------------------
MG_AGENDA_MODE = "Agenda"
MG_MINUTES_MODE = "Minutes"
MG_HEADER = "{body} · {date} {time} · {place} · {status} · minutes: {minutes}"
MG_ITEM_NEW = "New item"
MG_ITEM_EDIT = "Edit item {number}"
MG_DECISION = "Decision on item {number}"
MG_ACTION_NEW = "New action on item {number}"
MG_MINUTES_STATE = "Minutes"
MG_AMEND = "Amend item {number} of approved minutes"
MG_REFER = "Refer item {number} to another body"
MG_CARRIED = "Item carried over to {what}."
MG_REFERRED = "Item referred to {body}."
MG_REFERRED_NO_MEETING = "Item referred to {body}; it has no meeting planned yet, so add it there when one is."
MG_ATTENDANCE = "Attendance · {what}"
MG_GUEST = "Add a guest or substitute"
MG_NO_ITEM = "The agenda is empty."
MG_BACKGROUND = "Background"
MG_RECOMMENDATION = "Recommendation"
MG_ATTACHMENTS = "Attachments"
MG_ACTIONS = "Actions"
MG_CLOSED = "Closed: {reason}"
MG_PUBLIC_TITLE = "Public title: {title}"  # what public documents, feeds and the site show of a closed item
MG_CASE = "Case"
MG_PRESENTER = "Presenter"
MG_AMENDMENTS = "Amendments"
MG_APPROVED = "Approved {date} by {by}"
MG_AMEND_HINT = "To change an item of approved minutes, press M for the minutes, then A to amend it: the amendment is recorded."
MG_LOCKED_HINT = "approved and locked: A amends an item · escape back · ? all keys"
MG_MODE_HINT_AGENDA = "enter edits · M minutes · E export .docx · escape back · ? all keys"
MG_MODE_HINT_MINUTES = "enter records the decision · M agenda · escape back · ? all keys"
AT_NO_SEATS = "{body} has no current members on this day: g adds who attended (or add seats under p People)."
AT_HINT = "keys 1–4 and 0 mark the row and step down · g adds a guest · escape back"

# -- export (.docx) ------------------------------------------------------------------------------
EX_TITLE = "Export {what} as .docx"
EX_CHOICES = (
    ("agenda", False, "Agenda"),
    ("agenda", True, "Public agenda (closed items withheld)"),
    ("minutes", False, "Minutes"),
    ("minutes", True, "Public minutes (closed items withheld)"),
)
EX_FOLDER = "Into {folder}"
EX_BESIDE_DB = "{folder}/ beside the database"
EX_HINT = "1–4 or enter exports · escape cancel"
EX_DONE = "Wrote {what}:\n{path}"
EX_WARNING = "Warning: {warning}"
EX_KINDS = {("agenda", False): "the agenda", ("agenda", True): "the public agenda",
            ("minutes", False): "the minutes", ("minutes", True): "the public minutes"}

# -- calendar feeds -------------------------------------------------------------------------------
FD_BODY = "Calendar feed"
FD_BODY_HINT = "(c / C copy)"
FD_COPIED = "Copied {url}"
FD_PERSON_TITLE = "Calendar feed of {name}"
FD_PERSON_INTRO = "A secret address only {name} should have: their meetings in every body they sit in."
FD_NO_TOKEN = "No feed address yet: i issues one."
FD_PERSON_HINT = "i new address · r revoke · c / C copy webcal / https · esc close"
FD_CONFIRM_REISSUE = "Issue a new feed address for {name}? The current one stops working."
FD_CONFIRM_REVOKE = "Revoke the feed address of {name}? Calendars subscribed to it stop updating."
FD_ISSUED = "Issued a new feed address for {name}."
FD_REVOKED = "Revoked the feed address of {name}."

# -- year view --------------------------------------------------------------------------------------
YR_TITLE = "Year {year}: {meetings} meetings, {milestones} milestones"
YR_HINT = "←/→ or [ ] change year · P proposes the year's meetings · ↑/↓ scroll"
YR_CADENCE = "Cadence {year}"
YR_NO_CADENCE = "No body has a cadence target."
YR_MONTHS = ("January", "February", "March", "April", "May", "June", "July",
             "August", "September", "October", "November", "December")  # fmt: skip
YR_EMPTY_MONTH = "—"
YR_MILESTONE = "◆"
YR_PLAN_TITLE = "Plan {year}: {new} proposed, {existing} existing"
YR_PLAN_NOTHING = "Nothing to propose: the stored meetings of {year} already meet every cadence."
YR_PLAN_QUESTION = "Store the {count} proposed meetings as planned?"
YR_PLAN_PROBLEMS = "The plan cannot meet every constraint, so nothing can be stored:"
YR_PLAN_AS_NEEDED = "Meet as needed, nothing proposed: {bodies}"
YR_PLAN_HINT = "y stores them · n / escape close · ↑/↓ scroll"
YR_PLAN_HINT_CLOSE = "escape close · ↑/↓ scroll"
YR_APPLIED = "Stored {count} planned meetings for {year}."
PLAN_STATUS = {"proposed": "proposed", "existing": "existing"}

# -- actions ---------------------------------------------------------------------------------------
AC_DONE = "Marked done: {what}. Press u to undo."
AC_EMPTY = "No open actions."

# -- search ----------------------------------------------------------------------------------------
SR_PLACEHOLDER = "Type words to find bodies, people, meetings, items, decisions…"
SR_HINT = "escape: out of the box, so o b p m a work · ↓: to the results"
SR_COUNT = "{count} found"
SR_KINDS = {"body": "body", "person": "person", "meeting": "meeting", "item": "item", "action": "action"}

# -- form fields --------------------------------------------------------------------------------------
F = {
    "body": "Body",
    "date": "Date (YYYY-MM-DD)",
    "time": "Time (HH:MM)",
    "location": "Place (blank: the body's usual place)",
    "title": "Title",
    "kind": "Kind",
    "public": "Open to the public",
    "closed_reason": "Reason the item is closed",
    "public_title": "Public title when closed (blank: the closed-item notice)",
    "case_number": "Case number",
    "presenter": "Presenter",
    "background": "Background",
    "recommendation": "Recommendation",
    "attachments": "Attachments (one per line: title | link)",
    "decision": "Decision",
    "outcome": "Outcome",
    "referred_to": "Referred to body",
    "what": "What",
    "owner": "Who",
    "due": "Due (YYYY-MM-DD)",
    "status": "Status",
    "approved_on": "Approved on (YYYY-MM-DD)",
    "approved_by": "Approved by",
    "by": "Amended by",
    "reason": "What and why",
    "name": "Name",
    "abbreviation": "Abbreviation",
    "language": "Language",
    "reports_to": "Reports to",
    "terms_of_reference": "Terms of reference",
    "tasks": "Tasks (one per line)",
    "composition": "Composition",
    "cadence_kind": "Meets",
    "cadence_min": "At least (a year)",
    "cadence_max": "At most (a year)",
    "website": "Website",
    "job_title": "Job title",
    "organisation": "Organisation",
    "email": "E-mail",
    "phone": "Phone",
    "person": "Person",
    "role": "Role",
    "voting": "Voting right",
    "start": "From (YYYY-MM-DD)",
    "end": "To (YYYY-MM-DD, blank: open)",
    "substitute_for": "Substitute for",
    "target": "Body",
}
CLOSED_NEEDS_REASON = "a closed item needs the reason it is closed"
BLANK = "(none)"
TIME_PLACEHOLDER = "HH:MM (blank: the body's usual time)"

# -- command palette -------------------------------------------------------------------------------------
CMD = {
    "nav.overview": ("go: overview", "What needs doing now"),
    "nav.bodies": ("go: bodies", "Bodies by reporting line"),
    "nav.people": ("go: people", "People and memberships"),
    "nav.meetings": ("go: meetings", "All meetings, filtered"),
    "nav.year": ("go: year", "Meetings and milestones of a year, month by month"),
    "meeting.export": ("export: agenda or minutes (.docx)…", "Choose agenda or minutes, full or public"),
    "export.agenda": ("export: agenda (.docx)", "The full agenda into the export folder"),
    "export.public_agenda": ("export: public agenda (.docx)", "Closed items show only number and title"),
    "export.minutes": ("export: minutes (.docx)", "The full minutes into the export folder"),
    "export.public_minutes": ("export: public minutes (.docx)", "Closed items show only number and title"),
    "bodies.copy_webcal": ("feed: copy webcal:// address", "The body's calendar feed, for a calendar program"),
    "bodies.copy_https": ("feed: copy https:// address", "The body's calendar feed over https"),
    "people.feed": ("feed: personal calendar address…", "Issue, show, copy or revoke the person's feed address"),
    "year.prev": ("year: previous", "The year before"),
    "year.next": ("year: next", "The year after"),
    "year.plan": ("plan: propose the year's meetings", "From each body's cadence; shows the reasons, stores on y"),
    "nav.actions": ("go: actions", "Open actions, overdue first"),
    "nav.search": ("go: search", "Find anything"),
    "app.help": ("help: keys", "Keys of this screen"),
    "app.undo": ("edit: undo delete", "Put back what was just deleted"),
}
