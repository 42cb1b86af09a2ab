"""The published site: pure functions from domain objects to the files of a static site.

`plan(data)` lists the site's pages (file path, template, the page's data as plain
dicts from exports/site/views.py) and its pictures; `Renderer(theme).render(page)`
turns one page into bytes with Jinja2 (autoescape on). A page's `digest` is the
SHA-256 of everything its bytes depend on (its data, the templates and the
stylesheet), so a caller can skip rendering a page whose digest it has seen.
Nothing here reads a clock or a file outside this package: the same data and
the same theme give the same bytes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from importlib import resources

import orjson

from exports.site import views
from exports.site.strings import strings
from exports.site.views import SiteInput

TEMPLATES = ("base.html", "meeting_list.html", "front.html", "body.html", "year.html", "meeting.html", "anslag.html", "search.html")
STYLESHEET = "style.css"
SEARCH_SCRIPT = "search.js"


@dataclass(frozen=True)
class Theme:
    """An organisation's look: templates that replace the product's by name, CSS appended to the
    stylesheet (colours, fonts), and a logo (file name and bytes) shown in every page's header."""

    templates: Mapping[str, str] = field(default_factory=dict)
    css: str = ""
    logo: tuple[str, bytes] | None = None
    name: str = ""


@dataclass(frozen=True)
class Page:
    """One file of the site: rendered from `template` with `context`, or made by `make`."""

    file: str
    template: str | None
    context: dict
    make: Callable[[], bytes] | None = None
    key: object = None  # what `make` depends on (for the digest)


def _package_text(name: str) -> str:
    return resources.files("exports.site").joinpath("templates", name).read_text("utf-8")


