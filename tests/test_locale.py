"""The Dutch catalogues are complete, compiled, and actually used.

msgids are English and Dutch is the default language (docs/architecture.md), so an empty or fuzzy msgstr
shows English to a Dutch user. The parser is deliberately tiny (no polib dependency): it reads the
subset of the PO format that makemessages writes.
"""

import ast
import gettext as gettext_module
import re
from pathlib import Path

import pytest
from django.utils import translation

ROOT = Path(__file__).resolve().parent.parent
# A fresh checkout writes django.mo and django.po moments apart in either order; a real stale .mo is
# minutes or days older than its .po.
MTIME_TOLERANCE_SECONDS = 5

CATALOGUES = sorted(
    path
    for path in ROOT.glob("**/locale/nl/LC_MESSAGES/django.po")
    if not {".venv", "node_modules"} & set(path.relative_to(ROOT).parts)
)
PLACEHOLDER = re.compile(r"%\([a-zA-Z_]\w*\)[sdif]|\{\w+\}")


def parse_po(path):
    """Entries of a PO file as dicts: msgctxt, msgid, msgid_plural, msgstr / msgstr[n], flags, line."""
    entries, entry, key = [], None, None

    def start(line_no):
        return {"flags": set(), "line": line_no}

    for line_no, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#~"):  # blank lines and obsolete entries
            key = None
            continue
        if line.startswith("#"):
            if entry is not None and any(k.startswith("msgstr") for k in entry):
                entries.append(entry)
                entry = None
            entry = entry or start(line_no)
            if line.startswith("#,"):
                entry["flags"].update(flag.strip() for flag in line[2:].split(","))
            continue
        match = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(".*")$', line)
        if match:
            key = match.group(1)
            if key in ("msgctxt", "msgid") and entry is not None and any(k.startswith("msgstr") for k in entry):
                entries.append(entry)
                entry = None
            entry = entry or start(line_no)
            entry[key] = ast.literal_eval(match.group(2))
        elif line.startswith('"') and key:
            entry[key] += ast.literal_eval(line)
        else:
            raise AssertionError(f"{path}:{line_no}: unexpected line {raw!r}")
    if entry is not None:
        entries.append(entry)
    return entries


def _translations(entry):
    return [value for key, value in sorted(entry.items()) if key.startswith("msgstr")]


def test_there_are_dutch_catalogues():
    assert ROOT / "locale/nl/LC_MESSAGES/django.po" in CATALOGUES
    assert ROOT / "trajects/locale/nl/LC_MESSAGES/django.po" in CATALOGUES


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_catalogue_is_complete_and_not_fuzzy(po):
    problems = []
    for entry in parse_po(po):
        where = f"{po.relative_to(ROOT)}:{entry['line']} {entry.get('msgid')!r}"
        if "fuzzy" in entry["flags"]:
            problems.append(f"{where}: fuzzy")
        if entry.get("msgid") == "":  # the header
            continue
        translations = _translations(entry)
        if "msgid_plural" in entry and len(translations) < 2:
            problems.append(f"{where}: plural needs msgstr[0] and msgstr[1]")
        if not translations or not all(translations):
            problems.append(f"{where}: untranslated")
        wanted = set(PLACEHOLDER.findall(entry["msgid"] + entry.get("msgid_plural", "")))
        for text in translations:
            if text and set(PLACEHOLDER.findall(text)) != wanted:
                problems.append(f"{where}: placeholders differ in {text!r}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_catalogue_is_compiled(po):
    mo = po.with_suffix(".mo")
    assert mo.exists(), f"{mo.relative_to(ROOT)} is missing: run compilemessages"
    assert mo.stat().st_mtime >= po.stat().st_mtime - MTIME_TOLERANCE_SECONDS, (
        f"{mo.relative_to(ROOT)} is older than its .po: run compilemessages"
    )
    with mo.open("rb") as handle:
        compiled = gettext_module.GNUTranslations(handle)._catalog
    for entry in parse_po(po):
        if entry.get("msgid") == "":
            continue
        msgid = entry["msgid"] if "msgctxt" not in entry else f"{entry['msgctxt']}\x04{entry['msgid']}"
        if "msgid_plural" in entry:
            compiled_value = [compiled.get((msgid, n)) for n in range(len(_translations(entry)))]
        else:
            compiled_value = [compiled.get(msgid)]
        assert compiled_value == _translations(entry), (
            f"{mo.relative_to(ROOT)} does not match {entry['msgid']!r}: run compilemessages"
        )


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_catalogue_is_not_shadowed(po):
    """Django prefers LOCALE_PATHS, then INSTALLED_APPS in order (django.contrib.* first), so another
    catalogue with the same msgid can hide this one's wording; shared words go in lde_portal/vocabulary.py."""
    shadowed = []
    with translation.override("nl"):
        for entry in parse_po(po):
            if entry.get("msgid") == "":
                continue
            if "msgid_plural" in entry:
                shown = [translation.ngettext(entry["msgid"], entry["msgid_plural"], n) for n in (1, 2)]
            elif "msgctxt" in entry:
                shown = [translation.pgettext(entry["msgctxt"], entry["msgid"])]
            else:
                shown = [translation.gettext(entry["msgid"])]
            if shown != _translations(entry):
                shadowed.append(f"{entry['msgid']!r}: shows {shown}, catalogue says {_translations(entry)}")
    assert not shadowed, "\n".join(shadowed)


def test_dutch_unless_english_is_chosen(client):
    login_url = "/accounts/login/"
    assert "Aanmelden" in client.get(login_url).content.decode()
    # An English browser alone does not switch the portal: Dutch is the default (docs/architecture.md).
    assert "Aanmelden" in client.get(login_url, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    client.cookies["django_language"] = "en"
    assert "Log in" in client.get(login_url).content.decode()
    client.cookies["django_language"] = "xx"
    assert "Aanmelden" in client.get(login_url).content.decode()
