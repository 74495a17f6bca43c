"""The Traject tab, its forms, Trajecteinden, Regelgeving and the phase settings, through the client."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lde_portal.audit.models import AuditEntry
from tests.factories import (
    ActivityFactory,
    CoachAssignmentFactory,
    EmploymentFactory,
    UserFactory,
    WorkerFactory,
)
from tests.pdfs import CLEAN
from trajects import services
from trajects.models import Extension, Milestone, PhaseDefinition, RegimeRule, Suspension, Trajectory

pytestmark = pytest.mark.django_db
D = datetime.date
# Fixed "today" for every test here: the pages count days from it.
NOW = datetime.datetime(2026, 11, 23, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(NOW, tick=False)


def _url(p, name, **kw):
    return reverse(name, kwargs={"org_slug": p.org.slug, **kw})


def _trajectory(worker, regime="LDE", start=None, **kw):
    return services.trajectory_start(worker=worker, actor=None, regime=regime, start=start or D(2021, 3, 1), **kw)


def test_start_a_trajectory_through_the_form(personas, login):
    client = login(personas.coordinator)
    url = _url(personas, "trajects:trajectory_start", pk=personas.worker.pk)
    form = client.get(url).context["form"]
    assert form.initial["start"] == personas.employment.contract_start
    response = client.post(url, {"regime": "IMW_5Y", "start": "04/03/2024", "decision_date": "28/06/2024",
                                 "phase": PhaseDefinition.objects.filter(organisation=personas.org).first().pk})
    assert response.status_code == 302
    trajectory = personas.worker.trajectories.get()
    assert (trajectory.term_start, trajectory.planned_end) == (D(2024, 4, 1), D(2029, 3, 31))
    page = client.get(_url(personas, "trajects:trajectory", pk=personas.worker.pk)).content.decode()
    assert "nog 859 dagen" in page and "31/03/2029" in page and "BVR 15/07/2022" in page
    assert "Duur 5 jaar vanaf de eerste dag van het kwartaal van de beslissing" in page


def test_start_form_shows_rule_violation_at_the_field_and_keeps_input(personas, login):
    client = login(personas.coordinator)
    response = client.post(_url(personas, "trajects:trajectory_start", pk=personas.worker.pk),
                           {"regime": "LDE", "start": "01/09/2023"})
    assert response.status_code == 200
    form = response.context["form"]
    assert "kan niet meer starten na 30/06/2023" in form.errors["start"][0]
    assert form.data["start"] == "01/09/2023"
    assert not Trajectory.objects.exists()


def test_overlapping_suspension_is_refused_in_the_form(personas, login):
    trajectory = _trajectory(personas.worker)
    services.trajectory_suspend(trajectory=trajectory, actor=None, reason="illness", start=D(2022, 1, 10),
                                end=D(2022, 2, 15))
    client = login(personas.coordinator)
    response = client.post(_url(personas, "trajects:suspension_add", pk=personas.worker.pk),
                           {"reason": "maternity", "start": "01/02/2022", "end": "30/04/2022", "note": "bevalling",
                            "version": 2})
    assert response.status_code == 200
    assert "overlapt met de schorsing van 10/01/2022 tot 15/02/2022" in response.context["form"].errors["start"][0]
    assert response.context["form"].data["note"] == "bevalling"
    assert Suspension.objects.count() == 1


def test_stale_form_shows_a_conflict_and_keeps_input(personas, login):
    trajectory = _trajectory(personas.worker)
    client = login(personas.coordinator)
    url = _url(personas, "trajects:suspension_add", pk=personas.worker.pk)
    data = {"reason": "illness", "start": "01/02/2023", "end": "28/02/2023", "note": "griep", "version": 1}
    services.milestone_add(trajectory=trajectory, actor=None, date=D(2022, 1, 1), label="Stage")  # someone else
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Iemand anders heeft dit traject intussen gewijzigd" in response.content.decode()
    assert response.context["form"].data["version"] == 2
    assert not Suspension.objects.exists()
    assert client.post(url, {**data, "version": 2}).status_code == 302
    assert Suspension.objects.count() == 1


def test_extension_with_document_and_permission_checked_download(personas, login):
    _trajectory(personas.worker)
    client = login(personas.coordinator)
    pdf = SimpleUploadedFile("ziekte-attest.pdf", CLEAN, content_type="application/pdf")
    response = client.post(_url(personas, "trajects:extension_add", pk=personas.worker.pk),
                           {"reason": "ILLNESS", "months": "6", "decision_date": "15/01/2026", "document": pdf,
                            "version": 1})
    assert response.status_code == 302
    extension = Extension.objects.get()
    assert extension.document_type == "application/pdf" and "attest" not in extension.document.name
    url = _url(personas, "trajects:extension_document", pk=personas.worker.pk, extension_pk=extension.pk)
    download = client.get(url)
    assert download.status_code == 200 and b"".join(download.streaming_content) == CLEAN
    assert download["Content-Type"] == "application/pdf"
    assert AuditEntry.objects.filter(action="download", worker_id=personas.worker.pk).exists()
    other = login(personas.other_coach)
    assert other.get(url).status_code == 404


def test_extension_without_reason_and_with_a_fake_document_is_refused(personas, login):
    _trajectory(personas.worker)
    client = login(personas.coordinator)
    url = _url(personas, "trajects:extension_add", pk=personas.worker.pk)
    response = client.post(url, {"reason": "", "months": "6", "decision_date": "15/01/2026", "version": 1})
    assert response.context["form"].errors["reason"] == ["Een verlenging heeft een reden nodig."]
    fake = SimpleUploadedFile("attest.pdf", b"MZ\x90\x00binary", content_type="application/pdf")
    response = client.post(url, {"reason": "ILLNESS", "months": "6", "decision_date": "15/01/2026", "document": fake,
                                 "version": 1})
    assert "PDF, PNG of JPEG" in response.context["form"].errors["document"][0]
    assert not Extension.objects.exists()


def test_coach_changes_phase_and_adds_milestone_for_own_worker(personas, login):
    _trajectory(personas.worker)
    client = login(personas.coach)
    second = PhaseDefinition.objects.filter(organisation=personas.org)[1]
    assert client.post(_url(personas, "trajects:phase_change", pk=personas.worker.pk),
                       {"phase": second.pk, "since": "01/09/2021", "version": 1}).status_code == 302
    assert client.post(_url(personas, "trajects:milestone_add", pk=personas.worker.pk),
                       {"date": "02/05/2022", "label": "Heftruckattest", "version": 2}).status_code == 302
    page = client.get(_url(personas, "trajects:trajectory", pk=personas.worker.pk)).content.decode()
    assert "Werken aan werk" in page and "Heftruckattest" in page
    # Coaches do not record legal facts: no suspension or regime buttons.
    assert "Schorsing toevoegen" not in page and "Regime wijzigen" not in page
    assert Milestone.objects.get().label == "Heftruckattest"


def test_regime_change_through_the_form_keeps_history(personas, login):
    _trajectory(personas.worker, start=D(2020, 1, 6))
    client = login(personas.coordinator)
    url = _url(personas, "trajects:regime_change", pk=personas.worker.pk)
    choices = [v for v, _ in client.get(url).context["form"].fields["regime"].choices]
    assert choices == ["TRANSITION", "IMW_5Y", "IMW_2Y", "CMW"]
    response = client.post(url, {"regime": "IMW_2Y", "change_date": "01/07/2023", "version": 1})
    assert "beslissingsdatum" in response.context["form"].errors["decision_date"][0].lower()
    assert client.post(url, {"regime": "TRANSITION", "change_date": "01/07/2023", "version": 1}).status_code == 302
    page = client.get(_url(personas, "trajects:trajectory", pk=personas.worker.pk)).content.decode()
    assert "Vorig traject" in page and "Overgangsregeling LDE → IMW" in page
    assert list(personas.worker.trajectories.values_list("regime", "closed_on").order_by("opened_on")) == [
        ("LDE", D(2023, 6, 30)), ("TRANSITION", None)]


def test_forms_without_an_open_trajectory_send_back_to_the_tab(personas, login):
    client = login(personas.coordinator)
    response = client.get(_url(personas, "trajects:suspension_add", pk=personas.worker.pk))
    assert response.status_code == 302 and response["Location"].endswith("/trajectory/")


def _worker_with_history(org, activity, coach, start):
    worker = WorkerFactory(organisation=org)
    EmploymentFactory(worker=worker, activity=activity, contract_start=start)
    CoachAssignmentFactory(worker=worker, coach=coach)
    return _trajectory(worker, start=start)


def test_traject_tab_query_count_is_fixed(personas, login, django_assert_num_queries):
    trajectory = _trajectory(personas.worker)
    client = login(personas.coordinator)
    url = _url(personas, "trajects:trajectory", pk=personas.worker.pk)
    client.get(url)
    with django_assert_num_queries(13) as one:  # +1: the alert bell
        client.get(url)
    for _ in range(49):
        _worker_with_history(personas.org, personas.activity, personas.coach, D(2021, 1, 4))
    for month in range(1, 6):
        services.trajectory_suspend(trajectory=trajectory, actor=None, reason="illness", start=D(2022, month, 1),
                                    end=D(2022, month, 10))
        services.milestone_add(trajectory=trajectory, actor=None, date=D(2022, month, 15), label=f"Mijlpaal {month}")
    services.trajectory_extend(trajectory=trajectory, actor=None, reason="SIXTH_YEAR", months=6,
                               decision_date=D(2025, 6, 1))
    services.trajectory_change_regime(trajectory=trajectory, actor=None, regime="TRANSITION", change_date=D(2023, 7, 1))
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count("Mijlpaal ") >= 5


@pytest.mark.parametrize("viewer", ["coordinator", "coach"])
def test_trajectory_ends_query_count_is_fixed(personas, login, django_assert_num_queries, viewer):
    _trajectory(personas.worker, start=D(2022, 3, 1))  # ends 28/02/2027
    client = login(getattr(personas, viewer))
    url = _url(personas, "trajects:trajectory_ends")
    client.get(url)
    # +1: the alert bell; the page's rows, their coaches and the totals per quarter (that sum is the count).
    with django_assert_num_queries(9 if viewer == "coordinator" else 8) as one:
        response = client.get(url)
    assert response.context["count"] == 1
    for i in range(49):
        _worker_with_history(personas.org, personas.activity, personas.coach, D(2021, 12, 1) + datetime.timedelta(days=i * 5))
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(url)
    assert response.context["count"] == 50
    assert response.context["page"].paginator.num_pages == 2


def test_trajectory_ends_pages_by_twenty_five_with_totals_per_quarter(personas, login, django_assert_num_queries):
    """Past 25 rows the list pages (issue #10); page 2 costs the same queries, the pager keeps the filters
    and the totals per quarter still count every row."""
    _trajectory(personas.worker, start=D(2022, 3, 1))  # ends 28/02/2027
    client = login(personas.coordinator)
    url = _url(personas, "trajects:trajectory_ends")
    client.get(url)
    with django_assert_num_queries(9) as one:
        client.get(url, {"months": "12", "activity": personas.activity.pk})
    for i in range(29):
        _worker_with_history(personas.org, personas.activity, personas.coach, D(2021, 12, 1) + datetime.timedelta(days=i * 5))
    with django_assert_num_queries(len(one.captured_queries)):
        first = client.get(url, {"months": "12", "activity": personas.activity.pk})
    with django_assert_num_queries(len(one.captured_queries)):
        second = client.get(url, {"months": "12", "activity": personas.activity.pk, "page": "2"})
    assert first.context["form"].is_valid() and first.context["count"] == second.context["count"] == 30
    first_ids = [t.pk for _y, _q, items, _n in first.context["groups"] for t in items]
    second_ids = [t.pk for _y, _q, items, _n in second.context["groups"] for t in items]
    assert len(first_ids) == 25 and len(second_ids) == 5 and not set(first_ids) & set(second_ids)
    assert sum(n for *_, n in second.context["quarters"]) == 30
    # A quarter's heading counts the whole quarter, not just this page's share of it.
    assert all(total >= len(items) for _y, _q, items, total in first.context["groups"])
    page = first.content.decode()
    assert f"?months=12&amp;activity={personas.activity.pk}&amp;page=2" in page
    assert "Pagina 1 van 2" in page and "Per kwartaal" in page
    assert f"months=12&amp;activity={personas.activity.pk}&amp;page=1" in second.content.decode()


def test_trajectory_ends_groups_by_quarter_and_filters(personas, login):
    org = personas.org
    other_activity = ActivityFactory(organisation=org, name="Strijkatelier")
    _trajectory(personas.worker, start=D(2022, 1, 10))  # ends 09/01/2027: Q1 2027, within 3 months
    late = _worker_with_history(org, other_activity, personas.other_coach, D(2022, 9, 1))  # 31/08/2027: Q3
    late.worker.last_name = "Laatkomer"
    late.worker.save()
    far = _worker_with_history(org, personas.activity, personas.coach, D(2023, 6, 1))  # 31/05/2028: beyond 12 m
    overdue = _worker_with_history(org, personas.activity, personas.coach, D(2021, 9, 1))  # 31/08/2026: overdue
    client = login(personas.coordinator)
    url = _url(personas, "trajects:trajectory_ends")
    response = client.get(url)
    groups = [(y, q, [t.worker_id for t in items]) for y, q, items, _total in response.context["groups"]]
    assert groups == [(None, None, [overdue.worker_id]), (2027, 1, [personas.worker.pk]),
                      (2027, 3, [late.worker_id])]
    assert far.worker_id not in [w for *_, ws in groups for w in ws]
    assert response.context["quarters"] == [(None, None, 1), (2027, 1, 1), (2027, 3, 1)]
    page = response.content.decode()
    assert "K1 2027" in page and "K3 2027" in page and "nog" not in page.split("K1 2027")[0][-50:]
    assert [t.worker_id for _y, _q, items, _n in client.get(url, {"months": "3"}).context["groups"] for t in items] == [
        overdue.worker_id, personas.worker.pk]
    by_activity = client.get(url, {"activity": other_activity.pk}).context["groups"]
    assert [t.worker_id for _y, _q, items, _n in by_activity for t in items] == [late.worker_id]
    by_coach = client.get(url, {"coach": personas.other_coach.pk}).context["groups"]
    assert [t.worker_id for _y, _q, items, _n in by_coach for t in items] == [late.worker_id]
    # An unknown horizon lists (and shows) the default 12 months; the activity filter still applies.
    forged = client.get(url, {"months": "24", "activity": other_activity.pk})
    assert '<option value="12" selected>' in forged.content.decode()
    assert '<option value="12" selected>' in client.get(url).content.decode()
    assert [t.worker_id for _y, _q, items, _n in forged.context["groups"] for t in items] == [late.worker_id]
    # A coach sees only the workers assigned to them, and has no coach filter.
    coach_view = login(personas.other_coach).get(url)
    assert [t.worker_id for _y, _q, items, _n in coach_view.context["groups"] for t in items] == [late.worker_id]
    assert "coach" not in coach_view.context["form"].fields
    assert reverse("trajects:trajectory", kwargs={"org_slug": org.slug, "pk": late.worker_id}) in coach_view.content.decode()


def test_regelgeving_lists_the_rule_table_by_regime(personas, login):
    page = login(personas.coach).get(_url(personas, "trajects:regime_rules")).content.decode()
    assert "Overgangsregeling LDE → IMW" in page and "Collectief maatwerk" in page
    assert "Voor wie vóór 01/04/2015 in dienst kwam, telt het traject vanaf 01/04/2015" in page
    assert "Decreet LDE 22/11/2013" in page and "12, 6, 3 maanden" in page
    assert "01/04/2015" in page and "5 jaar" in page and ">nee<" in page


def test_org_admin_edits_the_phase_model(personas, login):
    client = login(personas.org_admin)
    url = _url(personas, "trajects:phase_settings")
    formset = client.get(url).context["formset"]
    phases = list(PhaseDefinition.objects.filter(organisation=personas.org))
    data = {"form-TOTAL_FORMS": "4", "form-INITIAL_FORMS": "3", "form-MIN_NUM_FORMS": "0", "form-MAX_NUM_FORMS": "1000"}
    for i, phase in enumerate(phases):
        data.update({f"form-{i}-id": phase.pk, f"form-{i}-name": phase.name, f"form-{i}-order": phase.order,
                     f"form-{i}-expected_months": phase.expected_months, f"form-{i}-active": "on",
                     f"form-{i}-version": phase.version})
    data.update({"form-0-name": "Welkom en onthaal", "form-3-name": "Nazorg", "form-3-order": "4",
                 "form-3-expected_months": "3", "form-3-active": "on"})
    assert len(formset.forms) == 4
    response = client.post(url, data)
    assert response.status_code == 302, response.context["formset"].non_form_errors()
    assert list(PhaseDefinition.objects.filter(organisation=personas.org).values_list("name", flat=True)) == [
        "Welkom en onthaal", "Werken aan werk", "Werken aan doorstroom", "Nazorg"]
    data["form-3-name"] = "welkom en onthaal"
    data["form-TOTAL_FORMS"] = "5"
    data.update({"form-3-id": PhaseDefinition.objects.get(name="Nazorg").pk, "form-INITIAL_FORMS": "4",
                 "form-4-name": "Welkom en onthaal", "form-4-order": "5"})
    response = client.post(url, data)
    assert "Twee fasen hebben dezelfde naam." in response.content.decode()
    assert PhaseDefinition.objects.filter(organisation=personas.org).count() == 4


def test_new_organisations_get_the_default_phases(personas):
    from tests.factories import OrganisationFactory

    org = OrganisationFactory()
    assert PhaseDefinition.objects.filter(organisation=org).count() == 3


def test_rule_table_is_editable_by_superusers_only(client):
    rule = RegimeRule.objects.get(regime="LDE", key="term_years")
    url = reverse("admin:trajects_regimerule_change", args=[rule.pk])
    staff = UserFactory(is_staff=True)
    client.force_login(staff)
    assert client.get(url).status_code in (302, 403)
    superuser = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(superuser)
    assert client.get(url).status_code == 200


def test_rule_table_refuses_overlapping_versions_and_wrong_values():
    from django.core.exceptions import ValidationError

    base = RegimeRule.objects.get(regime="LDE", key="term_years")
    clash = RegimeRule(regime="LDE", key="term_years", value=6, unit="years", valid_from=D(2030, 1, 1),
                       source="test", label_nl="test")
    with pytest.raises(ValidationError) as exc:
        clash.full_clean()
    assert "overlappende versies" in str(exc.value)
    base.valid_to = D(2029, 12, 31)
    base.save()
    clash.full_clean()
    wrong = RegimeRule(regime="LDE", key="count_from", value="morgen", unit="date", valid_from=D(2031, 1, 1),
                       source="test", label_nl="test")
    RegimeRule.objects.filter(regime="LDE", key="count_from").update(valid_to=D(2030, 12, 31))
    with pytest.raises(ValidationError) as exc:
        wrong.full_clean()
    assert "value" in exc.value.error_dict