class Renderer:
    """Jinja2 over the product's templates, an organisation's replacing them by name."""

    def __init__(self, theme: Theme | None = None):
        from jinja2 import ChoiceLoader, DictLoader, Environment, StrictUndefined

        self.theme = theme or Theme()
        own = {name: _package_text(name) for name in TEMPLATES}
        self.env = Environment(
            loader=ChoiceLoader([DictLoader(dict(self.theme.templates)), DictLoader(own)]),
            autoescape=True,
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        sources = {**own, **self.theme.templates}
        self.stylesheet = (_package_text(STYLESHEET) + ("\n/* theme */\n" + self.theme.css if self.theme.css else "")).encode()
        logo = self.theme.logo
        self.fingerprint = hashlib.sha256(orjson.dumps(
            {"templates": sources, "css": self.stylesheet.decode(), "logo": [logo[0], hashlib.sha256(logo[1]).hexdigest()]
             if logo else None, "name": self.theme.name}, option=orjson.OPT_SORT_KEYS)).hexdigest()

    def digest(self, page: Page) -> str:
        """What the page's bytes depend on, hashed."""
        if page.template is None:
            payload = orjson.dumps({"key": page.key}, option=orjson.OPT_SORT_KEYS, default=str)
        else:
            payload = orjson.dumps({"t": page.template, "c": page.context, "f": self.fingerprint}, option=orjson.OPT_SORT_KEYS)
        return hashlib.sha256(payload).hexdigest()

    def render(self, page: Page) -> bytes:
        if page.template is None:
            assert page.make is not None
            return page.make()
        template = self.env.get_template(page.template)
        depth = page.file.count("/")
        context = dict(page.context)
        context["root"] = "../" * depth
        context["logo"] = f"assets/{self.theme.logo[0]}" if self.theme.logo else None
        context["organisation"] = self.theme.name or context.get("organisation", "")
        return template.render(**context).encode("utf-8")

    def static_files(self) -> dict[str, bytes]:
        """The stylesheet, the search page's script and the theme's logo."""
        files = {STYLESHEET: self.stylesheet, SEARCH_SCRIPT: _package_text(SEARCH_SCRIPT).encode()}
        if self.theme.logo:
            files[f"assets/{self.theme.logo[0]}"] = self.theme.logo[1]
        return files


def _common(language: str, title: str, front_language: str, organisation: str, has_board: bool) -> dict:
    words = strings(language)
    return {
        "lang": language,
        "w": words,
        "title": title,
        "organisation": organisation,
        "site_title": words["site_title"],
        "has_board": has_board,
        "front_lang": front_language,
    }


def plan(data: SiteInput) -> list[Page]:
    """Every page of the site in a fixed order, each with the plain data it shows."""
    from exports.arshjul import arshjul_svg

    bodies = {b.id: b for b in data.bodies}
    by_body: dict[str, list] = {b: [] for b in sorted(bodies)}
    for meeting in data.meetings:
        if meeting.body in by_body:
            by_body[meeting.body].append(meeting)
    for meetings in by_body.values():
        meetings.sort(key=lambda m: (m.start, m.id))
    language = views.site_language(data.bodies) if data.bodies else "en"
    # The organisation named in the header: the secretariat with a website (the one that publishes), else the first.
    secretariats = sorted((b for b in data.bodies if b.kind == "secretariat"), key=lambda b: (not b.website, b.id))
    secretariat = secretariats[0] if secretariats else None
    organisation = secretariat.name if secretariat else ""
    board = views.notice_board(data, by_body, bodies)
    has_board = any(b.language == "sv" for b in data.bodies)
    words = strings(language)

    pages: list[Page] = []
    front = views.front_page(data, by_body, bodies, language)
    pages.append(Page("index.html", "front.html", {**_common(language, words["site_title"], language,
                                                               organisation, has_board), **front}))
    pages.append(Page("search/index.html", "search.html", _common(language, words["search"], language, organisation, has_board)))
    if has_board:
        pages.append(Page("anslagstavla/index.html", "anslag.html",
                          {**_common("sv", strings("sv")["anslagstavla"], language, organisation, has_board), **board}))
    for body_id, meetings in by_body.items():
        body = bodies[body_id]
        year = data.today.year
        wheel_meetings = [m for m in meetings if views.meeting_day(m, body).year == year]
        wheel_milestones = [m for m in data.milestones if m.body == body.id and m.occurs_in(year)]
        wheel_year = year if wheel_meetings or wheel_milestones else None
        view = views.body_page(body, meetings, data, bodies, wheel_year)
        pages.append(Page(views.page_file(views.body_path(body.id)), "body.html",
                          {**_common(body.language, body.name, language, organisation, has_board), **view}))
        if wheel_year is not None:
            key = ("arshjul", wheel_year, body.model_dump(mode="json"), [m.model_dump(mode="json") for m in wheel_meetings],
                   [m.model_dump(mode="json") for m in wheel_milestones])

            def wheel(body=body, wheel_meetings=wheel_meetings, wheel_milestones=wheel_milestones, wheel_year=wheel_year) -> bytes:
                title = f"{strings(body.language)['arshjul'].format(year=wheel_year)}: {body.label}"
                return arshjul_svg(wheel_year, [body], wheel_meetings, wheel_milestones, language=body.language, title=title)

            pages.append(Page(views.arshjul_path(body.id, wheel_year), None, {}, make=wheel, key=key))
        years: dict[int, list] = {}
        for meeting in meetings:
            years.setdefault(views.meeting_day(meeting, body).year, []).append(meeting)
        for y, in_year in sorted(years.items()):
            view = views.year_page(body, y, in_year)
            pages.append(Page(views.page_file(views.year_path(body.id, y)), "year.html",
                              {**_common(body.language, view["title"], language, organisation, has_board), **view,
                               "body_id": body.id}))
        for meeting in meetings:
            view = views.meeting_page(meeting, body, data)
            pages.append(Page(views.page_file(views.meeting_path(meeting.id)), "meeting.html",
                              {**_common(body.language, view["title"], language, organisation, has_board), **view}))
    return pages
