"""Output safety helpers shared by the exporters.

CSV/XLSX ("formula") injection: a spreadsheet program runs a cell that starts with = + - @ (or a tab or
carriage return followed by one) as a formula, so a worker named `=HYPERLINK("http://evil", "x")` would
become a live link or command in a coordinator's Excel. OWASP's advice: prefix such values with a single
quote, which makes the program show them as text. Every exporter (CSV and XLSX) passes user-supplied
text through `neutralise_cell`.

Spreadsheet programs also read the full-width and small forms of these signs (＝ U+FF1D, ﹦ U+FE66, ＋, －, ＠, …;
an East-Asian input method types them) as the ASCII ones, so the first character is compared after Unicode
compatibility normalisation (NFKC), which maps every such variant onto its ASCII sign.
"""

import unicodedata

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value):
    """The value, with a leading ' when a spreadsheet would read it as a formula. Numbers, dates and
    None pass unchanged (they are typed cells, not text)."""
    if isinstance(value, str) and value and unicodedata.normalize("NFKC", value[0]).startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def neutralise_row(values):
    return [neutralise_cell(v) for v in values]
