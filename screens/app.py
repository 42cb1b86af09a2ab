"""The Textual application: built by one factory shared by the CLI, the tests and the benchmarks."""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import pkgutil
import traceback
from collections.abc import Callable, Mapping

from rich.text import Text
from textual.app import App
from textual.binding import Binding, BindingsMap
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen

from screens import strings as S
from screens.live import watch_store
from screens.overview import OverviewScreen
from secretary.domain.errors import MinutesLocked, SecretaryError
from secretary.i18n import N_, format_date
from secretary.i18n import gettext as tr
from secretary.services.facade import Secretary
from secretary.services.paths import log_path

NAV_ACTIONS = {
    "go", "help", "undo", "quit", "command_palette", "new_meeting", "meeting_from_last", "export_members", "not_answered", "search_for",
}


def section(module: str, name: str) -> Callable[[], Screen]:
    """A section's screen, imported when the section is first opened: the start screen
    does not wait for the code of the six others (measured in benchmarks/)."""

    def make() -> Screen:
        return getattr(importlib.import_module(module), name)()

    return make


# Commands of the palette on every screen, besides the screen's own: (id, action). Their titles
# and help are in strings.CMD; "search: …" is added for whatever was typed.
GLOBAL_COMMANDS = (
    ("nav.overview", "go('overview')"),
    ("nav.bodies", "go('bodies')"),
    ("nav.people", "go('people')"),
    ("nav.meetings", "go('meetings')"),
    ("nav.year", "go('year')"),
    ("nav.actions", "go('actions')"),
    ("nav.search", "go('search')"),
    ("global.new_meeting", "new_meeting"),
    ("global.meeting_from_last", "meeting_from_last"),
    ("global.export_members", "export_members"),
    ("global.not_answered", "not_answered"),
    ("app.help", "help"),
    ("app.undo", "undo"),
    ("app.quit", "quit"),
)


def words(text: str) -> list[str]:
    """The words of a title or a query, case-folded; "go to: meetings" → ["go", "to", "meetings"]."""
    cleaned = "".join(ch if ch.isalnum() else " " for ch in text.casefold())
    return cleaned.split()


def match_words(query: str, title: str, extra: str = "") -> float:
    """Every word typed begins a word of the title (or of its help), in any order: "new meeting",
    "nyt møde" and "møde nyt" all find "møde: nyt…". 0 when a word finds nothing; higher when
    the words are in the title rather than the help, and when they are whole words."""
    typed = words(query)
    if not typed:
        return 0.0
    in_title, in_extra = words(title), words(extra)
    score = 0.0
    for word in typed:
        if any(w == word for w in in_title):
            score += 1.0
        elif any(w.startswith(word) for w in in_title):
            score += 0.8
        elif any(w.startswith(word) for w in in_extra):
            score += 0.4
        else:
            return 0.0
    return min(1.0, score / (len(typed) + 0.5))


def highlight(query: str, title: str) -> Text:
    """The title with the beginnings of words that the query typed in bold."""
    text = Text(title)
    typed = words(query)
    position = 0
    for raw in title.split(" "):
        lowered = raw.casefold()
        offset = next((i for i, ch in enumerate(lowered) if ch.isalnum()), 0)
        for word in typed:
            if lowered[offset:].startswith(word):
                text.stylize("bold", position + offset, position + offset + len(word))
                break
        position += len(raw) + 1
    return text


