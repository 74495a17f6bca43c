"""Parsing one cell into the Python value its column's kind promises (registry.KINDS).

Every refusal is a Dutch sentence that says what to write instead. Dates are never guessed: a value that
could be two dates (a two-digit year that could be either century, a text that only fits the American
month/day order) is refused and the user writes it out.
"""

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from stdnum.be import nn
from stdnum.exceptions import InvalidChecksum, InvalidLength
from stdnum.exceptions import ValidationError as StdnumError

from .mapping import fold

EXCEL_EPOCH = datetime.date(1899, 12, 30)
# Excel serial numbers of 01/01/1900 and 31/12/2199: a number outside is not a date someone meant.
SERIAL_MIN, SERIAL_MAX = 1, 109572
# A two-digit year is read as 20yy up to this many years ahead of today, as 19yy down to this many years back;
# a year in between could be either century and is refused.
TWO_DIGIT_AHEAD, TWO_DIGIT_BACK = 5, 75
DATE_FORMATS_HELP = "dd/mm/jjjj, d/m/jj, dd.mm.jjjj, jjjj-mm-dd"

TRUE = {"ja", "j", "yes", "y", "true", "waar", "1", "x", "oui", "vrai"}
FALSE = {"nee", "n", "neen", "no", "false", "onwaar", "0", "non", "faux"}

_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]00:00(?::00(?:\.0+)?)?)?$")
_DMY = re.compile(r"^(\d{1,2})([/.\-])(\d{1,2})\2(\d{2}|\d{4})(?: 00:00(?::00)?)?$")


class CellError(ValueError):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = str(message)


def _text(raw) -> str:
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    return str(raw).replace("\u00a0", " ").strip()


def _make_date(y, m, d, raw):
    try:
        return datetime.date(y, m, d)
    except ValueError:
        raise CellError(_("'%(value)s' is not an existing date. Write it as dd/mm/jjjj (e.g. 31/01/2024).")
                        % {"value": raw}) from None


def _two_digit_year(yy: int, raw, today) -> int:
    ahead, back = 2000 + yy, 1900 + yy
    if ahead <= today.year + TWO_DIGIT_AHEAD:
        return ahead
    if back >= today.year - TWO_DIGIT_BACK:
        return back
    raise CellError(_("'%(value)s' has a two-digit year that could be 19%(yy)02d or 20%(yy)02d. Write the year in "
                      "four digits (dd/mm/jjjj).") % {"value": raw, "yy": yy})


def parse_date(raw, today: datetime.date):
    if isinstance(raw, datetime.datetime):
        return raw.date()
    if isinstance(raw, datetime.date):
        return raw
    if isinstance(raw, bool):
        raise CellError(_("'%(value)s' is not a date.") % {"value": raw})
    if isinstance(raw, (int, float)):
        if isinstance(raw, float) and not raw.is_integer():
            raw = int(raw)  # a date-time serial: the day is its whole part
        if not SERIAL_MIN <= raw <= SERIAL_MAX:
            raise CellError(_("The number %(value)s is not a date. Write it as dd/mm/jjjj.") % {"value": raw})
        return EXCEL_EPOCH + datetime.timedelta(days=int(raw))
    text = _text(raw)
    if text.isdigit() and len(text) == 5:
        return parse_date(int(text), today)
    match = _ISO.match(text)
    if match:
        return _make_date(int(match[1]), int(match[2]), int(match[3]), text)
    match = _DMY.match(text)
    if match:
        day, month, year = int(match[1]), int(match[3]), match[4]
        if month > 12 and day <= 12:
            raise CellError(_("'%(value)s' looks like month/day (American order). Write the day first: "
                              "dd/mm/jjjj.") % {"value": text})
        y = int(year) if len(year) == 4 else _two_digit_year(int(year), text, today)
        return _make_date(y, month, day, text)
    raise CellError(_("'%(value)s' is not a date. Accepted: %(formats)s, or a date cell.")
                    % {"value": text, "formats": DATE_FORMATS_HELP})


def parse_insz(raw):
    text = f"{raw:011d}" if isinstance(raw, int) and not isinstance(raw, bool) else _text(raw)
    if isinstance(raw, float) and raw.is_integer():
        text = f"{int(raw):011d}"  # a number cell drops the leading zero of an INSZ born in 2000 or later
    try:
        return nn.validate(text)
    except InvalidLength:
        digits = sum(ch.isdigit() for ch in text)
        raise CellError(_("INSZ '%(value)s' has %(n)s digits; an INSZ has 11 (e.g. 85.07.30-033.28).")
                        % {"value": text, "n": digits}) from None
    except InvalidChecksum:
        raise CellError(_("INSZ '%(value)s' is not valid: the check digits do not match. Check the number on "
                          "the identity card.") % {"value": text}) from None
    except StdnumError:
        raise CellError(_("INSZ '%(value)s' is not valid: write the 11 digits (dots, dashes and spaces are "
                          "allowed).") % {"value": text}) from None


