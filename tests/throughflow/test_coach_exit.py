"""The coach records the exit and the aftercare calls of their own workers (docs/journeys.md, "leaving with
proof"); the coordinators are told; a follow-up is answered from its due date on, not before."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from lde_portal.alerts.models import Alert, AlertRecipient, AlertState
from lde_portal.alerts.selectors import mine
from lde_portal.alerts.services import alert_mark_done
from tests.factories import CoachAssignmentFactory, EmploymentFactory, WorkerFactory
from throughflow import services
from throughflow.alerts import AFTERCARE_FOLLOWUP, EXIT_BY_COACH
from throughflow.forms import FollowUpForm
from throughflow.models import Exit, FollowUp

pytestmark = pytest.mark.django_db
D = datetime.date
EXIT_DAY = D(2025, 8, 29)


def _travel(day):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(10, 0)), tick=False)


def _exit_form(day):
    return {"date": day.strftime("%d/%m/%Y"), "reason": "external", "destination_employer": "Fietsen Vermeulen",
            "contract_type": "open_ended", "weekly_hours": "30", "support_after": "none"}


def _kwargs(personas, worker=None):
    return {"org_slug": personas.org.slug, "pk": (worker or personas.worker).pk}


def test_the_coach_records_the_exit_of_their_own_worker_and_the_coordinators_get_an_alert(personas, login):
    client = login(personas.coach)
    with _travel(EXIT_DAY):
        response = client.post(reverse("throughflow:exit_add", kwargs=_kwargs(personas)), _exit_form(EXIT_DAY))
    assert response.status_code == 302
    exit_ = Exit.objects.get(worker=personas.worker)
    assert (exit_.date, exit_.created_by, exit_.coach) == (EXIT_DAY, personas.coach.user, personas.coach)
    alert = Alert.objects.get(kind=EXIT_BY_COACH, worker_id=personas.worker.pk)
    assert alert.title == "Uitstroom geregistreerd door de werkvloerbegeleider: controleer de uitstroom"
    assert set(AlertRecipient.objects.filter(alert=alert).values_list("membership", flat=True)) == {
        personas.coordinator.pk}
    # The coordinator checks it and ticks it off; the next scan leaves it done.
    alert_mark_done(alert=alert, membership=personas.coordinator)
    with _travel(EXIT_DAY + datetime.timedelta(days=1)):
        from lde_portal.alerts.scan import scan_organisation

        scan_organisation(organisation=personas.org)
    assert Alert.objects.get(pk=alert.pk).state == AlertState.DONE


def test_an_exit_recorded_by_a_coordinator_raises_no_alert_for_the_coordinators(personas, login):
    client = login(personas.coordinator)
    with _travel(EXIT_DAY):
        assert client.post(reverse("throughflow:exit_add", kwargs=_kwargs(personas)),
                           _exit_form(EXIT_DAY)).status_code == 302
    assert Exit.objects.filter(worker=personas.worker).exists()
    assert not Alert.objects.filter(kind=EXIT_BY_COACH).exists()


def test_another_coachs_worker_is_404_for_the_exit(personas, login):
    client = login(personas.other_coach)
    with _travel(EXIT_DAY):
        response = client.post(reverse("throughflow:exit_add", kwargs=_kwargs(personas)), _exit_form(EXIT_DAY))
    assert response.status_code == 404
    assert not Exit.objects.exists()


def test_the_coach_assigned_at_the_exit_records_the_six_month_call_after_the_assignment_ended(personas, login):
    with _travel(EXIT_DAY):
        services.exit_record(worker=personas.worker, actor=personas.coach.user,
                             data={"date": EXIT_DAY, "reason": "external", "destination_employer": "Vermeulen"})
    six = FollowUp.objects.get(worker=personas.worker, months=6)
    assert six.due == D(2026, 2, 28)
    url = reverse("throughflow:followup_edit", kwargs={**_kwargs(personas), "followup_pk": six.pk})
    coach = login(personas.coach)
    with _travel(D(2026, 2, 28)):
        # The dossier is no longer the coach's; the follow-up is, and its alert reaches the coach.
        assert coach.get(reverse("throughflow:tab", kwargs=_kwargs(personas))).status_code == 404
        from lde_portal.alerts.scan import scan_organisation

        scan_organisation(organisation=personas.org)
        alerts = list(mine(personas.coach, D(2026, 2, 28)).filter(kind=AFTERCARE_FOLLOWUP))
        assert [a.url for a in alerts if a.url.endswith(f"/followups/{six.pk}/")]
        page = coach.get(url)
        assert page.status_code == 200
        assert "Nazorgopvolging na 6 maanden" in page.content.decode()
        response = coach.post(url, {"done_on": "28/02/2026", "still_employed": "true", "same_employer": "true",
                                    "support_needed": "false", "note": "Werkt nog bij Vermeulen",
                                    "version": six.version})
    assert response.status_code == 302
    six.refresh_from_db()
    assert (six.done_on, six.still_employed, six.recorded_by) == (D(2026, 2, 28), True, personas.coach.user)


def test_a_former_worker_of_another_coach_is_404_for_the_follow_up(personas, login):
    with _travel(EXIT_DAY):
        services.exit_record(worker=personas.worker, actor=None,
                             data={"date": EXIT_DAY, "reason": "external", "destination_employer": "Vermeulen"})
    six = FollowUp.objects.get(worker=personas.worker, months=6)
    url = reverse("throughflow:followup_edit", kwargs={**_kwargs(personas), "followup_pk": six.pk})
    with _travel(D(2026, 3, 2)):
        assert login(personas.other_coach).get(url).status_code == 404


def test_a_coach_assigned_after_the_exit_date_or_ended_before_it_does_not_reach_the_follow_ups(personas, login):
    worker = WorkerFactory(organisation=personas.org)
    EmploymentFactory(worker=worker, activity=personas.activity)
    CoachAssignmentFactory(worker=worker, coach=personas.coach, start=D(2024, 1, 1), end=D(2025, 3, 31))
    with _travel(EXIT_DAY):
        services.exit_record(worker=worker, actor=None,
                             data={"date": EXIT_DAY, "reason": "drop_out"})
    one = FollowUp.objects.get(worker=worker, months=1)
    with _travel(D(2025, 10, 1)):
        url = reverse("throughflow:followup_edit", kwargs={**_kwargs(personas, worker), "followup_pk": one.pk})
        assert login(personas.coach).get(url).status_code == 404


# The follow-up rule: answered from its due date on (a correction after the fact is fine), never in the
# future, never before the exit. Exit on 31/08/2025: 1 month → 30/09, 6 months → 28/02/2026; exit on
# 31/08/2023: 6 months → 29/02/2024 (leap year).
@pytest.mark.parametrize(("exit_day", "months", "today", "done_on", "error"), [
    (D(2025, 8, 31), 6, D(2025, 8, 31), D(2025, 8, 31), "vanaf 28/02/2026"),  # the exit day itself
    (D(2025, 8, 31), 6, D(2026, 2, 27), D(2026, 2, 27), "vanaf 28/02/2026"),  # one day early
    (D(2025, 8, 31), 6, D(2026, 2, 28), D(2026, 2, 28), None),  # on the due date
    (D(2025, 8, 31), 6, D(2026, 6, 1), D(2026, 3, 15), None),  # later, dated after the due date
    (D(2025, 8, 31), 6, D(2026, 6, 1), D(2026, 2, 1), "vanaf 28/02/2026"),  # later, but dated too early
    (D(2025, 8, 31), 1, D(2025, 9, 29), D(2025, 9, 29), "vanaf 30/09/2025"),
    (D(2025, 8, 31), 1, D(2025, 9, 30), D(2025, 9, 30), None),
    (D(2023, 8, 31), 6, D(2024, 2, 28), D(2024, 2, 28), "vanaf 29/02/2024"),
    (D(2023, 8, 31), 6, D(2024, 2, 29), D(2024, 2, 29), None),
    (D(2025, 8, 31), 6, D(2026, 2, 28), D(2026, 3, 1), "toekomst"),
])
def test_a_follow_up_is_answered_from_its_due_date_on(personas, exit_day, months, today, done_on, error):
    personas.employment.contract_start = D(2022, 1, 1)
    personas.employment.save()
    services.exit_record(worker=personas.worker, actor=None, today=exit_day,
                         data={"date": exit_day, "reason": "external", "destination_employer": "Vermeulen"})
    followup = FollowUp.objects.get(worker=personas.worker, months=months)
    data = {"done_on": done_on, "still_employed": True, "note": ""}
    if error is None:
        services.followup_record(followup=followup, actor=None, data=data, today=today)
        followup.refresh_from_db()
        assert followup.done_on == done_on
        return
    with pytest.raises(ValidationError) as exc:
        services.followup_record(followup=followup, actor=None, data=data, today=today)
    assert error in " ".join(exc.value.message_dict["done_on"])
    followup.refresh_from_db()
    assert followup.done_on is None


def test_a_recorded_follow_up_can_be_corrected_later(personas):
    services.exit_record(worker=personas.worker, actor=None, today=D(2025, 8, 31),
                         data={"date": D(2025, 8, 31), "reason": "external", "destination_employer": "Vermeulen"})
    six = FollowUp.objects.get(worker=personas.worker, months=6)
    services.followup_record(followup=six, actor=None, today=D(2026, 3, 2),
                             data={"done_on": D(2026, 3, 2), "still_employed": False, "note": ""})
    six.refresh_from_db()
    services.followup_record(followup=six, actor=None, today=D(2026, 5, 10), expected_version=six.version,
                             data={"done_on": D(2026, 3, 2), "still_employed": True, "note": "Verkeerd aangeduid"})
    six.refresh_from_db()
    assert (six.still_employed, six.note) == (True, "Verkeerd aangeduid")


def test_the_form_refuses_an_early_date_at_the_field_in_dutch():
    form = FollowUpForm({"done_on": "31/08/2025", "still_employed": "true", "version": "1"}, due=D(2026, 2, 28),
                        months=6)
    assert not form.is_valid()
    assert form.errors["done_on"] == [
        "Deze opvolging kan vanaf 28/02/2026 geregistreerd worden: ze legt vast of de persoon 6 maanden na de "
        "uitstroom nog werkt."]


def test_on_the_exit_day_the_six_month_follow_up_is_refused_in_the_view_and_not_durable(personas, login):
    client = login(personas.coach)
    with _travel(EXIT_DAY):
        client.post(reverse("throughflow:exit_add", kwargs=_kwargs(personas)), _exit_form(EXIT_DAY))
        six = FollowUp.objects.get(worker=personas.worker, months=6)
        url = reverse("throughflow:followup_edit", kwargs={**_kwargs(personas), "followup_pk": six.pk})
        response = client.post(url, {"done_on": EXIT_DAY.strftime("%d/%m/%Y"), "still_employed": "true",
                                     "version": six.version})
        assert response.status_code == 200
        assert "vanaf 28/02/2026" in response.content.decode()
        tab = client.get(reverse("throughflow:tab", kwargs=_kwargs(personas))).content.decode()
        assert "vanaf 28/02/2026" in tab
    six.refresh_from_db()
    assert six.done_on is None
    from throughflow import selectors

    assert selectors.throughflow_ratio(personas.org, 2025).total.durable == 0


def test_the_ratio_page_says_how_many_follow_ups_are_still_unknown(personas, login):
    for _ in range(2):
        worker = WorkerFactory(organisation=personas.org)
        EmploymentFactory(worker=worker, activity=personas.activity)
        services.exit_record(worker=worker, actor=None, today=D(2025, 3, 31),
                             data={"date": D(2025, 3, 31), "reason": "external", "destination_employer": "X"})
    done = FollowUp.objects.filter(months=6).first()
    services.followup_record(followup=done, actor=None, today=D(2025, 10, 1),
                             data={"done_on": D(2025, 9, 30), "still_employed": True, "note": ""})
    client = login(personas.coordinator)
    with _travel(D(2025, 10, 1)):
        page = client.get(reverse("throughflow:ratio", kwargs={"org_slug": personas.org.slug}) + "?year=2025")
    body = page.content.decode()
    assert ("Nog onbekend: 1 doorstroom-uitstroom waarvan de opvolging na 6 maanden nog niet geregistreerd is "
            "(niet als duurzaam geteld).") in body