class SecretaryCommands(Provider):
    """Palette commands: the current screen's own ("category: action", from its active bindings,
    so the palette and the keys never disagree and a command that cannot run now is not offered),
    then those that work from anywhere (go to, new meeting, exports, search)."""

    def _commands(self):
        seen: set[str] = set()
        screen = self.screen
        for active in screen.active_bindings.values():
            binding = active.binding
            if not binding.id or binding.id in seen or not active.enabled:
                continue
            seen.add(binding.id)
            category = binding.id.split(".", 1)[0]
            category = str(S.CMD_CATEGORY.get(category, category))  # "meetings" → "møder" / "sammanträden"
            fallback = (f"{category}: {tr(binding.description).lower()}", tr(binding.tooltip))
            title, help_text = S.CMD.get(binding.id, fallback)
            node, action = active.node, binding.action

            async def run(node=node, action=action) -> None:
                await self.app.run_action(action, node)

            yield title, help_text or tr(binding.tooltip), run
        # Commands with no key of their own (e.g. "export: public minutes (.docx)"): the screen
        # lists them as (id, action) in PALETTE; the titles are in strings.CMD like the others.
        for command_id, action in getattr(screen, "PALETTE", ()):
            if command_id in seen:
                continue
            seen.add(command_id)
            title, help_text = S.CMD[command_id]

            async def run_palette(node=screen, action=action) -> None:
                await self.app.run_action(action, node)

            yield title, help_text, run_palette
        if isinstance(screen, ModalScreen):
            return  # a dialog: finish or cancel it first
        for command_id, action in GLOBAL_COMMANDS:
            if command_id in seen or command_id not in S.CMD:
                continue
            if action == "undo" and getattr(self.app, "undo_entry", None) is None:
                continue
            seen.add(command_id)
            title, help_text = S.CMD[command_id]

            async def run_global(action=action) -> None:
                await self.app.run_action(action)

            yield title, help_text, run_global

    async def search(self, query: str) -> Hits:
        for title, help_text, run in self._commands():
            score = match_words(query, title, help_text or "")
            if score > 0:
                yield Hit(score, highlight(query, title), run, text=title, help=help_text)
        if query.strip() and not isinstance(self.screen, ModalScreen):
            title = S.CMD_SEARCH_FOR.format(query=query.strip())

            typed = query.strip()

            async def run_search(typed=typed) -> None:
                await self.app.run_action(f"search_for({typed!r})")

            yield Hit(0.05, Text(title), run_search, text=title, help=S.CMD_SEARCH_FOR_HELP)

    async def discover(self) -> Hits:
        for title, help_text, run in self._commands():
            yield DiscoveryHit(title, run, help=help_text)


