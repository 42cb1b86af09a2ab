"""The published site as a service: gathers what is public and published, renders it through
the pure exporter (exports/site), and writes a static site or hands the files to the server.

Only the public face leaves (exports/site/views.py is the filter): public agendas once
published, public minutes once published, public .docx rendered by the DocumentService,
the body feeds and the feed of everything (never a personal feed or a token), and the
members as name, title and organisation.

    secretary export site -o DIR     writes DIR; a second run rewrites only what changed
    secretary serve                  serves the same files at / beside /calendars/

The public address of the site (for feeds' links to meeting pages and the subscribe
buttons) is $SECRETARY_PUBLIC_URL, else `public_url` in `site.toml` beside the database.
An organisation's look lives in `site-theme/` beside the database: `templates/*.html`
replace the product's templates by name, `theme.css` is appended to the stylesheet,
`logo.svg` or `logo.png` is shown in the header, `name.txt` names the organisation.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import orjson

from secretary.domain.errors import SecretaryError
from secretary.i18n import _
from secretary.services.clock import Clock
from secretary.services.ports import Store
from secretary.services.public import public_url
from secretary.services.records import Records

if TYPE_CHECKING:
    from exports.site import Renderer, Theme
    from secretary.services.documents import DocumentService
    from secretary.services.feeds import FeedService

THEME_FOLDER = "site-theme"
MANIFEST = ".secretary-site.json"
SEARCH_FOLDER = "pagefind"


def read_theme(location: Path) -> Theme:
    from exports.site import TEMPLATES, Theme

    folder = Path(location).parent / THEME_FOLDER
    if not folder.is_dir():
        return Theme()
    templates = {}
    for path in sorted((folder / "templates").glob("*.html")) if (folder / "templates").is_dir() else []:
        if path.name not in TEMPLATES:
            raise SecretaryError(_("{path}: not a template of the site (one of {templates})").format(
                                     path=path, templates=', '.join(TEMPLATES),
                                 ))
        templates[path.name] = path.read_text("utf-8")
    css = (folder / "theme.css").read_text("utf-8") if (folder / "theme.css").is_file() else ""
    logo = None
    for name in ("logo.svg", "logo.png"):
        if (folder / name).is_file():
            logo = (name, (folder / name).read_bytes())
            break
    name_file = folder / "name.txt"
    return Theme(templates=templates, css=css, logo=logo, name=name_file.read_text("utf-8").strip() if name_file.is_file() else "")


@dataclass
class SiteFile:
    """One file of the site: its digest (what its bytes depend on) and how to make its bytes."""

    path: str
    digest: str
    make: Callable[[], bytes]
    html: bool = False


@dataclass
class ExportReport:
    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    rendered: int = 0
    removed: list[str] = field(default_factory=list)


def _constant(data: bytes) -> Callable[[], bytes]:
    return lambda: data


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _dump(obj) -> bytes:
    return orjson.dumps(obj, option=orjson.OPT_SORT_KEYS, default=str)


def write_public(path: Path, data: bytes) -> None:
    """Write a site file atomically, readable by the web server (0644: the site is public)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        with _suppress():
            os.unlink(tmp)
        raise


class _suppress:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return exc[0] is not None and issubclass(exc[0], OSError)


