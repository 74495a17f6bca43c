"""Every read a view needs lives in a selector (selectors.py, taking the acting membership): a view module
never queries a model manager itself."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SKIP = {".venv", "node_modules", "tests"}
MANAGER = re.compile(r"\.objects\b|\._default_manager\b")


def test_no_model_manager_in_view_modules():
    found = []
    for path in sorted(ROOT.glob("**/*views*.py")):
        rel = path.relative_to(ROOT)
        if SKIP & set(rel.parts):
            continue
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            if MANAGER.search(line):
                found.append(f"{rel}:{number}: {line.strip()}")
    assert not found, "Move these reads into the app's selectors.py:\n" + "\n".join(found)
