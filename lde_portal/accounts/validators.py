from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.be import nn, vat
from stdnum.exceptions import ValidationError as StdnumError


def _validated(number, value: str, message, code: str) -> str:
    """`value` in the compact form that python-stdnum's `number` module validates (checksum included), or a
    ValidationError with the portal's own message."""
    try:
        return number.validate(value)
    except StdnumError:
        raise ValidationError(message, code=code) from None


def normalise_enterprise_number(value: str) -> str:
    """Return the enterprise number as 10 digits, or raise ValidationError.

    The KBO enterprise number (ondernemingsnummer) shares its mod-97 checksum with the Belgian VAT
    number, which is what stdnum.be.vat validates.
    """
    message = _("This is not a valid enterprise number (expected: 10 digits, e.g. 0123.456.749).")
    return _validated(vat, value, message, "invalid_enterprise_number")


def format_enterprise_number(value: str) -> str:
    return f"{value[:4]}.{value[4:7]}.{value[7:]}" if value and len(value) == 10 else value


def normalise_insz(value: str) -> str:
    """Return the INSZ (rijksregisternummer) as 11 digits, or raise ValidationError (checksum included)."""
    message = _("This is not a valid INSZ number: check the 11 digits (the check digits do not match).")
    return _validated(nn, value, message, "invalid_insz")


def format_insz(value: str) -> str:
    return nn.format(value) if value and len(value) == 11 else value


def normalise_postal_code(value: str) -> str:
    """A Belgian postal code: four digits, 1000 to 9999 (bpost). Blank stays blank; anything else
    ("nan" from a spreadsheet, "B-9000", "900") is refused rather than stored as an address."""
    value = (value or "").strip()
    if not value:
        return ""
    if not (len(value) == 4 and value.isascii() and value.isdigit() and value[0] != "0"):
        raise ValidationError(_("A Belgian postal code is four digits, from 1000 to 9999."), code="postal_code")
    return value
