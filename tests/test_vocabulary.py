"""The Dutch interface speaks one register: staff (and workers) are addressed as "u"."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
INFORMAL = re.compile(r"\b(je|jou|jouw|jij|jezelf)\b", re.IGNORECASE)


def _catalogues():
    return sorted(
        p for p in ROOT.glob("**/locale/nl/LC_MESSAGES/django.po") if ".venv" not in p.parts
    )


def _msgstrs(path):
    """Yield (msgid, msgstr) with continuation lines joined, plural forms concatenated."""
    msgid, msgstr, target = [], [], None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if line.startswith("msgid"):
            if msgstr:
                yield "".join(msgid), "".join(msgstr)
            msgid, msgstr, target = [], [], msgid
            target = msgid
        elif line.startswith("msgstr"):
            target = msgstr
        elif not line.startswith('"'):
            target = None if not line.startswith("msgid_plural") else msgid
            continue
        match = re.search(r'"(.*)"', line)
        if match and target is not None:
            target.append(match.group(1))
    if msgstr:
        yield "".join(msgid), "".join(msgstr)


def test_catalogues_are_found():
    assert len(_catalogues()) >= 10


@pytest.mark.parametrize("path", _catalogues(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_dutch_msgstr_uses_the_informal_you(path):
    informal = [(mid, mstr) for mid, mstr in _msgstrs(path) if INFORMAL.search(mstr)]
    assert informal == []
