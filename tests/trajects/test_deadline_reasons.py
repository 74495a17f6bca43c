"""The Traject tab and the deadlines export say why a deadline falls on its date in Dutch, with the rule
table's label and legal source, never the rules engine's technical trace."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from lde_portal.reports.registry import EXPORTERS, ExportFilters
from trajects import rules, services
from trajects.models import TrajectoryDeadline

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.datetime(2026, 11, 23, 10, 0, tzinfo=datetime.UTC), tick=False):
        yield


# regime, start, decision date, extension, kind, due, Dutch text, label from the rule table, source
CASES = [
    ("IMW_5Y", D(2024, 3, 4), D(2024, 6, 28), None, "trajectory_end", D(2029, 3, 31),
     "5 jaar vanaf de start van de termijn op 01/04/2024, eindigt de dag vóór de verjaardag van de start",
     "Duur 5 jaar vanaf de eerste dag van het kwartaal van de beslissing", "BVR 15/07/2022"),
    ("IMW_5Y", D(2024, 3, 4), D(2024, 6, 28), None, "imw_renewal_request_due", D(2028, 9, 30),
     "De vernieuwing 6 maanden vóór het einde aanvragen", "", "praktijkstandaard"),
    ("LDE", D(2021, 3, 1), None, ("SIXTH_YEAR", 6), "trajectory_end", D(2026, 8, 31),
     "5 jaar vanaf de start van de termijn op 01/03/2021, +6 maanden verlenging zesde jaar, "
     "eindigt de dag vóór de verjaardag van de start", "", "Decreet LDE 22/11/2013"),
    ("LDE", D(2021, 3, 1), None, None, "first_pop_due", D(2021, 4, 1),
     "Eerste POP registreren bij VDAB binnen 1 maand na indiensttreding", "", ""),
]


@pytest.mark.parametrize("regime,start,decision,extension,kind,due,text,label,source", CASES)
def test_traject_tab_shows_the_rule_in_dutch_with_its_source(personas, login, regime, start, decision, extension,
                                                            kind, due, text, label, source):
    trajectory = services.trajectory_start(worker=personas.worker, actor=None, regime=regime, start=start,
                                           decision_date=decision)
    if extension:
        services.trajectory_extend(trajectory=trajectory, actor=None, reason=extension[0], months=extension[1],
                                   decision_date=D(2025, 6, 1))
    deadline = TrajectoryDeadline.objects.get(trajectory=trajectory, kind=kind)
    assert deadline.due == due
    page = login(personas.coordinator).get(reverse("trajects:trajectory", kwargs={
        "org_slug": personas.org.slug, "pk": personas.worker.pk})).content.decode()
    assert text in page
    assert f"Bron: {deadline.source}" in page and source in deadline.source
    if label:
        assert label in page
    # The engine's trace ("IMW_5Y.term_years: 5 years from term start …") is not for people.
    assert deadline.rule_ref + ":" not in page and "years from term start" not in page
    assert "first POP within" not in page


def test_the_reason_follows_the_readers_language(personas):
    trajectory = services.trajectory_start(worker=personas.worker, actor=None, regime="IMW_5Y", start=D(2024, 3, 4),
                                           decision_date=D(2024, 6, 28))
    reason = TrajectoryDeadline.objects.get(trajectory=trajectory, kind="trajectory_end").reason
    with translation.override("en"):
        assert rules.explain(reason) == ("5 years from the start of the term on 01/04/2024, "
                                         "ends the day before the anniversary")


def test_deadlines_export_writes_the_rule_in_dutch(personas):
    services.trajectory_start(worker=personas.worker, actor=None, regime="IMW_5Y", start=D(2024, 3, 4),
                              decision_date=D(2024, 6, 28))
    exporter = EXPORTERS["deadlines"]
    with translation.override("en"):
        rows = list(exporter.rows(personas.org, personas.manager, ExportFilters(start=D(2029, 3, 31),
                                                                             end=D(2029, 3, 31))))
    rule_column = exporter.headers.index("Regel")
    assert [row[rule_column] for row in rows] == [
        "Duur 5 jaar vanaf de eerste dag van het kwartaal van de beslissing — 5 jaar vanaf de start van de "
        "termijn op 01/04/2024, eindigt de dag vóór de verjaardag van de start"]