def parse_decimal(raw) -> Decimal:
    if isinstance(raw, bool):
        raise CellError(_("'%(value)s' is not a number.") % {"value": raw})
    if isinstance(raw, int):
        return Decimal(raw)
    if isinstance(raw, float):
        return Decimal(repr(raw))
    text = _text(raw).replace(" ", "").replace("€", "")
    if "," in text and "." in text:
        decimal_mark = "," if text.rfind(",") > text.rfind(".") else "."
        grouping = "." if decimal_mark == "," else ","
        whole, _sep, fraction = text.rpartition(decimal_mark)
        groups = whole.lstrip("-").split(grouping)
        if not all(len(g) == 3 for g in groups[1:]) or not groups[0]:
            raise CellError(_("'%(value)s' is not a number. Write it like 19,5.") % {"value": text})
        text = whole.replace(grouping, "") + "." + fraction
    else:
        text = text.replace(",", ".")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise CellError(_("'%(value)s' is not a number. Write it like 19,5.") % {"value": text}) from None
    if not value.is_finite():
        raise CellError(_("'%(value)s' is not a number. Write it like 19,5.") % {"value": text})
    return value


def parse_integer(raw) -> int:
    value = parse_decimal(raw)
    if value != value.to_integral_value():
        raise CellError(_("'%(value)s' must be a whole number.") % {"value": _text(raw)})
    return int(value)


def parse_boolean(raw) -> bool:
    if isinstance(raw, bool):
        return raw
    text = fold(_text(raw))
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    raise CellError(_("'%(value)s' is not ja or nee.") % {"value": _text(raw)})


def parse_email(raw) -> str:
    text = _text(raw).lower()
    try:
        validate_email(text)
    except ValidationError:
        raise CellError(_("'%(value)s' is not a valid e-mail address.") % {"value": text}) from None
    return text


def parse_phone(raw) -> str:
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        digits = str(int(raw))
        # A number cell drops the leading 0 of a Belgian number (0470 12 34 56 → 470123456).
        return "0" + digits if len(digits) in (8, 9) else digits
    return _text(raw)


def choice_table(column, organisation, cache: dict) -> dict[str, str]:
    key = ("choices", column.key, id(column))
    if key not in cache:
        mapping = column.choices(organisation) if callable(column.choices) else column.choices
        folded = {}
        for spelling, value in dict(mapping).items():
            folded.setdefault(fold(spelling), value)
        cache[key] = (folded, list(dict.fromkeys(str(s) for s in dict(mapping))))
    return cache[key]


MAX_LISTED_CHOICES = 25


def parse_choice(column, raw, organisation, cache):
    folded, spellings = choice_table(column, organisation, cache)
    value = folded.get(fold(raw))
    if value is None:
        known = ", ".join(spellings[:MAX_LISTED_CHOICES]) + (" …" if len(spellings) > MAX_LISTED_CHOICES else "")
        if not spellings:
            raise CellError(_("'%(value)s' is not known: there is nothing to choose from yet for %(column)s.")
                            % {"value": _text(raw), "column": column.header})
        raise CellError(_("'%(value)s' is not a known value for %(column)s. Known: %(known)s.")
                        % {"value": _text(raw), "column": column.header, "known": known})
    return value


def parse_cell(column, raw, *, organisation=None, cache=None, today=None):
    """The cell's value for `column`, or raise CellError. Empty is None (text: "")."""
    if raw is None or (isinstance(raw, str) and not raw.replace("\u00a0", " ").strip()):
        return "" if column.kind == "text" else None
    kind = column.kind
    if kind == "text":
        return _text(raw)
    if kind == "date":
        return parse_date(raw, today or datetime.date.today())
    if kind == "insz":
        return parse_insz(raw)
    if kind == "decimal":
        return parse_decimal(raw)
    if kind == "integer":
        return parse_integer(raw)
    if kind == "boolean":
        return parse_boolean(raw)
    if kind == "choice":
        return parse_choice(column, raw, organisation, cache if cache is not None else {})
    if kind == "email":
        return parse_email(raw)
    if kind == "phone":
        return parse_phone(raw)
    raise ValueError(kind)
