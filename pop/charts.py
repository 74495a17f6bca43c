"""Server-rendered SVG trend charts of weekly ratings (no JavaScript library, CSP-friendly)."""

from collections import OrderedDict

from lde_portal.svg import svg_number

WIDTH, HEIGHT, PAD_X, PAD_Y = 320, 110, 26, 12


def _y(rating: float) -> float:
    return round(PAD_Y + (4 - rating) * (HEIGHT - 2 * PAD_Y) / 3, 1)


def trend_charts(entries) -> list[dict]:
    """One small line chart per competence over the weeks in `entries` (newest first, as listed)."""
    weeks = sorted({e.week_start for e in entries})
    if not weeks:
        return []
    span = max((weeks[-1] - weeks[0]).days, 1)
    series: OrderedDict[int, dict] = OrderedDict()
    for entry in sorted(entries, key=lambda e: e.week_start):
        x = round(PAD_X + (entry.week_start - weeks[0]).days * (WIDTH - PAD_X - 8) / span, 1)
        for rating in entry.ratings.all():
            s = series.setdefault(rating.competence_id, {"name": rating.competence.name, "points": []})
            s["points"].append((x, _y(rating.rating), rating.rating, entry.week_start))
    charts = []
    for s in series.values():
        values = [p[2] for p in s["points"]]
        charts.append({
            "name": s["name"], "width": WIDTH, "height": HEIGHT,
            "polyline": " ".join(f"{svg_number(x)},{svg_number(y)}" for x, y, _r, _d in s["points"]),
            "dots": [{"x": svg_number(x), "y": svg_number(y), "rating": r, "date": d} for x, y, r, d in s["points"]],
            "average": round(sum(values) / len(values), 1), "last": values[-1], "count": len(values),
            "gridlines": [{"y": svg_number(_y(level)), "label": level} for level in (1, 2, 3, 4)],
            "first": weeks[0], "last_week": weeks[-1], "label_x": PAD_X - 6,
        })
    return sorted(charts, key=lambda c: c["name"])
