"""Every figure and bar of every dashboard on the demo data opens the list of exactly what it counts: the
list's rows are the figure's number, a sum is the list's total, a ratio is its numerator over the
denominator shown beside it (issue #16, defect 7)."""

import io
import re
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.urls import resolve
from django.utils import timezone, translation

from lde_portal.accounts.models import Membership
from lde_portal.reports.dashboards import ROLE_DASHBOARD, panels_for_dashboard
from lde_portal.reports.registry import ExportFilters

pytestmark = pytest.mark.django_db

# Figures that open the screen where the work is done rather than a list: the coach's "feedback this week"
# opens the team screen with the whole team (the figures are its split into given and still to give).
ACTION_SCREENS = {"pop:team_feedback"}
# A median is not a count: its list is checked through the number of rows the bars and notes give.
NOT_COUNTS = {"Mediaan doorverwijzing → start", "Mediaan sollicitatie → contract", "90e percentiel"}


def _number(text):
    return float(text.replace("€", "").replace("\xa0", "").replace(" ", "").replace(",", "."))


def _rows(page):
    """The number of rows the list says it has, or the rows of its table (the empty-list row left out)."""
    for pattern in (r'class="figure-count"[^>]*>(\d+) ', r'class="list-count"[^>]*>(\d+)<'):
        if match := re.search(pattern, page):
            return int(match.group(1))
    if "<tbody" not in page:  # an empty list says so in a sentence instead of a table
        return 0
    body = page.split("<tbody", 1)[1].split("</tbody>", 1)[0]
    return sum(1 for row in re.findall(r"<tr[^>]*>.*?</tr>", body, re.S) if "colspan" not in row)


def _totals(page):
    foot = page.split("<tfoot>", 1)[1].split("</tfoot>", 1)[0]
    return {label: value.strip() for label, value in re.findall(r'data-label="([^"]+)">(?:Totaal)?([^<]*)<', foot)}


def _card(page, testid):
    return int(re.search(rf'data-testid="{testid}">(\d+)<', page).group(1))


def _check(item, page, url_name):
    """Assert that the list agrees with the figure; returns what was compared, for the failure message."""
    shown = str(getattr(item, "display", "") or item.value)
    value = item.value
    if url_name == "throughflow:exit_list":
        numerator, denominator = _card(page, "ratio-numerator"), _card(page, "ratio-denominator")
        if match := re.search(r"\((\d+)/(\d+)\)", shown):
            assert (_rows(page), numerator, denominator) == (int(match[1]), int(match[1]), int(match[2]))
        elif "%" in shown and "durable=" in item.url:
            durable = int(re.search(r"(\d+) (?:nog aan het werk|still employed)", page).group(1))
            assert _rows(page) == durable
            assert shown == (f"{round(100 * durable / denominator)}%" if denominator else "—")
        elif "%" in shown:
            assert _rows(page) == numerator
            assert shown == (f"{round(100 * numerator / denominator)}%" if denominator else "—")
        elif shown.lstrip("+-").isdigit() and shown[0] in "+-":  # the trend: opens the last year's numerator
            assert _rows(page) == numerator
        else:
            assert _rows(page) == int(value)
        return
    if isinstance(value, int) and not getattr(item, "display", ""):
        assert _rows(page) == value
    elif match := re.search(r"n=(\d+)", shown) or re.match(r"(\d+) · ", shown):
        assert _rows(page) == int(match[1])
    elif "%" in shown and "feedback-coverage" in item.url:
        totals = _totals(page)
        given, assigned = int(totals["Feedback gegeven"]), int(totals["Toegewezen werknemers"])
        assert shown == f"{round(100 * given / assigned) if assigned else 0}%"
    elif "%" in shown:  # POP on time: the note counts the rows
        assert _rows(page) == int(re.match(r"(\d+) ", str(item.note))[1])
    elif "·" in shown or "€" in shown or "," in shown:  # sums: hours and cost, FTE (shown to one decimal)
        parts = re.findall(r"€?\s?[\d ]+,\d+", shown)
        totals = _totals(page).values()
        for part in parts:
            decimals = len(part.split(",")[1])
            assert any(round(_number(t), decimals) == _number(part) for t in totals if t), (part, list(totals))
    else:
        raise AssertionError(f"no rule to compare {shown!r} with its list")


def test_every_demo_figure_opens_the_list_of_what_it_counts(client):
    from tests.conftest import VerifiedClient

    call_command("seed_demo", stdout=io.StringIO())
    translation.activate("nl")
    today, checked, failures = timezone.localdate(), 0, []
    members = (Membership.objects.filter(role__in=list(ROLE_DASHBOARD), user__is_active=True)
               .select_related("organisation", "user").order_by("organisation__slug", "role", "pk"))
    assert {m.role for m in members} == set(ROLE_DASHBOARD)
    for membership in members:
        browser = VerifiedClient()
        browser.force_login(membership.user)
        browser.cookies["django_language"] = "nl"
        panels = panels_for_dashboard(ROLE_DASHBOARD[membership.role], membership.organisation, membership,
                                      ExportFilters(), today)
        for panel in panels:
            for item in [*panel.figures, *panel.bars]:
                where = f"{membership.user.email} {panel.key} {item.label!s}: {item.url}"
                assert item.url, where
                url_name = resolve(urlsplit(item.url).path).view_name
                response = browser.get(item.url)
                assert response.status_code == 200 and response["Content-Type"].startswith("text/html"), where
                if url_name in ACTION_SCREENS or str(item.label) in NOT_COUNTS:
                    continue
                try:
                    _check(item, response.content.decode(), url_name)
                except (AssertionError, KeyError, IndexError, AttributeError, TypeError, ValueError) as exc:
                    failures.append(f"{where} ({item.value}): {exc!r}")
                checked += 1
    translation.deactivate()
    assert not failures, "\n".join(failures)
    assert checked > 100
