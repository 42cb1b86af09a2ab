"""Bodies as a tree by reporting line, and the page of the body under the cursor."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Static, Tree
from textual.widgets.tree import TreeNode

from screens import strings as S
from screens.base import SectionScreen, fmt_date, fmt_time, short
from screens.dialogs import ConfirmScreen
from screens.forms import body_form, new_meeting_form
from screens.keybar import KeyBar
from secretary.domain.model import Body
from secretary.i18n import N_
from secretary.services.feeds import body_feed_path, subscription_urls
from secretary.services.paths import public_host


class BodiesScreen(SectionScreen):
    """Create, edit, retire bodies; read their terms of reference, members and meetings."""

    SECTION = "bodies"
    BINDINGS = [
        Binding("n", "new", N_("New body"), id="bodies.new"),
        Binding("e", "edit", N_("Edit"), id="bodies.edit"),
        Binding("s", "schedule", N_("Schedule mtg"), id="bodies.schedule", tooltip=N_("A new meeting of this body")),
        Binding("x", "retire", N_("Retire/reinstate"), id="bodies.retire", tooltip=N_("Retire keeps the history")),
        Binding("d", "delete", N_("Delete"), id="bodies.delete", tooltip=N_("Only a body never used (u undoes)")),
        # The page names these two keys beside the addresses; the footer has no room at 80 columns.
        Binding(
            "c", "copy_feed(0)", N_("Copy webcal://"), id="bodies.copy_webcal", show=False, tooltip=N_("The body's calendar feed address")
        ),
        Binding("C", "copy_feed(1)", N_("Copy https://"), id="bodies.copy_https", show=False, tooltip=N_("The same address over https")),
    ]

    def compose(self) -> ComposeResult:
        yield self.nav()
        with Horizontal(id="bodies"):
            tree: Tree[str] = Tree(S.BODIES_TREE, id="bd-tree")
            tree.show_root = False
            yield tree
            with VerticalScroll(id="bd-page-box"):
                yield Static("", id="bd-page")
        yield KeyBar()

    def on_mount(self) -> None:
        self.current: str | None = None
        self.query_one("#bd-tree", Tree).focus()
        self.reload()

    def reload(self) -> None:
        bodies = self.sec.records.bodies()
        by_id = {b.id: b for b in bodies}
        children: dict[str | None, list[Body]] = {}
        for body in bodies:
            parent = body.reports_to if body.reports_to in by_id and body.reports_to != body.id else None
            children.setdefault(parent, []).append(body)
        tree = self.query_one("#bd-tree", Tree)
        keep = self.current
        tree.clear()
        self.nodes: dict[str, TreeNode[str]] = {}
        seen: set[str] = set()

        def add(node, parent: str | None) -> None:
            for body in sorted(children.get(parent, []), key=lambda b: b.label.casefold()):
                if body.id in seen:  # a reporting cycle: show each body once
                    continue
                seen.add(body.id)
                label = Text(body.label)
                if body.retired:
                    label.append(f" ({S.RETIRED.format(date=body.retired.isoformat())})", style="dim")
                kids = children.get(body.id)
                child = node.add(label, data=body.id, expand=True) if kids else node.add_leaf(label, data=body.id)
                self.nodes[body.id] = child
                add(child, body.id)

        add(tree.root, None)
        for body in bodies:  # bodies only reachable through a cycle
            if body.id not in seen:
                seen.add(body.id)
                self.nodes[body.id] = tree.root.add_leaf(Text(body.label), data=body.id)
        target = keep if keep in self.nodes else (bodies[0].id if bodies else None)
        if target:
            self.call_after_refresh(self.select_body, target)

    def select_body(self, body_id: str) -> None:
        node = self.nodes.get(body_id)
        if node is None:
            return
        tree = self.query_one("#bd-tree", Tree)
        tree.move_cursor(node)
        self.show(body_id)

    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted) -> None:
        if event.node.data:
            self.show(event.node.data)

    def show(self, body_id: str) -> None:
        self.current = body_id
        page = self.call(lambda: self._page(body_id))
        if page is not None:
            self.query_one("#bd-page", Static).update(page)
        self.refresh_bindings()

    def _page(self, body_id: str) -> Text:
        sec = self.sec
        year = self.today.year
        body = sec.records.body(body_id)
        labels = {b.id: b.label for b in sec.records.bodies()}
        people = {p.id: p.name for p in sec.records.people()}
        orgs = {o.id: o.short_name or o.name for o in sec.records.organisations()}
        count, target = sec.overview.cadence_count(body_id, year)
        text = Text()
        text.append(f"{body.label} — {body.name}\n", style="bold")
        facts = [S.BODY_KINDS[body.kind], S.LANGUAGES[body.language]]
        if body.reports_to:
            facts.append(f"{S.B_REPORTS_TO} {labels.get(body.reports_to, body.reports_to)}")
        if body.decides_on_behalf_of:
            facts.append(f"{S.B_DECIDES_FOR} {labels.get(body.decides_on_behalf_of, body.decides_on_behalf_of)}")
        if body.advises:
            facts.append(f"{S.B_ADVISES} {', '.join(labels.get(a, a) for a in body.advises)}")
        if body.retired:
            facts.append(S.RETIRED.format(date=body.retired.isoformat()))
        text.append(" · ".join(facts) + "\n")
        if target is None:
            cadence = S.CADENCE_NONE.format(label=body.label, count=count, year=year)
        else:
            low, high = target
            span = f"{low}" if low == high else f"{low}–{high}"
            cadence = S.CADENCE_LINE.format(label=body.label, count=count, target=span, year=year)
        style = "bold green" if target is None or count >= target[0] else "bold yellow"
        text.append(f"{S.B_CADENCE}: ", style="bold")
        text.append(cadence + "\n", style=style)
        rules = body.deadlines
        text.append(
            S.B_DEADLINES.format(items=rules.items_due_days, agenda=rules.agenda_dispatch_days, minutes=rules.minutes_due_days) + "\n"
        )
        text.append(f"{S.FD_BODY} ", style="bold")
        text.append(S.FD_BODY_HINT + "\n", style="dim")
        for url in self.feed_urls(body_id):
            text.append(f"{url}\n")  # no indent: 44 columns (the page at 80) hold a short body's address
        for title, value in ((S.B_TOR, body.terms_of_reference), (S.B_COMPOSITION, body.composition)):
            if value:
                text.append(f"\n{title}\n", style="bold underline")
                text.append(value + "\n")
        if body.tasks:
            text.append(f"\n{S.B_TASKS}\n", style="bold underline")
            for task in body.tasks:
                text.append(f" • {task}\n")
        seats = [s for s in sec.records.memberships(body=body_id) if s.active_on(self.today)]
        text.append(f"\n{S.B_MEMBERS} ({len(seats)})\n", style="bold underline")
        if not seats:
            text.append(S.B_NO_MEMBERS + "\n")
        for seat in seats:
            holder = people.get(seat.person or "", "") or S.P_NO_PERSON
            org = orgs.get(seat.organisation or "", "")
            text.append(f" {S.ROLES[seat.role]:<11} {short(holder, 26):<26} {short(org, 18)}\n")
        rows = sec.overview.meeting_rows(body=body_id)
        past = [r for r in rows if r.start.date() < self.today]
        coming = [r for r in rows if r.start.date() >= self.today]
        text.append(f"\n{S.B_MEETINGS_COMING} ({len(coming)})\n", style="bold underline")
        if not coming:
            text.append(S.B_NO_MEETINGS + "\n")
        for row in coming:
            text.append(f" {fmt_date(row.start)} {fmt_time(row.start)}  {S.MEETING_STATUS[row.status]:<10} {short(row.title, 30)}\n")
        text.append(f"\n{S.B_MEETINGS_PAST} ({len(past)})\n", style="bold underline")
        if not past:
            text.append(S.B_NO_MEETINGS + "\n")
        for row in reversed(past[-12:]):  # the latest first; the meetings list (m) has them all
            text.append(f" {fmt_date(row.start)} {fmt_time(row.start)}  {S.MEETING_STATUS[row.status]:<10} {short(row.title, 30)}\n")
        if len(past) > 12:
            text.append(S.B_MEETINGS_MORE.format(count=len(past) - 12) + "\n", style="dim")
        return text

    # -- actions ---------------------------------------------------------------------------

    def feed_urls(self, body_id: str) -> tuple[str, str]:
        """The body feed's webcal:// and https:// addresses (host: $SECRETARY_PUBLIC_HOST)."""
        return subscription_urls(public_host(), body_feed_path(body_id))

    def action_copy_feed(self, which: int) -> None:
        if not self.current:
            return
        url = self.feed_urls(self.current)[which]
        self.app.copy_to_clipboard(url)  # OSC 52: reaches the local clipboard over SSH too
        self.notify(S.FD_COPIED.format(url=url))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("edit", "retire", "delete", "schedule", "copy_feed"):
            return True if getattr(self, "current", None) else None
        return True

    def _done(self, result) -> None:
        if result is not None:
            self.notify(S.SAVED)
            self.current = getattr(result, "id", self.current)
        self.reload()

    def action_new(self) -> None:
        self.app.push_screen(body_form(self.secretary_app, None), self._done)

    def action_edit(self) -> None:
        body = self.call(lambda: self.sec.records.body(self.current or ""))
        if body is None:
            return

        form = body_form(self.secretary_app, body)

        def done(result) -> None:
            self._done(result)
            before = form.record  # what the save was based on (the fresh copy after a reload)
            if result is not None and result != before:  # u puts the body back as it was
                self.secretary_app.offer_undo(before.label, lambda: self.sec.registry.put_back(before, result))
                self.notify(S.SAVED_UNDO, timeout=6)

        self.app.push_screen(form, done)

    def action_schedule(self) -> None:
        if not self.current:
            return

        def done(meeting) -> None:
            if meeting is not None:
                from screens.meeting import MeetingScreen

                self.notify(S.SAVED)
                self.app.push_screen(MeetingScreen(meeting.id))

        self.app.push_screen(new_meeting_form(self.secretary_app, self.current), done)

    def action_retire(self) -> None:
        body = self.call(lambda: self.sec.records.body(self.current or ""))
        if body is None:
            return
        if body.retired:
            if self.call(lambda: self.sec.registry.reinstate_body(body.id)) is not None:
                self.notify(S.B_REINSTATED.format(what=body.label))
        elif self.call(lambda: self.sec.registry.retire_body(body.id, self.today)) is not None:
            self.notify(S.B_RETIRED.format(what=body.label))
        self.reload()

    def action_delete(self) -> None:
        body_id = self.current
        if not body_id:
            return

        def answer(yes: bool | None) -> None:
            if not yes:
                return
            deleted = self.call(lambda: self.sec.registry.delete_body(body_id))
            if deleted is not None:
                self.current = None
                self.secretary_app.offer_undo(body_id, lambda: self.sec.undo_delete(deleted))
                self.notify(S.DELETED_UNDO.format(what=body_id), timeout=8)
                self.reload()

        self.app.push_screen(ConfirmScreen(S.CONFIRM_DELETE.format(what=body_id)), answer)
