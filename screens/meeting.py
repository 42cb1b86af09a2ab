"""One meeting: the agenda editor, the minutes, its life, and (in its own screen) attendance.

Two modes on one screen, switched with M: the agenda (add, edit, reorder,
carry over, refer, delete items) and the minutes (decision and outcome per
item, actions). The header shows the meeting's stage and the line below it the
keys of the steps that come next (D dispatch, H held, W draft, S send, J approve
or justera, O post, P publish, x cancel, R reopen), each calling the same
service method as its command; L shows the life so far. Approved minutes are
locked: the service refuses changes with MinutesLocked, which is shown as a
dialog, and A amends.
"""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.reactive import reactive
from textual.screen import ModalScreen
from textual.widgets import DataTable, Label, Static

from screens import strings as S
from screens.base import SectionScreen, Table, fmt_date, fmt_time, short
from screens.dialogs import ConfirmScreen
from screens.documents import ExportScreen
from screens.forms import (
    action_form,
    amend_form,
    approve_form,
    cancel_form,
    comment_form,
    decision_form,
    edit_meeting_form,
    guest_form,
    held_form,
    item_form,
    post_form,
    refer_form,
    reopen_form,
    seat_form,
    send_form,
)
from screens.keybar import KeyBar
from secretary.domain import life
from secretary.domain.errors import MinutesLocked
from secretary.domain.model import Item, Meeting
from secretary.domain.publicity import public_title
from secretary.i18n import N_
from secretary.services.documents import plain_target

MOVE = Binding.Group("Move", compact=True)
AGENDA_ONLY = {
    "to_minutes", "new_item", "edit_item", "move_up", "move_down", "carry_over", "refer", "delete_item",
}
MINUTES_ONLY = {"to_agenda", "decision", "new_action", "amend"}
# Each key of the life and the steps of life.next_steps it does (enabled only when one comes next).
LIFE_KEYS = {
    "dispatch": ("dispatch",),
    "held": ("mark_held",),
    "draft": ("draft_minutes",),
    "send": ("send_minutes",),
    "comment": ("record_comment",),
    "approve": ("approve_minutes", "approve_at_meeting", "justera"),
    "post": ("post_minutes",),
    "publish": ("publish_agenda", "publish_minutes", "publish_draft_minutes"),
    "cancel_meeting": ("cancel",),
    "reopen": ("reopen_minutes",),
}


