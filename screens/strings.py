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
SCORECARD = "Scorecard"
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
LOCKED_SUFFIX = "  [locked]"
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
    "ov-hearings": "nav.cases",
    "ov-cases": "nav.cases",
}
OVERDUE = "OVERDUE"
DUE = "due"
DEADLINE_LABELS = {
    "items_due": "items due",
    "agenda_dispatch": "send agenda",
    "minutes_due": "minutes due",
    "approval": "approve minutes",
}
COL_STEP = "Step (key)"
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
COL_STANDS_IN = "Substitute"
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
MG_LOCKED_HINT = "locked (approved): A amends an item · M agenda · E export · escape back · ? keys"
MG_MODE_HINT_AGENDA = "enter edits · M minutes · E export .docx · escape back · ? all keys"
MG_MODE_HINT_MINUTES = "enter: decision · M agenda · E export · escape back · ? all keys"
# -- the meeting's life -------------------------------------------------------------------------
STAGES = {
    "planned": "planned", "invited": "invited", "held": "held", "minutes_draft": "minutes draft",
    "minutes_sent": "minutes sent", "approved": "approved", "justerat": "justerat",
    "published": "published", "cancelled": "CANCELLED",
}
MG_HEADER_STAGE = "{body} · {date} {time}–{end} · {place} · {stage}"
MG_LIFE = "Next: {steps} · L life"
MG_LIFE_DONE = "Nothing comes next · L life"
MG_LAST = "— last: {action} {when}, {actor}"
# The key (on the meeting screen) that does each step of life.next_steps, and its name.
STEP_KEYS = {
    "dispatch": ("D", "dispatch"),
    "mark_held": ("H", "held"),
    "publish_agenda": ("P", "publish agenda"),
    "cancel": ("x", "cancel"),
    "draft_minutes": ("W", "draft minutes"),
    "send_minutes": ("S", "send minutes"),
    "record_comment": ("C", "comment"),
    "approve_at_meeting": ("J", "approve"),
    "approve_minutes": ("J", "approve"),
    "justera": ("J", "justera"),
    "publish_draft_minutes": ("P", "publish draft"),
    "post_minutes": ("O", "post anslag"),
    "publish_minutes": ("P", "publish minutes"),
    "amend": ("A", "amend (minutes)"),
    "reopen_minutes": ("R", "reopen"),
}
LIFE_ACTIONS = {
    "dispatch": "dispatched", "held": "held", "draft": "minutes drafted", "send": "minutes sent", "comment": "comment",
    "approve": "approved", "justera": "justerat", "post": "anslag posted", "publish_agenda": "agenda published",
    "publish_draft_minutes": "draft minutes published", "publish_minutes": "minutes published", "cancel": "cancelled",
    "reopen": "reopened", "amend": "amended", "addendum": "addendum",
}
LF_TITLE = "The life of {what}"
LF_COLUMNS = ("When", "Who", "Step", "Detail")
LF_NEXT = "Next"
LF_NOTHING = "Nothing recorded yet."
LF_HELD = "Held: actual start and end, chair, minute-taker"
LF_SEND = "Send the minutes for comments"
LF_APPROVE = "Approve the minutes"
LF_JUSTERA = "Justera the protokoll"
LF_POST = "Post the anslag (appeal period three weeks)"
LF_CANCEL = "Cancel the meeting {what}: members' calendars will show it as cancelled"
LF_REOPEN = "Reopen the approved minutes (the reason is logged)"
LF_COMMENT = "A comment received on the minutes"
LF_CONFIRM_DISPATCH = "Record that the agenda of {what} is sent now (version {version})?"
LF_CONFIRM_DRAFT = "Start the minutes of {what}?"
LF_CONFIRM_PUBLISH = "Publish the public {what} of {meeting} now?"
LF_DONE = "{what}: {stage}."
LF_APPROVE_HOW = {"members": "by named members", "at_once": "at once at the meeting", "next_meeting": "at the body's next meeting"}
MT_EDIT = "Edit meeting"
MT_WARNING = "Saved, but: {warnings}"
LF_HINT = "escape / L close"
AT_FROM = "from {item}"
AT_FOR = "for {name}"
AT_UNTIL = "until {item}"
AT_SEAT_FORM = "Seat {what}: substitute, late arrival, early departure"
AT_NO_SEATS = "{body} has no current members on this day: g adds who attended (or add seats under p People)."
AT_HINT = "1–4, 0 mark and step down · s substitute, late, early · g guest · escape back"

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
SR_PLACEHOLDER = 'Words, "a phrase", a case number; kind:decision body:ID year:2024 narrow it…'
SR_HINT = "escape: out of the box, so o b p m a work · ↓: to the results"
SR_COUNT = "{count} found"
SR_BUILDING = "Building the search index… {done}/{total} ({percent} %)"
SR_STALE = "The search index is behind the data ({message}); it is brought up to date with the next search"
SR_KINDS = {"body": "body", "person": "person", "meeting": "meeting", "item": "item", "decision": "decision",
            "action": "action"}
