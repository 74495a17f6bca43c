"""docs/domain.md shows the shipped rule table with each row's legal source: it must say what the code ships."""

import pathlib

from trajects.rule_data import DEFAULT_RULES

DOC = pathlib.Path(__file__).resolve().parents[2] / "docs" / "domain.md"


def test_the_domain_doc_lists_every_shipped_rule_with_its_value_and_source():
    text = DOC.read_text()
    missing = [
        f"{row['regime']}.{row['key']}" for row in DEFAULT_RULES
        if f"| {row['regime']} | `{row['key']}` | {row['value']} {row['unit']} | {row['source']} |" not in text
    ]
    assert not missing, f"Update the rule table in docs/domain.md §2 for: {missing}"