class SecretaryApp(App[None]):
    """The secretary's workspace: one mode per section, each with its own screen stack."""

    TITLE = S.APP_TITLE
    CSS_PATH = "secretary.tcss"
    MODES = {
        "overview": OverviewScreen,
        "bodies": section("screens.bodies", "BodiesScreen"),
        "people": section("screens.people", "PeopleScreen"),
        "meetings": section("screens.meetings", "MeetingsScreen"),
        "year": section("screens.year", "YearScreen"),
        "actions": section("screens.actions", "ActionsScreen"),
        "scorecard": section("screens.scorecard", "ScorecardScreen"),
        "search": section("screens.search", "SearchScreen"),
        "cases": section("screens.cases", "CasesScreen"),
    }
    DEFAULT_MODE = "overview"
    # Only ours: Textual's system commands (themes, screenshots) speak English only.
    COMMANDS = {SecretaryCommands}
    # The nav line at the top names these keys; the footer shows the screen's own keys.
    BINDINGS = [
        Binding("o", "go('overview')", N_("Overview"), id="nav.overview", show=False, tooltip=N_("What needs doing now")),
        Binding("b", "go('bodies')", N_("Bodies"), id="nav.bodies", show=False, tooltip=N_("Bodies by reporting line")),
        Binding("p", "go('people')", N_("People"), id="nav.people", show=False, tooltip=N_("People and memberships")),
        Binding("m", "go('meetings')", N_("Meetings"), id="nav.meetings", show=False, tooltip=N_("All meetings")),
        Binding("y", "go('year')", N_("Year"), id="nav.year", show=False, tooltip=N_("Meetings and milestones, month by month")),
        Binding("a", "go('actions')", N_("Actions"), id="nav.actions", show=False, tooltip=N_("Open actions")),
        Binding("k", "go('cases')", N_("Cases"), id="nav.cases", show=False, tooltip=N_("Capacity adjustments and e-mail hearings")),
        Binding("i", "go('scorecard')", N_("Scorecard"), id="nav.scorecard", show=False, tooltip=N_("Styrkort: indicators by year")),
        Binding("slash", "go('search')", N_("Search"), id="nav.search", key_display="/", show=False, tooltip=N_("Find anything")),
        Binding("question_mark", "help", N_("Help"), id="app.help", key_display="?", show=False, tooltip=N_("Keys of this screen")),
        Binding("u", "undo", N_("Undo"), id="app.undo", tooltip=N_("Put back what was just deleted or done")),
        Binding("q", "quit", N_("Quit"), id="app.quit", tooltip=N_("Leave; everything is saved already")),
    ]

    def __init__(self, secretary: Secretary, today: dt.date | None = None):
        super().__init__()
        self.secretary = secretary
        self.keymap: dict[str, str] = {}
        self._today = today
        self.undo_entry: tuple[str, Callable[[], object]] | None = None
        # Told once the first screen is up (first run, read-only database): a note on stderr
        # before the TUI takes the screen is lost to anyone who does not quit first.
        self.notices: list[str] = []
        # Bumped by every save; a screen coming back into view reloads only if it moved.
        self.data_version = 0

    def on_mount(self) -> None:
        for notice in self.notices:
            self.notify(notice, timeout=20)
        watch_store(self, self.secretary)  # other sessions' changes on screen within seconds (screens/live.py)

    @property
    def today(self) -> dt.date:
        """The date screens count from; fixed in tests so that snapshots are stable."""
        return self._today or dt.date.today()

    # -- keys ------------------------------------------------------------------------

    def set_keymap(self, keymap: Mapping[str, str]) -> None:
        """The user's keymap (binding id → "key[,key]"), as `secretary tui` reads it from keys.toml.

        Textual, remapping one binding, unbinds its old key for every binding of that screen:
        remapping "agenda.minutes" would leave "minutes.agenda" (also `M`) without a key.
        Such siblings keep their default key, stated in the keymap given to Textual.
        """
        self.keymap = dict(keymap)
        super().set_keymap({**_shared_key_siblings(keymap), **keymap} if keymap else {})

    def app_bindings(self) -> dict[str, Binding]:
        """The app's own bindings by id with the key each has now (the keymap applied; the first if several).

        The nav line names these: `active_bindings` cannot tell it, since a focused search box
        takes the letter keys and an open dialog disables the sections.
        """
        bindings = BindingsMap(self.BINDINGS)
        if self.keymap:  # as Textual applies it (_normalize_keymap: "/" → "slash"; pinned by textual<9)
            bindings.apply_keymap(self._normalize_keymap(self.keymap))
        by_id: dict[str, Binding] = {}
        for _key, binding in bindings:
            if binding.id:
                by_id.setdefault(binding.id, binding)
        return by_id

    # -- actions ---------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if isinstance(self.screen, ModalScreen) and action in NAV_ACTIONS:
            return False  # a dialog is open: finish or cancel it first
        if action == "undo" and self.undo_entry is None:
            return False
        return True

    async def action_go(self, mode: str) -> None:
        if self.current_mode == mode:
            while len(self.screen_stack) > 1:  # back to the section's own screen
                self.pop_screen()
        else:
            await self.switch_mode(mode)
        focus_box = getattr(self.screen, "focus_box", None)
        if focus_box is not None:  # "/" always lands in the search box, ready to type
            focus_box()

    def action_help(self) -> None:
        rows: list[tuple[str, str, str]] = []
        keys: dict[str, list[str]] = {}  # id → the displays of its keys: a remapped id may have several
        for active in self.screen.active_bindings.values():
            binding = active.binding
            if not binding.id or not active.enabled:
                continue  # no id: a widget's own scrolling keys, not ours to list
            display = self.get_key_display(binding)
            if binding.id in keys:
                if display not in keys[binding.id]:
                    keys[binding.id].append(display)
                continue
            keys[binding.id] = [display]
            where = S.HELP_APP_KEYS if active.node is self else S.HELP_SCREEN_KEYS
            rows.append((binding.id, tr(binding.description) or binding.action, where))
        rows = [(" ".join(keys[binding_id]), description, where) for binding_id, description, where in rows]
        rows.sort(key=lambda row: (row[2] != S.HELP_SCREEN_KEYS, row[0]))
        rows.append(("ctrl+p", S.PALETTE, S.HELP_APP_KEYS))
        from screens.dialogs import HelpScreen

        self.push_screen(HelpScreen(rows))

    # -- commands that work from anywhere (the palette's global ones) ------------------------

    def action_command_palette(self) -> None:
        """Textual's palette, with its prompt in the interface's language."""
        from textual.command import CommandPalette

        if self.use_command_palette and not CommandPalette.is_open(self):  # type: ignore[arg-type]
            self.push_screen(CommandPalette(id="--command-palette", placeholder=S.PALETTE_PLACEHOLDER))

    def _open_meeting(self, meeting) -> None:
        if meeting is not None:
            from screens.meeting import MeetingScreen

            self.data_version += 1
            self.notify(S.SAVED)
            self.push_screen(MeetingScreen(meeting.id))

    def action_new_meeting(self) -> None:
        """A new meeting: the form asks for the body first."""
        from screens.forms import new_meeting_form

        self.push_screen(new_meeting_form(self, None), self._open_meeting)

    def action_meeting_from_last(self) -> None:
        from screens.forms import meeting_from_last_form

        self.push_screen(meeting_from_last_form(self), self._open_meeting)

    def action_export_members(self) -> None:
        from screens.forms import members_export_form

        def done(path) -> None:
            if path is not None:
                self.notify(S.EX_DONE.format(what=S.EX_MEMBERS, path=path), timeout=12)

        self.push_screen(members_export_form(self), done)

    def action_not_answered(self) -> None:
        from screens.forms import body_choice_form

        def chosen(body_id) -> None:
            if body_id:
                self.show_not_answered(body_id)

        self.push_screen(body_choice_form(self, S.NA_TITLE_ASK), chosen)

    def show_not_answered(self, body_id: str) -> None:
        """Whose attendance is not yet recorded for the body's next meeting."""
        sec = self.secretary
        try:
            body = sec.records.body(body_id)
            row = sec.overview.next_meeting(body_id, self.today)
            if row is None:
                self.push_error(S.NA_TITLE.format(body=body.label), S.NA_NO_MEETING.format(body=body.label))
                return
            seats = sec.overview.not_answered(row.id)
            people = {p.id: p for p in sec.records.people()}
            orgs = {o.id: o.short_name or o.name for o in sec.records.organisations()}
        except SecretaryError as error:
            self.show_error(error)
            return
        when = f"{format_date(row.start)} {row.start.strftime('%H:%M')}"
        if not seats:
            message = S.NA_ALL.format(when=when)
        else:
            lines = [S.NA_INTRO.format(count=len(seats), when=when)]
            for seat in seats:
                person = people.get(seat.person or "")
                name = person.name if person else S.P_NO_PERSON
                org = orgs.get(seat.organisation or (person.organisation if person else "") or "", "")
                contact = person.email if person and person.email else ""
                lines.append(f"• {name} ({S.ROLES[seat.role]}{', ' + org if org else ''}) {contact}".rstrip())
            message = "\n".join(lines)
        self.push_error(S.NA_TITLE.format(body=body.label), message)

    async def action_search_for(self, query: str) -> None:
        await self.action_go("search")
        from textual.widgets import Input

        for box in self.screen.query(Input):
            box.value = query
            break

    def notify(self, message: str, *, title: str = "", severity="information", timeout: float | None = None, markup: bool = True) -> None:
        # Notifications quote titles and names as typed ("Budget [udkast]"): never markup.
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    def offer_undo(self, label: str, undo: Callable[[], object]) -> None:
        """Remember how to put back what was just removed; `u` does it."""
        self.undo_entry = (label, undo)
        self.refresh_bindings()

    def action_undo(self) -> None:
        if self.undo_entry is None:
            self.notify(S.NOTHING_TO_UNDO)
            return
        label, undo = self.undo_entry
        try:
            undo()
        except SecretaryError as error:
            self.show_error(error)
            return
        except Exception as error:  # noqa: BLE001
            self.show_unexpected(error)
            return
        self.undo_entry = None
        self.data_version += 1
        self.refresh_bindings()
        self.notify(S.RESTORED.format(what=label))
        reload = getattr(self.screen, "reload", None)
        if reload is not None:
            reload()

    # -- errors ------------------------------------------------------------------------

    def show_error(self, error: SecretaryError) -> None:
        message = str(error)
        if isinstance(error, MinutesLocked):
            message += "\n\n" + S.MG_AMEND_HINT  # the way on, in the words of the keys
        self.push_error(tr(error.title), message)

    def push_error(self, title: str, message: str) -> None:
        from screens.dialogs import ErrorScreen  # the dialogs' code loads when first needed

        self.push_screen(ErrorScreen(title, message))

    def _print_error_renderables(self) -> None:
        """A crash of the UI itself: the traceback goes to the log, the user reads one line.

        Textual would print a rich traceback on the terminal; this keeps the CLI's promise
        (one message, no traceback). Overrides a Textual internal, pinned by textual<9.
        """
        if not self._exit_renderables:
            return
        from rich.console import Console

        where = log_path()
        try:
            where.parent.mkdir(parents=True, exist_ok=True)
            with open(where, "a", encoding="utf-8") as log:
                console = Console(file=log, width=120, force_terminal=False)
                for renderable in self._exit_renderables:
                    console.print(renderable)
        except OSError:
            pass
        self._exit_renderables.clear()
        self.error_console.print("secretary: " + S.UNEXPECTED_UI.format(log=where), markup=False, highlight=False)
        self._return_code = 1

    def show_unexpected(self, error: BaseException) -> None:
        """A bug: the details go to the log file, the user gets one message."""
        where = str(log_path())
        try:
            log_path().parent.mkdir(parents=True, exist_ok=True)
            with open(log_path(), "a", encoding="utf-8") as log:
                traceback.print_exception(error, file=log)
        except OSError:
            where = S.LOG_NOT_WRITTEN
        message = S.UNEXPECTED_DETAIL.format(kind=type(error).__name__, message=error, log=where)
        self.push_error(S.UNEXPECTED, message)