COL_BODY_SHORT = "Body"
COL_DATE = "Date"

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
    "online_url": "Online link",
    "start_date": "Date (YYYY-MM-DD)",
    "start_time": "Start (HH:MM)",
    "end_time": "End (HH:MM)",
    "chair": "Chair (mødeleder / ordförande)",
    "minute_taker": "Minute-taker (referent / sekreterare)",
    "deadline": "Comment deadline (YYYY-MM-DD, blank: the body's rule)",
    "how": "How",
    "approvers": "Approved by (members)",
    "approver2": "… and",
    "justerare1": "Justerare",
    "justerare2": "Justerare (second, optional)",
    "place": "Place of justering (blank: the body's office)",
    "on": "On (YYYY-MM-DD, blank: today)",
    "cancel_reason": "Reason",
    "reopen_reason": "Reason (logged)",
    "comment_text": "Comment",
    "substitute": "Substitute standing in for the seat",
    "from_item": "Arrived at item",
    "until_item": "Left after item",
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
    "nav.cases": ("go: cases", "Capacity adjustments (kapacitetsjusteringer) and e-mail hearings"),
    "app.help": ("help: keys", "Keys of this screen"),
    "app.undo": ("edit: undo delete", "Put back what was just deleted"),
    "meeting.dispatch": ("life: dispatch the agenda", "Record that the agenda is sent (indkaldelse / kallelse)"),
    "meeting.held": ("life: mark held", "Actual start and end, chair, minute-taker"),
    "meeting.draft": ("life: draft the minutes", "Start the minutes of a held meeting"),
    "meeting.send": ("life: send the minutes for comments", "With a comment deadline"),
    "meeting.comment": ("life: record a comment", "A comment received on the minutes sent"),
    "meeting.approve": ("life: approve / justera the minutes", "Danish approval or Swedish justering"),
    "meeting.post": ("life: post the anslag", "Swedish anslag, appeal period three weeks"),
    "meeting.publish": ("life: publish", "The public agenda or minutes, whichever comes next"),
    "meeting.reopen": ("life: reopen approved minutes", "With a reason, logged"),
    "meeting.life": ("life: history and next steps", "Every step so far with time and actor"),
    "agenda.cancel_meeting": ("life: cancel the meeting", "With a reason; it stays, marked cancelled"),
    "agenda.move_meeting": ("meeting: edit", "Title, time, place, online link, chair, minute-taker"),
}

READ_ONLY = "Read-only: {message}"
READ_ONLY_TITLE = "read-only"

# -- cases: capacity adjustments (kapacitetsjusteringer) --------------------------------------
# The domain's own words (DESIGN.md glossary) beside the English: the secretary works in da or sv.
CASES = "Cases"
CS_TITLE = "Capacity adjustments (kapacitetsjusteringer)"
CS_RULE = "{body}: rule valid from {since}: more than {threshold} places or a closure → approval at {deciders} " \
          "or e-mail hearing (mailhøring / remiss via e-post), {days} days; silence {silence} consent"
