"""Numbers the browser reads (SVG coordinates) keep a decimal dot in Dutch: with the Belgian comma, cx="31,5"
is an attribute error and the grid lines and points of a chart are not drawn."""

import datetime
import re

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from lde_portal.reports.dashboards import Bar, bar_chart
from lde_portal.svg import svg_number
from pop.models import WeeklyFeedback
from tests.pop.helpers import generic, technical

NUMBER = r"-?\d+(\.\d+)?"
LENGTH = NUMBER + "%?"
COORDINATE_ATTRS = re.compile(r'\b(cx|cy|r|x|y|x1|x2|y1|y2|width|height|dx|dy)="([^"]*)"')


def _svg_numbers(html):
    svgs = re.findall(r"<svg\b.*?</svg>", html, flags=re.S)
    assert svgs, "no chart rendered"
    values = [value for svg in svgs for _name, value in COORDINATE_ATTRS.findall(svg)]
    points = [p for svg in svgs for p in re.findall(r'points="([^"]*)"', svg)]
    return values, points


@pytest.mark.parametrize(("value", "text"), [(31.5, "31.5"), (12, "12"), (40.6667, "40.667"), (0.0, "0"),
                                             (-0.0001, "0"), (1e-7, "0"), (130.0, "130")])
def test_svg_number_is_locale_independent(value, text):
    with translation.override("nl"):
        assert svg_number(value) == text


def test_feedback_trend_chart_in_dutch_has_dots_in_its_coordinates(personas, login):
    for week, rating in enumerate([1, 3, 2, 4, 2]):
        entry = WeeklyFeedback.objects.create(
            organisation=personas.org, worker=personas.worker, author=personas.coach,
            week_start=datetime.date(2026, 11, 23) - datetime.timedelta(weeks=week * 3 + 1), presence="present")
        entry.ratings.create(competence=generic(), rating=rating)
        entry.ratings.create(competence=technical(), rating=5 - rating)
    client = login(personas.coach)
    html = client.get(reverse("pop:feedback_tab", kwargs={"org_slug": personas.org.slug, "pk": personas.worker.pk}),
                      HTTP_ACCEPT_LANGUAGE="nl-BE").content.decode()
    assert 'lang="nl' in html
    values, points = _svg_numbers(html)
    assert any("." in v for v in values), "the test needs fractional coordinates"
    bad = [v for v in values if not re.fullmatch(LENGTH, v)]
    assert not bad, f"coordinates not in SVG number syntax: {bad[:5]}"
    pair = rf"{NUMBER},{NUMBER}"
    assert points and all(re.fullmatch(rf"{pair}( {pair})*", p) for p in points), points


def test_dashboard_bar_chart_in_dutch_has_dots_in_its_coordinates():
    chart = bar_chart([Bar("Fietspunt", 14.6, "/a/"), Bar("Groen", 3.25, "/b/"), Bar("Strijk", 7, "/c/")])
    with translation.override("nl"):
        html = render_to_string("reports/_bar_chart.html", {"chart": chart, "title": "VTE"})
    values, _points = _svg_numbers(html)
    assert any("." in v for v in values)
    bad = [v for v in values if not re.fullmatch(LENGTH, v)]
    assert not bad, f"coordinates not in SVG number syntax: {bad[:5]}"
