"""Extract, update, compile and check the catalogs (Babel); run as `python -m secretary.i18n …`.

    python -m secretary.i18n update    # extract every marked text, merge it into da/sv/en, compile
    python -m secretary.i18n check     # list the msgids that da or sv lacks (exit 1 if any)
    python -m secretary.i18n extract   # only write secretary/i18n/locale/secretary.pot
    python -m secretary.i18n compile   # only write the .mo files from the .po files

Texts are found in secretary/, screens/ and store/ (not exports/: documents follow the body's
language, exports/documents/labels.py) under the keywords _, N_, gettext and ngettext.
English msgstrs are filled with the msgid; Danish and Swedish are left empty for a person to
write (tests/unit/test_i18n.py names every empty one).
"""

from __future__ import annotations

import copy
import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from secretary.i18n import DOMAIN, LANGUAGES, LOCALE_DIR

ROOT = LOCALE_DIR.parents[2]  # the source tree holding secretary/ and screens/
SOURCES = ("secretary", "screens", "store")
KEYWORDS = {"_": None, "N_": None, "gettext": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2), "_p": ((1, "c"), 2)}
METHOD_MAP = [("**/i18n/**.py", "ignore"), ("**.py", "python")]
TRANSLATED = tuple(lang for lang in LANGUAGES if lang != "en")


def po_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"


def extract(root: Path = ROOT) -> Catalog:
    """Every marked text of the source, with where it is used."""
    template = Catalog(project="secretary", domain=DOMAIN, fuzzy=False, header_comment="# The interface of secretary.")
    for source in SOURCES:
        for filename, lineno, message, comments, context in extract_from_dir(
            root / source, METHOD_MAP, keywords=KEYWORDS, comment_tags=("TRANSLATORS:",), strip_comment_tags=True
        ):
            if not message or (isinstance(message, tuple) and not message[0]):
                continue
            template.add(message, None, [(f"{source}/{filename}", lineno)], auto_comments=comments, context=context)
    return template


def read_catalog(lang: str) -> Catalog | None:
    path = po_path(lang)
    if not path.exists():
        return None
    with open(path, "rb") as handle:
        return read_po(handle, locale=lang, domain=DOMAIN)


def _write_po(catalog: Catalog, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100, sort_output=False, omit_header=False, include_previous=False)
    path.write_bytes(buffer.getvalue())


def missing(template: Catalog, catalog: Catalog | None) -> list[str]:
    """The template's msgids that `catalog` has no (non-fuzzy, non-empty) translation for."""
    found = []
    for message in template:
        if not message.id:
            continue
        key = str(message.id if not isinstance(message.id, tuple | list) else message.id[0])
        if message.context:
            key = f"{key} (context {message.context!r})"
        entry = catalog.get(message.id, context=message.context) if catalog is not None else None
        strings = entry.string if entry is not None else None
        if isinstance(strings, tuple | list):
            empty = not all(strings)
        else:
            empty = not strings
        if entry is None or empty or entry.fuzzy:
            found.append(key)
    return found


def update(root: Path = ROOT) -> dict[str, list[str]]:
    """Merge the source's texts into every catalog and compile; returns what each still lacks."""
    template = extract(root)
    _write_po(template, LOCALE_DIR / f"{DOMAIN}.pot")
    lacking: dict[str, list[str]] = {}
    for lang in LANGUAGES:
        catalog = read_catalog(lang) or Catalog(locale=lang, domain=DOMAIN, project="secretary")
        catalog.update(copy.deepcopy(template), no_fuzzy_matching=True, update_header_comment=False)  # en fills its copy
        catalog.fuzzy = False  # a fuzzy header is left out of the .mo, and with it the charset
        catalog.obsolete.clear()  # a text gone from the source leaves its catalogs too (git keeps history)
        if lang == "en":
            for message in catalog:
                if message.id:
                    message.string = message.id if not isinstance(message.id, tuple) else tuple(message.id)
                    message.flags.discard("fuzzy")
        _write_po(catalog, po_path(lang))
        lacking[lang] = missing(template, catalog)
    compile_all()
    return lacking


def compile_all() -> None:
    for lang in LANGUAGES:
        catalog = read_catalog(lang)
        if catalog is None:
            continue
        buffer = io.BytesIO()
        write_mo(buffer, catalog, use_fuzzy=False)
        mo_path(lang).write_bytes(buffer.getvalue())


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    command = args[0] if args else "check"
    if command == "extract":
        template = extract()
        _write_po(template, LOCALE_DIR / f"{DOMAIN}.pot")
        print(f"{len(template)} texts in {LOCALE_DIR / (DOMAIN + '.pot')}")
        return 0
    if command == "compile":
        compile_all()
        return 0
    if command in ("update", "check"):
        lacking = update() if command == "update" else {lang: missing(extract(), read_catalog(lang)) for lang in TRANSLATED}
        bad = 0
        for lang in TRANSLATED:
            for msgid in lacking.get(lang, []):
                bad += 1
                print(f"{po_path(lang).relative_to(ROOT)}: no translation for {msgid!r}")
        if bad:
            print(f"{bad} texts to translate: write their msgstr in the .po files, then run `python -m secretary.i18n compile`.")
            return 1
        print("every text has its Danish and Swedish translation.")
        return 0
    print("usage: python -m secretary.i18n [extract|update|compile|check]", file=sys.stderr)
    return 2
