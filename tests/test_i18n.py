"""Welsh: a catalogue of every string of ours, compiled at install, offered
in the language menu, and served under /cy/."""
from __future__ import annotations

import re
from pathlib import Path

import ckanext.ldeco.i18n as catalogues
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
PO = Path(catalogues.__path__[0]) / "cy" / "LC_MESSAGES" / "ckanext-ldeco.po"
PLACEHOLDER = re.compile(r"\{[^}]*\}|%\([a-z_]+\)s")
UPDATE = ("run `python setup.py extract_messages` and `python setup.py update_catalog -l cy`, "
          "then translate the new entries of i18n/cy/LC_MESSAGES/ckanext-ldeco.po")


def _catalogue():
    with PO.open("rb") as f:
        return read_po(f, locale="cy")


def _extracted() -> set:
    """Every string the code, templates and schemas hand to gettext, as setup.py's extractors see them."""
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "ungettext": (1, 2), "N_": None}
    found = set()
    for folder, method_map in (
        ("ckanext", [("**.py", "python"), ("**/templates/**.html", "ckan.lib.extract:extract_ckan")]),
        ("schemas", [("*.yaml", "ckanext.ldeco.i18n.extract:extract_schema")]),
        ("i18n", [("core_strings.py", "python")]),
    ):
        for _file, _line, message, _comments, _context in extract_from_dir(
                str(ROOT / folder), method_map, keywords=keywords):
            found.add(message)
    return found


def test_every_string_of_ours_has_a_welsh_translation():
    cat = _catalogue()
    translated = {m.id for m in cat if m.id and not m.fuzzy and all(m.string if isinstance(m.string, tuple)
                                                                    else [m.string])}
    missing = sorted(map(str, _extracted() - translated))
    assert missing == [], f"{len(missing)} strings have no Welsh translation: {UPDATE}"


def test_translations_keep_every_placeholder():
    wrong = []
    for m in _catalogue():
        if not m.id:
            continue
        source = m.id[-1] if isinstance(m.id, tuple) else m.id
        for text in m.string if isinstance(m.string, tuple) else (m.string,):
            if sorted(PLACEHOLDER.findall(text)) != sorted(PLACEHOLDER.findall(source)):
                wrong.append((m.id, text))
    assert wrong == []


def test_the_catalogue_is_compiled_and_current():
    mo = PO.with_suffix(".mo")
    assert mo.exists() and mo.stat().st_mtime >= PO.stat().st_mtime, "services/install.sh compiles it"


def test_welsh_is_in_the_language_menu(portal):
    body = portal.get("/").get_data(as_text=True)
    assert re.search(r'<option value="/cy/[^"]*" lang="cy"', body)


def test_cy_answers_in_welsh(portal):
    res = portal.get("/cy/")
    body = res.get_data(as_text=True)
    assert res.status_code == 200
    assert 'lang="cy"' in body
    assert re.search(r'<option value="/[^"]*" lang="en"', body)  # the way back to English
    assert "Ecosystem data lleol" in body and "Pwy sy'n rhannu data yma" in body
    nav = body.split('id="main-navigation-toggle"', 1)[1].split("</ul>", 1)[0]
    assert "Geiriadur" in nav and "Setiau data" in nav and 'href="/cy/dictionary"' in nav
    about = portal.get("/cy/about").get_data(as_text=True)
    assert "Pum haen o ddata" in about and "Ysgwyd llaw yr hawliau" in about
    assert "Five layers of data" not in about
    # and English stays English
    assert "Five layers of data" in portal.get("/about").get_data(as_text=True)
