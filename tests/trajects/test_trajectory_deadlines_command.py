"""The `trajectory_deadlines` command: JSON output, Dutch errors, and the documented example."""

import json
import re
import shlex
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

RULES_DOC = Path(__file__).resolve().parents[2] / "docs" / "rules.md"


def run(*args: str) -> dict:
    out = StringIO()
    call_command("trajectory_deadlines", *args, stdout=out)
    return json.loads(out.getvalue())


def test_imw_example():
    data = run(
        "--regime",
        "IMW_5Y",
        "--start",
        "2024-10-07",
        "--decision-date",
        "2024-09-30",
        "--suspension",
        "2025-05-01:2025-05-31:maternity",
        "--today",
        "2025-01-01",
    )
    deadlines = data.pop("deadlines")
    assert data == {
        "regime": "IMW_5Y",
        "start": "2024-10-07",
        "term_start": "2024-07-01",
        "planned_end": "2029-07-31",
        "days_left": 1672,
    }
    assert [(d["kind"], d["due"]) for d in deadlines] == [
        ("first_pop_due", "2024-11-07"),
        ("imw_renewal_window_opens", "2027-08-01"),
        ("imw_renewal_request_due", "2029-01-31"),
        ("trajectory_end", "2029-07-31"),
    ]
    assert all(set(d) == {"kind", "due", "rule", "source"} for d in deadlines)
    assert deadlines[3]["rule"].startswith("IMW_5Y.term_years:")
    assert "BVR 15/07/2022" in deadlines[3]["source"]


def test_age_55_extension_with_birth_date():
    data = run(
        "--regime",
        "LDE",
        "--start",
        "2012-09-03",
        "--birth-date",
        "1961-04-12",
        "--extension",
        "60:AGE_55:2020-02-15",
        "--today",
        "2025-03-31",
    )
    assert (data["term_start"], data["planned_end"], data["days_left"]) == ("2015-04-01", "2025-03-31", 0)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--regime", "LDE", "--start", "2024-02-30"], "ongeldige datum"),
        (["--regime", "LDE", "--start", "01/03/2020"], "JJJJ-MM-DD"),
        (["--regime", "SINE", "--start", "2020-01-01"], "onbekend regime"),
        (["--regime", "IMW_5Y", "--start", "2024-01-01"], "beslissingsdatum"),
        (["--regime", "IMW_2Y", "--start", "2024-01-01", "--decision-date", "2024-1-5"], "--decision-date"),
        (["--regime", "LDE", "--start", "2020-01-01", "--suspension", "2021-02-01:2021-01-01"], "na de einddatum"),
        (["--regime", "LDE", "--start", "2020-01-01", "--suspension", "2021-02-01"], "VAN:TOT"),
        (
            ["--regime", "LDE", "--start", "2020-01-01", "--suspension", "2021-01-01:2021-02-01:holiday"],
            "Onbekende reden",
        ),
        (["--regime", "LDE", "--start", "2020-01-01", "--extension", "12:SEVENTH_YEAR"], "Onbekende reden"),
        (["--regime", "LDE", "--start", "2020-01-01", "--extension", "twelve:SIXTH_YEAR"], "aantal maanden"),
        (["--regime", "LDE", "--start", "2020-01-01", "--extension", "0:AGE_55"], "geboortedatum"),
        (["--regime", "LDE", "--start", "2018-03-01", "--birth-date", "1990-01-01", "--extension", "0:AGE_55"], "55"),
        (["--regime", "LDE", "--start", "2023-07-01"], "30/06/2023"),
        (
            [
                "--regime",
                "IMW_2Y",
                "--start",
                "2024-01-01",
                "--decision-date",
                "2024-01-05",
                "--extension",
                "12:SIXTH_YEAR",
            ],
            "bestaat niet",
        ),
        (["--regime", "LDE", "--start", "2020-01-01", "--today", "tomorrow"], "--today"),
    ],
)
def test_bad_arguments_raise_command_error(args, message):
    with pytest.raises(CommandError, match=message):
        call_command("trajectory_deadlines", *args, stdout=StringIO())


def _documented_example(doc=RULES_DOC) -> tuple[list[str], dict]:
    text = doc.read_text(encoding="utf-8")
    section = re.search(r"<!-- rules-example:start -->(.*?)<!-- rules-example:end -->", text, re.S)
    assert section, f"{doc.name} lacks the rules-example markers"
    blocks = dict(re.findall(r"```(sh|json)\n(.*?)```", section.group(1), re.S))
    argv = shlex.split(blocks["sh"].replace("\\\n", " "))
    args = argv[argv.index("trajectory_deadlines") + 1 :]
    return args, json.loads(blocks["json"])


@pytest.mark.parametrize("doc", [RULES_DOC, RULES_DOC.parents[1] / "README.md"], ids=["docs/rules.md", "README.md"])
def test_documented_example_is_reproduced_exactly(doc):
    args, expected = _documented_example(doc)
    out = StringIO()
    call_command("trajectory_deadlines", *args, stdout=out)
    assert json.loads(out.getvalue()) == expected
    assert out.getvalue().strip() == json.dumps(expected, indent=2, ensure_ascii=False)
