"""The Textual application: built by one factory shared by the CLI, the tests and the benchmarks."""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import pkgutil
import traceback
from collections.abc import Callable, Mapping

from textual.app import App
from textual.binding import Binding, BindingsMap
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen

from screens import strings as S
from screens.live import watch_store
from screens.overview import OverviewScreen
from secretary.domain.errors import MinutesLocked, SecretaryError
from secretary.services.facade import Secretary
from secretary.services.paths import log_path

NAV_ACTIONS = {"go", "help", "undo", "quit", "command_palette"}


def section(module: str, name: str) -> Callable[[], Screen]:
    """A section's screen, imported when the section is first opened: the start screen
    does not wait for the code of the six others (measured in benchmarks/)."""

    def make() -> Screen:
        return getattr(importlib.import_module(module), name)()

    return make


class SecretaryCommands(Provider):
    """Palette commands for what the current screen can do, titled "category: action".

    Built from the active bindings, so the palette and the keys never disagree
    and a command that cannot run now (check_action) is not offered.
    """

    def _commands(self):
        seen: set[str] = set()
        for active in self.screen.active_bindings.values():
            binding = active.binding
            if not binding.id or binding.id in seen or not active.enabled:
                continue
            seen.add(binding.id)
            category = binding.id.split(".", 1)[0]
            title, help_text = S.CMD.get(binding.id, (f"{category}: {binding.description.lower()}", binding.tooltip))
            node, action = active.node, binding.action

            async def run(node=node, action=action) -> None:
                await self.app.run_action(action, node)

            yield title, help_text or binding.tooltip, run
        # Commands with no key of their own (e.g. "export: public minutes (.docx)"): the screen
        # lists them as (id, action) in PALETTE; the titles are in strings.CMD like the others.
        for command_id, action in getattr(self.screen, "PALETTE", ()):
            if command_id in seen:
                continue
            seen.add(command_id)
            title, help_text = S.CMD[command_id]

            async def run_palette(node=self.screen, action=action) -> None:
                await self.app.run_action(action, node)

            yield title, help_text, run_palette

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, run in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), run, help=help_text)

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
    COMMANDS = App.COMMANDS | {SecretaryCommands}
    # The nav line at the top names these keys; the footer shows the screen's own keys.
    BINDINGS = [
        Binding("o", "go('overview')", S.OVERVIEW, id="nav.overview", show=False, tooltip="What needs doing now"),
        Binding("b", "go('bodies')", S.BODIES, id="nav.bodies", show=False, tooltip="Bodies by reporting line"),
        Binding("p", "go('people')", S.PEOPLE, id="nav.people", show=False, tooltip="People and memberships"),
        Binding("m", "go('meetings')", S.MEETINGS, id="nav.meetings", show=False, tooltip="All meetings"),
        Binding("y", "go('year')", S.YEAR, id="nav.year", show=False, tooltip="Meetings and milestones, month by month"),
        Binding("a", "go('actions')", S.ACTIONS, id="nav.actions", show=False, tooltip="Open actions"),
        Binding("k", "go('cases')", S.CASES, id="nav.cases", show=False, tooltip="Capacity adjustments and e-mail hearings"),
        Binding("i", "go('scorecard')", S.SCORECARD, id="nav.scorecard", show=False, tooltip="Styrkort: indicators by year"),
        Binding("slash", "go('search')", S.SEARCH, id="nav.search", key_display="/", show=False, tooltip="Find anything"),
        Binding("question_mark", "help", S.HELP, id="app.help", key_display="?", show=False, tooltip="Keys of this screen"),
        Binding("u", "undo", S.UNDO, id="app.undo", tooltip="Put back what was just deleted or done"),
        Binding("q", "quit", S.QUIT, id="app.quit", tooltip="Leave; everything is saved already"),
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
            rows.append((binding.id, binding.description or binding.action, where))
        rows = [(" ".join(keys[binding_id]), description, where) for binding_id, description, where in rows]
        rows.sort(key=lambda row: (row[2] != S.HELP_SCREEN_KEYS, row[0]))
        rows.append(("ctrl+p", S.PALETTE, S.HELP_APP_KEYS))
        from screens.dialogs import HelpScreen

        self.push_screen(HelpScreen(rows))

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
        self.push_error(error.title, message)

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
        self.error_console.print(f"secretary: unexpected error in the interface. Details: {where}", markup=False, highlight=False)
        self._return_code = 1

    def show_unexpected(self, error: BaseException) -> None:
        """A bug: the details go to the log file, the user gets one message."""
        where = str(log_path())
        try:
            log_path().parent.mkdir(parents=True, exist_ok=True)
            with open(log_path(), "a", encoding="utf-8") as log:
                traceback.print_exception(error, file=log)
        except OSError:
            where = "(the log could not be written)"
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