def make_app(
    secretary: Secretary,
    today: dt.date | None = None,
    keymap: dict[str, str] | None = None,
    notices: list[str] | None = None,
) -> SecretaryApp:
    """The app wired to a service; `today` freezes the date (tests, snapshots); `keymap` remaps keys
    by binding id ({"nav.meetings": "f5"}, from secretary.keymap.load_keymap); `notices` are shown
    once the first screen is up."""
    app = SecretaryApp(secretary, today=today)
    app.notices = list(notices or [])
    if secretary.store.read_only:
        app.notices.append(S.READ_ONLY.format(message=secretary.store.read_only_message))
        app.sub_title = S.READ_ONLY_TITLE
    if keymap:
        app.set_keymap(keymap)
    return app


def binding_ids() -> list[tuple[str, str, str]]:
    """(id, default key, description) of every binding a keymap can remap: the app's and those of
    every screen and widget class in screens/, in that order, each id once.

    Imports every screen module (the start screen alone does not): called by `secretary keys`
    and by `secretary tui` only when a keymap file exists.
    """
    rows: list[tuple[str, str, str]] = []
    seen: set[str] = set()
    for bindings in _bindings_by_class():
        for binding in bindings:
            if binding.id is None:  # not kept by _bindings_by_class
                continue
            if binding.id not in seen:
                seen.add(binding.id)
                rows.append((binding.id, binding.key, binding.description or binding.action))
    return rows