CS_RULE_FIRST = "the first rule"
CS_SILENCE_IS = "is"
CS_SILENCE_NOT = "is not"
CS_EMPTY = "No cases. n registers one."
CS_NEW = "New capacity adjustment (kapacitetsjustering)"
CS_EDIT = "Edit case {case}"
CS_HEARING = "E-mail hearing (mailhøring / remiss via e-post)"
CS_NO_HEARING = "Not in a hearing."
CS_SEND_HEARING = "Send the e-mail hearing of {case} to {count} member organisations, deadline {deadline}?\n\n{recipients}"
CS_SEND_REMIND = "Remind the {count} that have not answered?\n\n{recipients}"
CS_SENT = "Sent to {sent} of {count}."
CS_NO_ADDRESS = "(no address)"
CS_ROUTE_MEETING = "Route {case} to a meeting (decision item / beslutningspunkt / beslutsärende)"
CS_ANSWER = "Answer of {org}"
CS_CONTACT = "Affected organisation contacted"
CS_CLOSED = "Case {case} closed: {outcome}."
CS_ROUTED = "Case {case}: a decision item on {meeting}."
CS_STATUS = {"open": "open", "at_meeting": "at a meeting", "hearing": "in hearing", "decided": "decided", "closed": "closed"}
CS_ANSWERS = {"approve": "approve (godkender / godkänner)", "object": "object (indsigelse / invändning)",
              "none": "no comment (ingen bemærkninger / inga synpunkter)"}
CS_NO_ANSWER = "no answer"
CS_MAIL_SENT = "mail sent"
CS_MAIL_FAILED = "mail FAILED: {error}"
CS_KEYS_HINT = "h hearing · t to a meeting · 1/2/3 answer approve/object/none · w answer with text · r remind · c contacted · x close"
COL_CASE_NUMBER = "Case no. (sagsnr.)"
COL_CASE_NO = "Sagsnr."
COL_OFFER = "Offer (tilbud)"
COL_OPERATOR = "Operator (driftsherre)"
COL_OPERATOR_SHORT = "Driftsherre"
COL_CHANGE = "Change"
COL_ROUTE = "Route and reason"
COL_ORGANISATION = "Organisation"
COL_ANSWER = "Answer (svar)"
COL_MAIL = "E-mail"
OV_HEARINGS = "Hearings closing this week (mailhøringer)"
OV_CASES = "Cases waiting (kapacitetsjusteringer)"
CS_WAITING = {"route": "to route", "close": "to close", "deadline passed": "deadline passed", "remind": "reminder due",
              "decision recorded": "decision recorded"}
F.update({
    "offer": "Offer (tilbud)",
    "operator": "Operator (driftskommune / region)",
    "places_before": "Places before (pladser før)",
    "places_after": "Places after (pladser efter)",
    "closure": "Closure of the whole offer (lukning af hele tilbud)",
    "affected": "Affected organisations (berørte kommuner), ids separated by commas",
    "effect": "Date of effect (YYYY-MM-DD)",
    "dated": "Case date (YYYY-MM-DD): decides which rule applies",
    "answer": "Answer",
    "text": "Text",
    "on": "Date (YYYY-MM-DD)",
    "organisation": "Organisation",
})
CMD.update({
    "cases.new": ("case: new", "Register a capacity adjustment"),
    "cases.edit": ("case: edit", "Edit an open case"),
    "case.hearing": ("case: send e-mail hearing", "E-mail every member organisation (shows them first)"),
    "case.meeting": ("case: route to a meeting", "A decision item on a DASSOS or FU meeting"),
    "case.remind": ("case: remind", "E-mail those who have not answered"),
    "case.close": ("case: close", "Close a decided case"),
})


# -- scorecard (styrkort) ------------------------------------------------------------------------
SC_EMPTY = "No scorecards yet: indicators come with a preset, `secretary import` or `secretary scorecard set`."
SC_NEXT = "Next card"
SC_PREVIOUS = "Previous card"
SC_EDIT = "Edit year"
SC_CHART = "Chart"
SC_CHART_HINT = "escape close"
SC_TARGET = "Target"
SC_COL_AREA = "Area"
SC_COL_GOAL = "Goal"
SC_COL_INDICATOR = "Indicator"
SC_COL_NATIONAL = "Nat. avg"
SC_COL_TARGET = "Target"
SC_COL_TREND = "Trend"
SC_EDIT_TITLE = "Edit: {title}"
SC_F_YEAR = "Year"
SC_F_RESULT = "Result"
SC_F_TARGET = "Target (måltal)"
SC_F_NATIONAL = "National average (rikssnitt)"
SC_F_NOTE = "Footnote"
SC_RESULT_HINT = "93  ·  28,2  ·  – not measured  ·  i.u. no data  ·  empty clears"
SC_BAD_NUMBER = "not a number like 93 or 28,2"
