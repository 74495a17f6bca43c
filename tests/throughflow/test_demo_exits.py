"""The demo has exits over several years, so the manager's dashboard compares the throughflow ratio with
the year before (docs/journeys.md, "Manager — the board meeting"), and its stored deadlines carry their reason."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from lde_portal.accounts.models import Membership
from lde_portal.reports.dashboards import panels_for
from lde_portal.reports.registry import ExportFilters
from throughflow.models import Exit
from trajects.models import TrajectoryDeadline

pytestmark = pytest.mark.django_db


def test_demo_exits_span_three_years_and_the_ratio_compares_with_last_year(capsys):
    call_command("seed_demo")
    capsys.readouterr()
    years = {d.year for d in Exit.objects.filter(organisation__slug="stroom").dates("date", "year")}
    assert len(years) >= 3, years
    els = Membership.objects.get(user__email="els@stroom.demo", organisation__slug="stroom")
    ratio = next(p for p in panels_for(els.organisation, els, ExportFilters(), timezone.localdate())
                 if p.key == "throughflow.ratio")
    assert any(str(f.label) in ("Trend (percentage points)", "Evolutie (procentpunten)") for f in ratio.figures)
    assert not TrajectoryDeadline.objects.filter(reason=[]).exists()