def _bindings_by_class() -> list[list[Binding]]:
    """The bindings with an id of the app and of each screen and widget class in screens/, class by class."""
    import screens

    classes: list[type] = [SecretaryApp]
    for info in sorted(pkgutil.iter_modules(screens.__path__), key=lambda info: info.name):
        module = importlib.import_module(f"screens.{info.name}")
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == module.__name__ and issubclass(cls, DOMNode) and "BINDINGS" in cls.__dict__:
                classes.append(cls)
    return [[b for b in cls.__dict__["BINDINGS"] if isinstance(b, Binding) and b.id] for cls in classes]


def _shared_key_siblings(keymap: Mapping[str, str]) -> dict[str, str]:
    """Bindings not in `keymap` that share a default key with a remapped binding of the same class
    (the meeting screen's `M`, `e`, `n`; People's `n`, `e`, `d`), each with its default key."""
    siblings: dict[str, str] = {}
    for bindings in _bindings_by_class():
        remapped_keys = {key for b in bindings if b.id in keymap for key in b.key.split(",")}
        for binding in bindings:
            if binding.id is None:  # not kept by _bindings_by_class
                continue
            if binding.id not in keymap and remapped_keys & set(binding.key.split(",")):
                siblings[binding.id] = binding.key
    return siblings
