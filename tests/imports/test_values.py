"""Every messy value real spreadsheets contain, with the exact Dutch message (issue #18)."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from lde_portal.imports.registry import Column
from lde_portal.imports.values import CellError, parse_cell

TODAY = datetime.date(2026, 12, 2)
D = datetime.date
DATE = Column("d", "Startdatum", kind="date")


@pytest.fixture(autouse=True)
def dutch():
    with translation.override("nl"):
        yield


@pytest.mark.parametrize("raw, expected", [
    (datetime.datetime(2024, 3, 4, 0, 0), D(2024, 3, 4)),  # a real date cell
    (D(2024, 3, 4), D(2024, 3, 4)),
    (45355, D(2024, 3, 4)),  # Excel serial number
    (45355.0, D(2024, 3, 4)),
    ("45355", D(2024, 3, 4)),  # a serial that became text in a CSV
    ("04/03/2024", D(2024, 3, 4)),  # dd/mm/yyyy
    ("4/3/2024", D(2024, 3, 4)),
    ("4/3/24", D(2024, 3, 4)),  # d/m/yy
    ("04.03.2024", D(2024, 3, 4)),  # dd.mm.yyyy
    ("04-03-2024", D(2024, 3, 4)),
    ("2024-03-04", D(2024, 3, 4)),  # ISO
    ("2024-03-04 00:00:00", D(2024, 3, 4)),
    ("  04/03/2024 ", D(2024, 3, 4)),  # trailing spaces
    ("12/05/65", D(1965, 5, 12)),  # 1965: never 2065
    ("", None),
    (None, None),
])
def test_dates(raw, expected):
    assert parse_cell(DATE, raw, today=TODAY) == expected


@pytest.mark.parametrize("raw, message", [
    ("03/25/2024", "'03/25/2024' lijkt maand/dag (Amerikaanse volgorde). Schrijf de dag eerst: dd/mm/jjjj."),
    ("1/1/40", "'1/1/40' heeft een jaartal van twee cijfers dat 1940 of 2040 kan zijn. Schrijf het jaar in vier "
               "cijfers (dd/mm/jjjj)."),
    ("31/02/2024", "'31/02/2024' is geen bestaande datum. Schrijf ze als dd/mm/jjjj (bv. 31/01/2024)."),
    ("maart 2024", "'maart 2024' is geen datum. Aanvaard: dd/mm/jjjj, d/m/jj, dd.mm.jjjj, jjjj-mm-dd, of een "
                   "datumcel."),
    (3000000, "Het getal 3000000 is geen datum. Schrijf ze als dd/mm/jjjj."),
])
def test_dates_refused(raw, message):
    with pytest.raises(CellError) as exc:
        parse_cell(DATE, raw, today=TODAY)
    assert exc.value.message == message


INSZ = Column("insz", "INSZ", kind="insz")


@pytest.mark.parametrize("raw", ["85.07.30-033.28", "85073003328", "850730 033 28", " 85.07.30-033.28 ",
                                 85073003328, 85073003328.0])
def test_insz_spellings(raw):
    assert parse_cell(INSZ, raw) == "85073003328"


def test_insz_of_someone_born_in_2000s_keeps_its_leading_zero_from_a_number_cell():
    from stdnum.be import nn

    insz = "01020300170"
    assert nn.is_valid(insz)
    assert parse_cell(INSZ, int(insz)) == insz


@pytest.mark.parametrize("raw, message", [
    ("85.07.30-033.29", "INSZ '85.07.30-033.29' is niet geldig: de controlecijfers kloppen niet. Controleer het "
                        "nummer op de identiteitskaart."),
    ("8507300332", "INSZ '8507300332' heeft 10 cijfers; een INSZ heeft er 11 (bv. 85.07.30-033.28)."),
])
def test_insz_refused(raw, message):
    with pytest.raises(CellError) as exc:
        parse_cell(INSZ, raw)
    assert exc.value.message == message


HOURS = Column("h", "Uren per week", kind="decimal")


@pytest.mark.parametrize("raw, expected", [
    ("19,5", Decimal("19.5")), ("19.5", Decimal("19.5")), (19.5, Decimal("19.5")), (38, Decimal(38)),
    (" 19,5 ", Decimal("19.5")), ("1.250,75", Decimal("1250.75")), ("1,250.75", Decimal("1250.75")),
    ("€ 12,50", Decimal("12.50")),
])
def test_decimals(raw, expected):
    assert parse_cell(HOURS, raw) == expected


@pytest.mark.parametrize("raw", ["19,5 uur", "1.25,5", "x"])
def test_decimals_refused(raw):
    with pytest.raises(CellError):
        parse_cell(HOURS, raw)


BOOL = Column("b", "Voltijds", kind="boolean")


@pytest.mark.parametrize("raw, expected", [
    ("ja", True), ("Ja ", True), ("JA", True), ("nee", False), ("Neen", False), ("x", True), (1, True),
    (0, False), (True, True), ("yes", True), ("", None),
])
def test_booleans(raw, expected):
    assert parse_cell(BOOL, raw) is expected


def test_boolean_refused():
    with pytest.raises(CellError) as exc:
        parse_cell(BOOL, "misschien")
    assert exc.value.message == "'misschien' is geen ja of nee."


REGIME = Column("r", "Regime", kind="choice",
                choices=lambda org: {"lde": "lde", "Lokale diensteneconomie": "lde", "imw": "imw",
                                     "Individueel maatwerk": "imw"})


@pytest.mark.parametrize("raw", ["lde", "LDE", " Lde ", "lokale diensteneconomie", "LOKALE DIENSTENECONOMIE"])
def test_choice_by_code_or_label_any_case(raw):
    assert parse_cell(REGIME, raw, cache={}) == "lde"


def test_unknown_choice_lists_the_known_ones():
    with pytest.raises(CellError) as exc:
        parse_cell(REGIME, "sine", cache={})
    assert exc.value.message == ("'sine' is geen gekende waarde voor Regime. Gekend: lde, Lokale diensteneconomie, "
                                 "imw, Individueel maatwerk.")


def test_text_email_phone():
    assert parse_cell(Column("t", "Naam"), "  Peeters ") == "Peeters"
    assert parse_cell(Column("t", "Naam"), None) == ""
    assert parse_cell(Column("t", "Postcode"), 9000.0) == "9000"
    assert parse_cell(Column("e", "E-mail", kind="email"), " An.Peeters@Example.BE ") == "an.peeters@example.be"
    assert parse_cell(Column("p", "Telefoon", kind="phone"), 470123456) == "0470123456"
    assert parse_cell(Column("i", "Kinderen", kind="integer"), "2") == 2
    with pytest.raises(CellError) as exc:
        parse_cell(Column("e", "E-mail", kind="email"), "an.peeters")
    assert exc.value.message == "'an.peeters' is geen geldig e-mailadres."
