"""Numbers written into SVG, CSS or JavaScript are read by the browser, not by a person: they take a dot as
the decimal separator whatever the user's language. Django localizes every float a template prints (the Dutch
comma turns cx="31,5" into an error and the point is not drawn), so such numbers are handed to templates as
strings made here."""


def svg_number(value: float | int) -> str:
    """`value` as an SVG/CSS number: a dot for decimals, at most three of them, no trailing zeros."""
    text = f"{float(value):.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text