class SiteService:
    """The published site over one store."""

    def __init__(self, store: Store, clock: Clock, records: Records, documents: DocumentService, feeds: FeedService):
        self.store = store
        self.clock = clock
        self.records = records
        self.documents = documents
        self.feeds = feeds

    def public_url(self) -> str | None:
        return public_url(self.store.location)

    # -- gathering -------------------------------------------------------------------------

    def site_input(self, now: dt.datetime):
        from exports.site.views import SiteInput

        bodies = self.store.bodies.all()
        from zoneinfo import ZoneInfo

        from exports.ics import dominant

        today = now.astimezone(ZoneInfo(dominant(list(bodies.values()))[1])).date()
        return SiteInput(
            today=today,
            bodies=[bodies[key] for key in sorted(bodies)],
            organisations=self.store.organisations.all(),
            people=self.store.people.all(),
            memberships=[seat for _key, seat in sorted(self.store.memberships.all().items())],
            meetings=[m for m in self.store.meetings.all() if m.body in bodies],
            milestones=[m for _key, m in sorted(self.store.milestones.all().items())],
            public_url=self.public_url(),
        )

    def files(self, now: dt.datetime | None = None, theme: Theme | None = None) -> Iterator[SiteFile]:
        """Every file of the site, in a fixed order, each with its digest and its maker."""
        from exports.documents.filenames import document_filename
        from exports.site import Renderer, plan
        from exports.site.views import meeting_path, offered_documents, public_copy
        from secretary.services.documents import find_template

        now = now or self.clock()
        data = self.site_input(now)
        renderer: Renderer = Renderer(theme if theme is not None else read_theme(self.store.location))
        for name, content in sorted(renderer.static_files().items()):
            yield SiteFile(name, _sha(content), _constant(content))
        for page in plan(data):
            yield SiteFile(page.file, renderer.digest(page), functools.partial(renderer.render, page), html=page.file.endswith(".html"))
        # The public .docx of each published agenda and minutes, rendered by the DocumentService.
        bodies = {b.id: b for b in data.bodies}
        registry = _sha(_dump([
            {k: v.model_dump(mode="json") for k, v in sorted(data.people.items())},
            {k: v.model_dump(mode="json") for k, v in sorted(data.organisations.items())},
            [b.model_dump(mode="json") for b in data.bodies],
            [s.model_dump(mode="json") for s in data.memberships],
        ]))
        groups: dict[tuple[str, int], list] = {}
        for meeting in data.meetings:
            groups.setdefault((meeting.body, meeting.year), []).append(meeting)
        group_digest = {key: _sha(_dump(sorted((m.model_dump(mode="json") for m in ms), key=lambda d: d["id"])))
                        for key, ms in groups.items()}
        templates: dict[str, str] = {}
        for meeting in sorted(data.meetings, key=lambda m: (m.body, m.start, m.id)):
            body = bodies[meeting.body]
            offered = offered_documents(meeting, body)
            if not offered:
                continue
            if body.id not in templates:
                template, _name = find_template(self.store.location, body.id)
                templates[body.id] = _sha(template) if template else ""
            for kind, name in offered:
                assert name == document_filename(meeting, body, kind, True)
                digest = _sha(_dump(["docx", kind, meeting.id, group_digest[(meeting.body, meeting.year)], registry,
                                     templates[body.id]]))

                def docx(meeting=meeting, kind=kind, language=body.language) -> bytes:
                    copy = public_copy(meeting, language)  # closed items: the number and the notice only
                    return self.documents.render(meeting.id, kind, public=True, meeting=copy).data

                yield SiteFile(meeting_path(meeting.id) + name, digest, docx)
        # The body feeds and the feed of everything (no personal feed: those hold a token).
        for path, feed in self.feeds.public_feeds(now):
            yield SiteFile(path.lstrip("/"), _sha(feed), _constant(feed))

    def pages(self, now: dt.datetime | None = None) -> dict[str, SiteFile]:
        """The site's files by path, for the server (made on request)."""
        return {f.path: f for f in self.files(now)}

    def search_files(self, files: dict[str, SiteFile]) -> dict[str, bytes]:
        """Pagefind's index over the site's pages (for the server: made in a temporary folder)."""
        with tempfile.TemporaryDirectory(prefix="secretary-site-") as tmp:
            for path, site_file in files.items():
                if site_file.html:
                    target = Path(tmp) / path
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(site_file.make())
            return search_index(Path(tmp))

    # -- the static site ----------------------------------------------------------------------

    def export(self, folder: Path, now: dt.datetime | None = None, incremental: bool = True, search: bool = True) -> ExportReport:
        """Write the site into `folder`; with `incremental`, render and write only the files whose
        data changed since the last export there (by `MANIFEST`), and remove those that went."""
        folder = Path(folder)
        if folder.exists() and not folder.is_dir():
            raise SecretaryError(_("-o {folder}: a file of that name is in the way").format(folder=folder))
        folder.mkdir(parents=True, exist_ok=True)
        manifest_path = folder / MANIFEST
        old: dict[str, dict] = {}
        if incremental and manifest_path.is_file():
            try:
                old = orjson.loads(manifest_path.read_bytes()).get("files", {})
            except orjson.JSONDecodeError:
                old = {}
        elif folder.exists() and any(folder.iterdir()) and not manifest_path.is_file():
            raise SecretaryError(_("-o {folder}: the folder is not empty and holds no site "
                                   "written by secretary; choose an empty folder").format(
                                     folder=folder,
                                 ))
        report = ExportReport()
        new: dict[str, dict] = {}
        html_changed = False
        for site_file in self.files(now):
            target = folder / site_file.path
            before = old.get(site_file.path)
            if before and before.get("digest") == site_file.digest and target.is_file() and target.stat().st_size == before["size"]:
                new[site_file.path] = before
                report.unchanged += 1
                continue
            data = site_file.make()
            report.rendered += 1
            sha = _sha(data)
            if not (before and before.get("sha256") == sha and target.is_file() and target.stat().st_size == len(data)):
                write_public(target, data)
                report.written.append(site_file.path)
                html_changed = html_changed or site_file.html
            else:
                report.unchanged += 1
            new[site_file.path] = {"digest": site_file.digest, "sha256": sha, "size": len(data)}
        if search and (html_changed or not (folder / SEARCH_FOLDER).is_dir() or set(old) - set(new)):
            for path, data in sorted(search_index(folder).items()):
                before = old.get(path)
                sha = _sha(data)
                if not (before and before.get("sha256") == sha and (folder / path).is_file()):
                    write_public(folder / path, data)
                    report.written.append(path)
                new[path] = {"digest": sha, "sha256": sha, "size": len(data)}
        elif search:
            new.update({path: entry for path, entry in old.items() if path.startswith(SEARCH_FOLDER + "/")})
        for path in sorted(set(old) - set(new)):
            with _suppress():
                (folder / path).unlink()
            report.removed.append(path)
        write_public(manifest_path, orjson.dumps({"format": "secretary-site/1", "files": new},
                                                 option=orjson.OPT_SORT_KEYS | orjson.OPT_INDENT_2))
        return report


def search_index(site: Path) -> dict[str, bytes]:
    """Pagefind's static search index (the `pagefind/` folder) for the HTML under `site`, as files.

    Pagefind (https://pagefind.app, the PyPI package `pagefind[bin]` ships its binary) indexes
    every element marked `data-pagefind-body`; the index is fragments fetched by the search
    page's script, so search works on any static host without a server.
    """
    with tempfile.TemporaryDirectory(prefix="secretary-pagefind-") as tmp:
        out = Path(tmp) / SEARCH_FOLDER
        try:
            done = subprocess.run(
                [sys.executable, "-m", "pagefind", "--site", str(site), "--output-path", str(out), "--silent"],
                capture_output=True, text=True, timeout=600, check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise SecretaryError(_("the search index could not be built: {exc}").format(exc=exc)) from None
        if done.returncode != 0:
            detail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no message"]
            raise SecretaryError(_("the search index could not be built (pagefind): {detail}").format(detail=detail[0]))
        return {f"{SEARCH_FOLDER}/{p.relative_to(out).as_posix()}": p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
