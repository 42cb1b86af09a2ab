"""A person's calendar feed: its secret address (webcal:// and https://), issued, copied, revoked.

The token is a random secret stored per person (secretary/feeds.py); the
address works on `secretary serve` or the web server in front of it, whose
host the addresses name ($SECRETARY_PUBLIC_HOST, default localhost:8080).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from screens import strings as S
from screens.dialogs import ConfirmScreen
from secretary.domain.model import Person
from secretary.i18n import N_
from secretary.services.feeds import person_feed_path, subscription_urls
from secretary.services.paths import public_host

if TYPE_CHECKING:
    from secretary.services.facade import Secretary

Call = Callable[[Callable[[], Any]], Any]


class PersonFeedScreen(ModalScreen[None]):
    """Show, issue, copy and revoke one person's feed address.

    Service calls go through the screen's `call` (data lock, errors as dialogs),
    so a failure here is reported like everywhere else.
    """

    BINDINGS = [
        Binding("i", "issue", N_("New address"), id="feed.issue", tooltip=N_("Issue a new secret address (the old one stops)")),
        Binding("r", "revoke", N_("Revoke"), id="feed.revoke", tooltip=N_("Make the address stop working")),
        Binding("c", "copy(0)", N_("Copy webcal://"), id="feed.copy_webcal"),
        Binding("C", "copy(1)", N_("Copy https://"), id="feed.copy_https"),
        Binding("escape", "close", N_("Close"), id="feed.close"),
    ]

    def __init__(self, person: Person, secretary: Secretary, call: Call):
        super().__init__()
        self.person = person
        self.secretary = secretary
        self.call = call
        self.token: str | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(S.FD_PERSON_TITLE.format(name=self.person.name), classes="dialog-title")
            yield Static(S.FD_PERSON_INTRO.format(name=self.person.name), classes="dialog-text")
            yield Static("", id="feed-urls")
            yield Static(S.FD_PERSON_HINT, classes="dialog-hint")

    def on_mount(self) -> None:
        self.token = self.call(lambda: self.secretary.feeds.feed_token(self.person.id))
        self._draw()

    @property
    def urls(self) -> tuple[str, str] | None:
        if not self.token:
            return None
        return subscription_urls(public_host(), person_feed_path(self.token))

    def _draw(self) -> None:
        urls = self.urls
        text = Text()
        if urls is None:
            text.append(S.FD_NO_TOKEN, style="italic")
        else:
            text.append("\n".join(urls))
        self.query_one("#feed-urls", Static).update(text)
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("revoke", "copy") and not self.token:
            return False
        return True

    def action_issue(self) -> None:
        if not self.token:
            self._issue()
            return

        def answer(yes: bool | None) -> None:
            if yes:
                self._issue()

        self.app.push_screen(ConfirmScreen(S.FD_CONFIRM_REISSUE.format(name=self.person.name)), answer)

    def _issue(self) -> None:
        token = self.call(lambda: self.secretary.feeds.issue_feed_token(self.person.id))
        if token:
            self.token = token
            self._draw()
            self.notify(S.FD_ISSUED.format(name=self.person.name))

    def action_revoke(self) -> None:
        if not self.token:
            return

        def answer(yes: bool | None) -> None:
            if yes and self.call(lambda: self.secretary.feeds.revoke_feed_token(self.person.id)) is not None:
                self.token = None
                self._draw()
                self.notify(S.FD_REVOKED.format(name=self.person.name))

        self.app.push_screen(ConfirmScreen(S.FD_CONFIRM_REVOKE.format(name=self.person.name)), answer)

    def action_copy(self, which: int) -> None:
        urls = self.urls
        if urls is None:
            return
        self.app.copy_to_clipboard(urls[which])  # OSC 52: reaches the local clipboard over SSH too
        self.notify(S.FD_COPIED.format(url=urls[which]))

    def action_close(self) -> None:
        self.dismiss(None)