class MeetingScreen(SectionScreen):
    """The agenda and minutes of one meeting."""

    BINDINGS = [
        Binding("escape", "back", N_("Back"), id="meeting.back", tooltip=N_("Back to the list"), show=False),
        Binding("enter", "open_item", N_("Edit"), id="meeting.open", show=False, tooltip=N_("Edit the item (minutes: its decision)")),
        # M, E and L are named on the lines above the table (not in the key line: it fits 80 columns)
        Binding("M", "to_minutes", N_("Minutes"), id="agenda.minutes", tooltip=N_("Switch to the minutes"), show=False),
        Binding("M", "to_agenda", N_("Agenda"), id="minutes.agenda", tooltip=N_("Switch to the agenda"), show=False),
        Binding("t", "attendance", N_("Attend"), id="meeting.attendance", tooltip=N_("Who is present, apologies, absent, guests")),
        # agenda mode
        Binding("n", "new_item", N_("New"), id="agenda.new_item", tooltip=N_("Add an item before 'any other business'")),
        Binding("e", "edit_item", N_("Edit"), id="agenda.edit_item", tooltip=N_("Edit the item")),
        Binding("shift+up", "move_up", N_("Move up"), id="agenda.move_up", key_display="⇧↑",
                tooltip=N_("Move the item up"), group=MOVE),
        Binding("shift+down", "move_down", N_("Move down"), id="agenda.move_down", key_display="⇧↓",
                tooltip=N_("Move the item down"), group=MOVE),
        Binding("c", "carry_over", N_("Carry"), id="agenda.carry_over", tooltip=N_("To the body's next meeting")),
        Binding("r", "refer", N_("Refer"), id="agenda.refer", tooltip=N_("Refer the item to another body")),
        Binding("d", "delete_item", N_("Delete"), id="agenda.delete_item", tooltip=N_("Delete the item (u undoes)")),
        Binding("v", "move_meeting", N_("Edit meeting"), id="agenda.move_meeting", show=False,
                tooltip=N_("Title, date, start and end, place, online link, chair, minute-taker")),
        # minutes mode
        Binding("e", "decision", N_("Decision"), id="minutes.decision", tooltip=N_("Decision text and outcome")),
        Binding("n", "new_action", N_("Action"), id="minutes.new_action", tooltip=N_("A follow-up: what, who, due")),
        Binding("A", "amend", N_("Amend"), id="minutes.amend", tooltip=N_("Change approved minutes (recorded)")),
        # both modes
        Binding("E", "export", N_("Export"), id="meeting.export", tooltip=N_("Agenda or minutes as .docx, full or public"), show=False),
        Binding("L", "life", N_("Life"), id="meeting.life", tooltip=N_("The meeting's life so far, and what comes next"), show=False),
        # the meeting's life: named on the "Next:" line when they apply (not in the key line)
        Binding("D", "dispatch", N_("Dispatch"), id="meeting.dispatch", show=False, tooltip=N_("The agenda is sent (or an addendum)")),
        Binding("H", "held", N_("Held"), id="meeting.held", show=False, tooltip=N_("The meeting took place")),
        Binding("W", "draft", N_("Draft minutes"), id="meeting.draft", show=False, tooltip=N_("Start the minutes")),
        Binding("S", "send", N_("Send minutes"), id="meeting.send", show=False, tooltip=N_("Send the minutes for comments")),
        Binding("C", "comment", N_("Comment"), id="meeting.comment", show=False, tooltip=N_("A comment received on the minutes")),
        Binding("J", "approve", N_("Approve / justera"), id="meeting.approve", show=False, tooltip=N_("Approve or justera the minutes")),
        Binding("O", "post", N_("Post anslag"), id="meeting.post", show=False, tooltip=N_("Swedish anslag")),
        Binding("P", "publish", N_("Publish"), id="meeting.publish", show=False, tooltip=N_("The public agenda or minutes")),
        Binding("x", "cancel_meeting", N_("Cancel meeting"), id="agenda.cancel_meeting", show=False,
                tooltip=N_("Cancel the meeting (with a reason)")),
        Binding("R", "reopen", N_("Reopen minutes"), id="meeting.reopen", show=False,
                tooltip=N_("Reopen approved minutes (reason logged)")),
    ]
    # Palette commands without a key of their own (titles in strings.CMD).
    PALETTE = (
        ("export.agenda", "export_document('agenda', False)"),
        ("export.public_agenda", "export_document('agenda', True)"),
        ("export.minutes", "export_document('minutes', False)"),
        ("export.public_minutes", "export_document('minutes', True)"),
    )

    mode: reactive[str] = reactive("agenda")

    def __init__(self, meeting_id: str, mode: str = "agenda", select: str | None = None):
        super().__init__()
        self.meeting_id = meeting_id
        self.first_item = select
        self.meeting: Meeting | None = None
        self.set_reactive(MeetingScreen.mode, mode)

    def compose(self) -> ComposeResult:
        yield self.nav()
        yield Static("", id="mg-header")
        yield Static("", id="mg-life", classes="hint")
        yield Static("", id="mg-mode", classes="hint")
        yield Table(id="mg-items", open_label=None)
        with VerticalScroll(id="mg-detail-box"):
            yield Static("", id="mg-detail")
        yield KeyBar(show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#mg-items", DataTable).focus()
        self.reload(self.first_item)
        if self.first_item:
            self.call_after_refresh(self._go_to_first)

    def _go_to_first(self) -> None:
        self.keep_cursor(self.query_one("#mg-items", DataTable), self.first_item)
        self._show_detail()

    # -- drawing ------------------------------------------------------------------------

    def reload(self, select: str | None = None) -> None:
        meeting = self.call(lambda: self.sec.records.meeting(self.meeting_id))
        if meeting is None:
            return
        body = self.sec.records.body(meeting.body)
        self.labels = {b.id: b.label for b in self.sec.records.bodies()}
        self.meeting = meeting
        self.body = body
        self.steps = life.next_steps(meeting, body)
        from zoneinfo import ZoneInfo

        zone = ZoneInfo(body.timezone)
        start, end = meeting.start.astimezone(zone), meeting.end.astimezone(zone)
        fields = {"body": body.label, "date": fmt_date(start), "time": fmt_time(start), "end": fmt_time(end),
                  "stage": S.STAGES[life.stage(meeting)]}
        suffix = S.LOCKED_SUFFIX if self.locked else ""
        # The place gets what the line leaves (one line at 80 columns): body, time and stage come first.
        room = self.app.size.width - 2 - len(S.MG_HEADER_STAGE.format(place="", **fields)) - len(suffix)
        header = S.MG_HEADER_STAGE.format(place=short(meeting.location, max(8, room)) or S.NONE, **fields) + suffix
        self.query_one("#mg-header", Static).update(Text(header, style="bold"))
        self.query_one("#mg-life", Static).update(self._life_line())
        self._draw_mode()
        self._fill(select)

    def _life_line(self) -> Text:
        """One line: the keys of the steps that come next ("Next: D dispatch · x cancel"), then the last step."""
        named: list[str] = []
        for step in self.steps:
            key, name = S.STEP_KEYS.get(step.action, ("", step.action))
            label = f"{key} {name}" if key else name
            if label not in named:
                named.append(label)
        line = S.MG_LIFE.format(steps=" · ".join(named)) if named else S.MG_LIFE_DONE
        assert self.meeting is not None
        text = Text(line)
        if self.meeting.history:
            event = self.meeting.history[-1]
            when = event.at.astimezone(start_zone(self.body)).strftime("%Y-%m-%d %H:%M")
            last = S.MG_LAST.format(when=when, action=S.LIFE_ACTIONS.get(event.action, event.action), actor=event.actor or S.NONE)
            room = self.app.size.width - 4 - len(line)
            if room > 12:
                text.append("  ")
                text.append(short(last, room), style="dim")
        return text

    @property
    def locked(self) -> bool:
        return self.meeting is not None and self.meeting.minutes.status == "approved"

    def _draw_mode(self) -> None:
        if self.mode == "agenda":
            hint = S.MG_MODE_HINT_AGENDA
        else:
            hint = S.MG_LOCKED_HINT if self.locked else S.MG_MODE_HINT_MINUTES
        self.query_one("#mg-mode", Static).update(f"{S.MG_AGENDA_MODE if self.mode == 'agenda' else S.MG_MINUTES_MODE}: {hint}")

    def _fill(self, select: str | None = None) -> None:
        table = self.query_one("#mg-items", DataTable)
        keep = select or self.selected_key(table)
        table.clear(columns=True)
        assert self.meeting is not None
        title_width = max(20, self.app.size.width - 37)
        if self.mode == "agenda":
            table.add_column(S.COL_NO, width=3)
            table.add_column(S.COL_KIND, width=15)
            table.add_column(S.COL_OPEN, width=6)
            table.add_column(S.COL_ITEM, width=title_width)
            for item in self.meeting.items:
                table.add_row(
                    item.number,
                    short(S.ITEM_KINDS[item.kind], 15),
                    S.OPEN if item.public else S.CLOSED,
                    short(item.title, title_width),
                    key=item.id,
                )
        else:
            table.add_column(S.COL_NO, width=3)
            table.add_column(S.COL_OUTCOME, width=10)
            table.add_column(S.COL_ACTIONS, width=8)
            table.add_column(S.COL_ITEM, width=title_width)
            for item in self.meeting.items:
                open_actions = sum(1 for a in item.actions if not a.done)
                table.add_row(
                    item.number,
                    S.OUTCOMES.get(item.outcome or "", S.NONE),
                    f"{open_actions}/{len(item.actions)}" if item.actions else "",
                    short(item.title, title_width),
                    key=item.id,
                )
        self.keep_cursor(table, keep)
        self._show_detail()
        self.refresh_bindings()

    def current_item(self) -> Item | None:
        key = self.selected_key(self.query_one("#mg-items", DataTable))
        if key is None or self.meeting is None:
            return None
        try:
            return self.meeting.item(key)
        except KeyError:
            return None

    def _show_detail(self) -> None:
        item = self.current_item()
        detail = self.query_one("#mg-detail", Static)
        if item is None:
            detail.update(S.MG_NO_ITEM)
            return
        text = Text()
        text.append(f"{item.number}. {item.title}\n", style="bold")
        text.append(f"{S.ITEM_KINDS[item.kind]}")
        if item.case_number:
            text.append(f" · {S.MG_CASE} {item.case_number}")
        if item.presenter:
            text.append(f" · {S.MG_PRESENTER}: {item.presenter}")
        text.append("\n")
        if not item.public:
            text.append(S.MG_CLOSED.format(reason=item.closed_reason or S.NONE) + "\n", style="bold red")
            body = getattr(self, "body", None)
            shown = public_title(item, body.language if body is not None else "en")
            text.append(S.MG_PUBLIC_TITLE.format(title=shown) + "\n", style="italic")
        if self.mode == "minutes":
            text.append(f"{S.COL_DECISION}: ", style="bold")
            text.append(f"{item.decision or S.NONE}\n")
            text.append(f"{S.COL_OUTCOME}: ", style="bold")
            outcome = S.OUTCOMES.get(item.outcome or "", S.NONE)
            if item.referred_to:
                outcome += f" → {self.labels.get(item.referred_to, item.referred_to)}"
            text.append(outcome + "\n")
            if item.actions:
                text.append(f"{S.MG_ACTIONS}:\n", style="bold")
                for action in item.actions:
                    mark = "[x]" if action.done else "[ ]"
                    text.append(f"  {mark} {action.what} — {action.owner or S.NONE}, {fmt_date(action.due)}\n")
            if self.meeting and self.meeting.minutes.status == "approved":
                minutes = self.meeting.minutes
                approved = S.MG_APPROVED.format(date=fmt_date(minutes.approved_on), by=minutes.approved_by or S.NONE)
                text.append(approved + "\n", style="italic")
                for amendment in minutes.amendments:
                    text.append(f"{S.MG_AMENDMENTS}: {amendment.on.isoformat()} {amendment.by}: {amendment.what}\n", style="italic")
        if item.background:
            text.append(f"{S.MG_BACKGROUND}: ", style="bold")
            text.append(item.background + "\n")
        if item.recommendation:
            text.append(f"{S.MG_RECOMMENDATION}: ", style="bold")
            text.append(item.recommendation + "\n")
        if item.attachments:
            text.append(f"{S.MG_ATTACHMENTS}: ", style="bold")
            text.append("; ".join(a.title for a in item.attachments) + "\n")
        detail.update(text)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail()

    def action_open_item(self) -> None:
        if self.mode == "agenda":
            self.action_edit_item()
        else:
            self.action_decision()

    def watch_mode(self, mode: str) -> None:
        if self.is_mounted and self.meeting is not None:
            self._draw_mode()
            self._fill()

    # -- which keys apply now ---------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in AGENDA_ONLY and self.mode != "agenda":
            return False
        if action in MINUTES_ONLY and self.mode != "minutes":
            return False
        if action == "amend":
            return True if self.locked else None
        if action in LIFE_KEYS:
            return self._next(action) is not None
        return True

    def _next(self, action: str) -> life.Step | None:
        """The step a life key does now, or None when it is not one of the steps that come next."""
        wanted = LIFE_KEYS[action]
        return next((step for step in getattr(self, "steps", []) if step.action in wanted), None)

    # -- actions --------------------------------------------------------------------------------

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_to_minutes(self) -> None:
        self.mode = "minutes"

    def action_to_agenda(self) -> None:
        self.mode = "agenda"

    def action_attendance(self) -> None:
        self.app.push_screen(AttendanceScreen(self.meeting_id))

    def _after(self, select: str | None = None):
        def done(result) -> None:
            if result is not None:
                self._offer_undo_edit()
            # A new or edited item is where the cursor goes, so the next key acts on it.
            self.reload(result.id if isinstance(result, Item) else select)

        return done

    def _offer_undo_edit(self) -> None:
        """After a saved edit: u puts the meeting back as it was just before that save (not as this
        screen last showed it: another session may have changed it since), through the same service."""
        after = self.call(lambda: self.sec.records.meeting(self.meeting_id))
        before = self.sec.agenda.edited_from(after) if after is not None else None
        if before is None or after is None or after == before:
            self.notify(S.SAVED)
            return
        label = S.UNDO_EDIT_OF.format(what=self.meeting_id)
        self.secretary_app.offer_undo(label, lambda: self.sec.agenda.put_back(before, after))
        self.notify(S.SAVED_UNDO, timeout=6)

    def _guarded_open(self, make) -> None:
        """Open a form unless the minutes are locked (then say so, with the way out)."""
        if self.meeting is None:
            return
        if self.locked:
            self._say_locked()
            return
        self.app.push_screen(make(), self._after(self.selected_key(self.query_one("#mg-items", DataTable))))

    def _say_locked(self) -> None:
        """The service's refusal, plus the key that is the way on."""
        assert self.meeting is not None  # only a shown meeting is locked
        try:
            self.sec.agenda.ensure_editable(self.meeting)
        except MinutesLocked as error:
            self.secretary_app.show_error(error)

    def action_new_item(self) -> None:
        self._guarded_open(lambda: item_form(self.secretary_app, self.meeting_id, None))

    def action_edit_item(self) -> None:
        item = self.current_item()
        if item is not None:
            self._guarded_open(lambda: item_form(self.secretary_app, self.meeting_id, item))

    def _move(self, delta: int) -> None:
        item = self.current_item()
        if item is None or self.meeting is None:
            return
        index = [i.id for i in self.meeting.items].index(item.id)
        target = index + delta
        if target < 0 or target >= len(self.meeting.items):
            return
        if self.call(lambda: self.sec.agenda.move_item(self.meeting_id, item.id, target)) is not None:
            self.reload(item.id)

    def action_move_up(self) -> None:
        self._move(-1)

    def action_move_down(self) -> None:
        self._move(1)

    def action_carry_over(self) -> None:
        item = self.current_item()
        if item is None:
            return
        target = self.call(lambda: self.sec.agenda.carry_over_item(self.meeting_id, item.id))
        if target is not None:
            self.notify(S.MG_CARRIED.format(what=f"{self.labels.get(target.body, target.body)} {fmt_date(target.start)}"))
            self.reload()

    def action_refer(self) -> None:
        item = self.current_item()
        if item is None or self.meeting is None:
            return
        if self.locked:
            self._say_locked()
            return

        def done(result) -> None:
            if result is not None:
                body, receiving = result
                label = self.labels.get(body, body)
                self.notify(S.MG_REFERRED.format(body=label) if receiving else S.MG_REFERRED_NO_MEETING.format(body=label))
            self.reload(item.id)

        self.app.push_screen(refer_form(self.secretary_app, self.meeting, item), done)

    def action_delete_item(self) -> None:
        item = self.current_item()
        if item is None:
            return
        what = f"{item.number}. {short(item.title, 40)}"

        def answer(yes: bool | None) -> None:
            if not yes:
                return
            deleted = self.call(lambda: self.sec.agenda.delete_item(self.meeting_id, item.id))
            if deleted is not None:
                self.secretary_app.offer_undo(what, lambda: self.sec.undo_delete(deleted))
                self.notify(S.DELETED_UNDO.format(what=what), timeout=8)
                self.reload()

        self.app.push_screen(ConfirmScreen(S.CONFIRM_DELETE.format(what=what)), answer)

    def action_move_meeting(self) -> None:
        """Edit every field of the meeting; the body's rules it now breaks are said as a warning."""
        if self.meeting is None:
            return

        def done(result) -> None:
            if result is not None:
                warnings = self.sec.agenda.schedule_warnings(self.meeting_id)
                if warnings:
                    self.notify(S.MT_WARNING.format(warnings="; ".join(warnings)), severity="warning", timeout=12)
                else:
                    self.notify(S.SAVED)
            self.reload()

        self.app.push_screen(edit_meeting_form(self.secretary_app, self.meeting), done)

    # -- the meeting's life: each key calls the step's service method, as its command does ---------

    def _stepped(self, result) -> None:
        if result is not None:
            self.notify(S.LF_DONE.format(what=self.meeting_id, stage=S.STAGES[life.stage(result)]))
        self.reload()

    def _confirm_step(self, question: str, step) -> None:
        def answer(yes: bool | None) -> None:
            if yes:
                self._stepped(self.call(step))

        self.app.push_screen(ConfirmScreen(question), answer)

    def action_dispatch(self) -> None:
        if self.meeting is None or self._next("dispatch") is None:
            return
        what = f"{self.body.label} {fmt_date(self.meeting.start)}"
        self._confirm_step(S.LF_CONFIRM_DISPATCH.format(what=what, version=self.meeting.agenda_version + 1),
                           lambda: self.sec.agenda.dispatch(self.meeting_id))

    def action_held(self) -> None:
        if self.meeting is not None and self._next("held") is not None:
            self.app.push_screen(held_form(self.secretary_app, self.meeting), self._stepped)

    def action_draft(self) -> None:
        if self.meeting is not None and self._next("draft") is not None:
            what = f"{self.body.label} {fmt_date(self.meeting.start)}"
            self._confirm_step(S.LF_CONFIRM_DRAFT.format(what=what), lambda: self.sec.agenda.draft_minutes(self.meeting_id))

    def action_send(self) -> None:
        if self.meeting is not None and self._next("send") is not None:
            self.app.push_screen(send_form(self.secretary_app, self.meeting), self._stepped)

    def action_comment(self) -> None:
        if self.meeting is not None and self._next("comment") is not None:
            self.app.push_screen(comment_form(self.secretary_app, self.meeting), self._stepped)

    def action_approve(self) -> None:
        if self.meeting is not None and self._next("approve") is not None:
            self.app.push_screen(approve_form(self.secretary_app, self.meeting), self._stepped)

    def action_post(self) -> None:
        if self.meeting is not None and self._next("post") is not None:
            self.app.push_screen(post_form(self.secretary_app, self.meeting), self._stepped)

    def action_publish(self) -> None:
        step = self._next("publish")
        if self.meeting is None or step is None:
            return
        what = "agenda" if step.action == "publish_agenda" else "minutes"
        meeting = f"{self.body.label} {fmt_date(self.meeting.start)}"
        self._confirm_step(S.LF_CONFIRM_PUBLISH.format(what=what, meeting=meeting),
                           lambda: self.sec.agenda.publish(self.meeting_id, what))

    def action_cancel_meeting(self) -> None:
        if self.meeting is not None and self._next("cancel_meeting") is not None:
            self.app.push_screen(cancel_form(self.secretary_app, self.meeting_id), self._stepped)

    def action_reopen(self) -> None:
        if self.meeting is not None and self._next("reopen") is not None:
            self.app.push_screen(reopen_form(self.secretary_app, self.meeting), self._stepped)

    def action_life(self) -> None:
        if self.meeting is not None:
            self.app.push_screen(LifeScreen(self.meeting, self.body, self.steps))

    def action_decision(self) -> None:
        item = self.current_item()
        if item is not None:
            self._guarded_open(lambda: decision_form(self.secretary_app, self.meeting_id, item))

    def action_new_action(self) -> None:
        item = self.current_item()
        if item is not None:
            self._guarded_open(lambda: action_form(self.secretary_app, self.meeting_id, item))

    def action_amend(self) -> None:
        item = self.current_item()
        if item is not None and self.locked:
            self.app.push_screen(amend_form(self.secretary_app, self.meeting_id, item), self._after(item.id))

    # -- export (.docx) ----------------------------------------------------------------------------

    def action_export(self) -> None:
        what = f"{self.body.label} {fmt_date(self.meeting.start)}" if self.meeting is not None else self.meeting_id

        def chosen(choice) -> None:
            if choice is not None:
                self.export_document(*choice)

        folder = self.sec.documents.export_folder()
        try:  # the usual folder is named relative to the database; the full path is in the notice
            shown = S.EX_BESIDE_DB.format(folder=folder.relative_to(self.sec.store.location.parent))
        except ValueError:
            shown = f"{folder}/"
        self.app.push_screen(ExportScreen(what, shown), chosen)

    def action_export_document(self, kind: str, public: bool) -> None:
        self.export_document(kind, public)

    @work(thread=True, exit_on_error=False, group="export", description="export .docx")
    def export_document(self, kind: str, public: bool) -> None:
        """Render and write the document as `secretary export` does; a failure becomes a dialog."""
        document = self.sec.documents.render(self.meeting_id, kind, public)  # type: ignore[arg-type]
        folder = self.sec.documents.export_folder()
        path = self.sec.documents.write(plain_target(folder, document), document.data)
        what = S.EX_KINDS[(kind, public)]
        notice = "\n".join([S.EX_DONE.format(what=what, path=path), *(S.EX_WARNING.format(warning=w) for w in document.warnings)])
        self.app.call_from_thread(self.notify, notice, timeout=10, severity="warning" if document.warnings else "information")


def start_zone(body):
    from zoneinfo import ZoneInfo

    return ZoneInfo(body.timezone)


class LifeScreen(ModalScreen[None]):
    """The meeting's life so far (every step with time and actor) and the keys of what comes next."""

    BINDINGS = [Binding("escape", "close", N_("Close"), id="life.close"), Binding("L", "close", N_("Close"), id="life.toggle", show=False)]

    def __init__(self, meeting: Meeting, body, steps: list):
        super().__init__()
        self.meeting = meeting
        self.body = body
        self.steps = steps

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog help-dialog"):
            yield Label(S.LF_TITLE.format(what=f"{self.body.label} {fmt_date(self.meeting.start)}"), classes="dialog-title",
                        markup=False)
            yield DataTable(id="life-history", cursor_type="row", zebra_stripes=True)
            next_lines = [f"{S.STEP_KEYS.get(s.action, ('', ''))[0]:>2}  {s.text}" for s in self.steps]
            yield Static(Text(f"{S.LF_NEXT}:\n" + ("\n".join(next_lines) or S.NONE)), id="life-next", classes="dialog-text")
            yield Static(S.LF_HINT, classes="dialog-hint")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns(*S.LF_COLUMNS)
        zone = start_zone(self.body)
        if not self.meeting.history:
            table.add_row(S.LF_NOTHING, "", "", "")
        for n, event in enumerate(self.meeting.history):
            table.add_row(event.at.astimezone(zone).strftime("%Y-%m-%d %H:%M"), short(event.actor, 16) or S.NONE,
                          S.LIFE_ACTIONS.get(event.action, event.action), Text(short(event.detail, 60)), key=str(n))

    def action_close(self) -> None:
        self.dismiss(None)


class AttendanceScreen(SectionScreen):
    """Who attends: the body's seats on the meeting day, and guests. Digits set the status."""

    BINDINGS = [
        Binding("escape", "back", N_("Back"), id="attendance.back", show=False),
        Binding("1", "mark('present')", N_("present"), id="attendance.present"),
        Binding("2", "mark('apologies')", N_("apologies"), id="attendance.apologies"),
        Binding("3", "mark('absent')", N_("absent"), id="attendance.absent"),
        Binding("4", "mark('guest')", N_("guest"), id="attendance.guest"),
        Binding("0", "mark('')", N_("Clear"), id="attendance.clear"),
        Binding("g", "add_guest", N_("Add guest"), id="attendance.add", tooltip=N_("A guest or a substitute")),
        Binding("s", "seat", N_("Seat"), id="attendance.seat", tooltip=N_("A substitute for the seat, late arrival, early departure")),
    ]

    def __init__(self, meeting_id: str):
        super().__init__()
        self.meeting_id = meeting_id

    def compose(self) -> ComposeResult:
        yield self.nav()
        yield Static("", id="at-header")
        yield Static(S.AT_HINT, classes="hint")
        yield Table(id="at-table", open_label=None)
        yield KeyBar(show_command_palette=False)

    def on_mount(self) -> None:
        table = self.query_one("#at-table", DataTable)
        table.add_columns(S.COL_HOLDER, S.COL_ORG, S.COL_ROLE, S.COL_ATTENDANCE, S.COL_STANDS_IN)
        table.focus()
        self.reload()

    def reload(self) -> None:
        meeting = self.call(lambda: self.sec.records.meeting(self.meeting_id))
        if meeting is None:
            return
        self.meeting = meeting
        body = self.sec.records.body(meeting.body)
        day = life.meeting_day(meeting, body)
        seats = [s for s in self.sec.records.memberships(body=body.id) if s.active_on(day)]
        self.seats = {s.id: s for s in seats}
        people = {p.id: p.name for p in self.sec.records.people()}
        orgs = {o.id: o.short_name or o.name for o in self.sec.records.organisations()}
        items = {i.id: i.number or i.id for i in meeting.items}
        header = S.MG_ATTENDANCE.format(what=f"{body.label} {fmt_date(meeting.start)}")
        if not seats:
            header += "\n" + S.AT_NO_SEATS.format(body=body.label)
        if meeting.minutes.status == "approved":
            header += S.LOCKED_SUFFIX
        self.query_one("#at-header", Static).update(Text(header, style="bold"))
        by_seat = {r.seat: r for r in meeting.attendance if r.seat is not None}
        # Rows recorded before seats were: a person's or an organisation's row fills its first seat.
        loose = {(r.person, r.organisation): r for r in meeting.attendance if r.seat is None}
        table = self.query_one("#at-table", DataTable)
        keep = self.selected_key(table)
        table.clear()

        def when(row) -> str:
            parts = []
            if row.arrived_item:
                parts.append(S.AT_FROM.format(item=items.get(row.arrived_item, "?")))
            if row.left_item:
                parts.append(S.AT_UNTIL.format(item=items.get(row.left_item, "?")))
            if row.not_items:
                parts.append(S.AT_NOT_ITEMS.format(items=", ".join(items.get(i, "?") for i in row.not_items)))
            if row.only_items:
                parts.append(S.AT_ONLY_ITEMS.format(items=", ".join(items.get(i, "?") for i in row.only_items)))
            return ", ".join(parts)

        used: set[tuple] = set()
        for seat in seats:
            row = by_seat.get(seat.id)
            if row is None and (seat.person, seat.organisation) in loose and (seat.person, seat.organisation) not in used:
                row = loose[(seat.person, seat.organisation)]
                used.add((seat.person, seat.organisation))
            holder = people.get(seat.person or "", S.P_NO_PERSON) if seat.person else S.P_NO_PERSON
            sub = ""
            if row is not None and row.person and row.person != seat.person:
                sub = people.get(row.person, row.person)
            status = S.ATTENDANCE[row.status] if row else S.NONE
            if row is not None and when(row):
                status += f" ({when(row)})"
            table.add_row(
                short(holder, 22), short(orgs.get(seat.organisation or "", S.NONE), 18), S.ROLES[seat.role],
                short(status, 24), short(sub, 16), key=f"seat:{seat.id}",
            )
        for who, row in loose.items():
            if who in used:
                continue
            table.add_row(
                people.get(row.person or "", S.P_NO_PERSON) if row.person else S.P_NO_PERSON,
                orgs.get(row.organisation or "", S.NONE),
                S.NONE,
                S.ATTENDANCE[row.status],
                S.AT_FOR.format(name=people.get(row.substitute_for, row.substitute_for)) if row.substitute_for else "",
                key=f"{row.person or ''}|{row.organisation or ''}",
            )
        self.keep_cursor(table, keep)

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_mark(self, status: str) -> None:
        table = self.query_one("#at-table", DataTable)
        key = self.selected_key(table)
        if key is None:
            return
        if key.startswith("seat:"):
            seat_id = key.removeprefix("seat:")
            row = next((r for r in self.meeting.attendance if r.seat == seat_id), None)
            substitute = row.person if row is not None and row.person != self.seats[seat_id].person else None
            done = self.call(lambda: self.sec.agenda.set_attendance(
                self.meeting_id, status or None, person=substitute, seat=seat_id,
                arrived_item=row.arrived_item if row else None, left_item=row.left_item if row else None,
            ))
        else:
            person, organisation = (part or None for part in key.split("|", 1))
            done = self.call(
                lambda: self.sec.agenda.set_attendance(self.meeting_id, status or None, person=person, organisation=organisation)
            )
        if done is not None:
            self.reload()
            if table.cursor_row < table.row_count - 1:
                table.move_cursor(row=table.cursor_row + 1)  # next person: marking a list goes fast

    def action_seat(self) -> None:
        """A substitute for the seat, a late arrival or an early departure."""
        key = self.selected_key(self.query_one("#at-table", DataTable))
        if key is None or not key.startswith("seat:"):
            return
        seat = self.seats[key.removeprefix("seat:")]
        label = self.sec.records.holder_name(seat) or seat.id
        self.app.push_screen(seat_form(self.secretary_app, self.meeting, seat, label), lambda result: self.reload())

    def action_add_guest(self) -> None:
        self.app.push_screen(guest_form(self.secretary_app, self.meeting), lambda result: self.reload())
