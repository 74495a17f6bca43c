"""Job target, applications, internships and the warm handover (issue #6, docs/domain.md §3.6)."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from lde_portal.concurrency import ConflictError
from tests.factories import WorkerFactory
from throughflow import services
from throughflow.models import Application, HandoverConsent, HandoverNote, Internship, JobTarget

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = D(2025, 9, 1)


def _employer(org, name="Bakkerij Peeters"):
    return services.employer_create(organisation=org, actor=None, data={"name": name})


def _url(p, name, **kw):
    return reverse(f"throughflow:{name}", kwargs={"org_slug": p.org.slug, "pk": p.worker.pk, **kw})


# --------------------------------------------------------------------------- job target

TARGET = {"occupation": "Magazijnier", "sector": "Logistiek", "weekly_hours": 30, "region": "Gent en Merelbeke",
          "max_commute_minutes": 45, "work_type": "regular", "childcare": "Kinderen ophalen om 16 uur",
          "pay_expectation": "Minstens het barema", "other_conditions": "", "set_on": D(2025, 8, 1)}


def test_job_target_is_created_then_versioned_with_its_history_audited(personas):
    from lde_portal.audit.models import AuditEntry

    target = services.job_target_save(worker=personas.worker, actor=None, data=TARGET, today=TODAY)
    assert (target.version, target.occupation) == (1, "Magazijnier")
    target = services.job_target_save(worker=personas.worker, actor=None, data={**TARGET, "weekly_hours": 24},
                                      expected_version=1, today=TODAY)
    assert target.version == 2 and JobTarget.objects.count() == 1
    entry = AuditEntry.objects.filter(object_id=str(target.pk)).order_by("-id").first()
    assert entry.changes == {"weekly_hours": ["30.0", "24"]} or entry.changes["weekly_hours"][1] == "24"


def test_stale_job_target_edit_raises_conflict_and_keeps_the_stored_one(personas):
    services.job_target_save(worker=personas.worker, actor=None, data=TARGET, today=TODAY)
    services.job_target_save(worker=personas.worker, actor=None, data={**TARGET, "occupation": "Chauffeur"},
                             expected_version=1, today=TODAY)
    with pytest.raises(ConflictError):
        services.job_target_save(worker=personas.worker, actor=None, data={**TARGET, "occupation": "Kok"},
                                 expected_version=1, today=TODAY)
    assert JobTarget.objects.get().occupation == "Chauffeur"


def test_stale_job_target_form_shows_stored_and_typed_values(personas, login):
    client = login(personas.coach)
    services.job_target_save(worker=personas.worker, actor=None, data=TARGET)
    form = {"occupation": "Kok", "work_type": "regular", "set_on": "01/08/2025", "version": "1"}
    services.job_target_save(worker=personas.worker, actor=None, data={**TARGET, "occupation": "Chauffeur"},
                             expected_version=1)
    response = client.post(_url(personas, "job_target_edit"), form)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Chauffeur" in body and "Kok" in body and response.context["conflict"]
    assert response.context["form"].data["version"] == 2
    assert JobTarget.objects.get().occupation == "Chauffeur"
    again = client.post(_url(personas, "job_target_edit"), {**form, "version": "2"})
    assert again.status_code == 302 and JobTarget.objects.get().occupation == "Kok"


@time_machine.travel(datetime.datetime(2025, 9, 1, 10, tzinfo=datetime.UTC))
def test_job_target_in_the_future_is_refused_and_input_kept(personas, login):
    response = login(personas.coach).post(_url(personas, "job_target_edit"), {
        "occupation": "Magazijnier", "work_type": "regular", "set_on": "02/09/2025", "weekly_hours": "30"})
    assert response.status_code == 200 and "set_on" in response.context["form"].errors
    assert "Magazijnier" in response.content.decode()
    assert not JobTarget.objects.exists()


def _confidential_reads(p):
    from lde_portal.audit.models import AuditAction, AuditEntry

    return AuditEntry.objects.filter(action=AuditAction.READ_CONFIDENTIAL, worker_id=p.worker.pk).count()


@pytest.mark.parametrize(("persona", "sees"), [
    ("coach", True), ("coordinator", True), ("manager", False), ("org_admin", False),
])
def test_childcare_and_pay_conditions_only_for_the_guidance_staff(personas, login, persona, sees):
    services.job_target_save(worker=personas.worker, actor=None, today=TODAY,
                             data={**TARGET, "other_conditions": "Geen nachtwerk"})
    body = login(getattr(personas, persona)).get(_url(personas, "tab")).content.decode()
    assert "Magazijnier" in body and "Geen nachtwerk" in body
    assert ("Kinderen ophalen om 16 uur" in body) is sees and ("Minstens het barema" in body) is sees
    assert ("Kinderopvang en loon worden alleen getoond aan de begeleiders" in body) is not sees
    assert ("Jobdoelwit wijzigen" in body) is sees
    assert _confidential_reads(personas) == (1 if sees else 0)


def test_no_read_is_logged_when_there_are_no_conditions_to_show(personas, login):
    services.job_target_save(worker=personas.worker, actor=None, today=TODAY,
                             data={**TARGET, "childcare": "", "pay_expectation": ""})
    assert login(personas.coach).get(_url(personas, "tab")).status_code == 200
    assert _confidential_reads(personas) == 0


def test_opening_the_job_target_form_is_a_logged_read(personas, login):
    services.job_target_save(worker=personas.worker, actor=None, data=TARGET, today=TODAY)
    body = login(personas.coordinator).get(_url(personas, "job_target_edit")).content.decode()
    assert "Kinderen ophalen om 16 uur" in body
    assert _confidential_reads(personas) == 1


@pytest.mark.parametrize("widened", [False, True])
def test_who_may_not_read_the_conditions_cannot_blank_them(personas, login, monkeypatch, widened):
    """Managers cannot edit the job target; were the track right ever given to them, the form (which carries the
    conditions) still refuses them rather than letting a save blank what they were never shown."""
    from lde_portal.accounts import access

    if widened:
        monkeypatch.setitem(access.PERMISSIONS, "throughflow.track",
                            access.PERMISSIONS["throughflow.track"] | {access.MANAGER})
    services.job_target_save(worker=personas.worker, actor=None, data=TARGET, today=TODAY)
    client = login(personas.manager)
    assert client.get(_url(personas, "job_target_edit")).status_code == 403
    response = client.post(_url(personas, "job_target_edit"), {
        "version": "1", "occupation": "Chauffeur", "work_type": "regular", "set_on": "01/08/2025"})
    assert response.status_code == 403
    target = JobTarget.objects.get()
    assert (target.occupation, target.childcare, target.pay_expectation, target.version) == (
        "Magazijnier", "Kinderen ophalen om 16 uur", "Minstens het barema", 1)
    assert "Jobdoelwit wijzigen" not in client.get(_url(personas, "tab")).content.decode()


def test_audit_names_changed_conditions_never_their_text(personas):
    from lde_portal.audit.models import AuditEntry

    target = services.job_target_save(worker=personas.worker, actor=None, data=TARGET, today=TODAY)
    services.job_target_save(worker=personas.worker, actor=None, expected_version=1, today=TODAY, data={
        **TARGET, "weekly_hours": 24, "childcare": "Opvang geregeld bij oma", "pay_expectation": "Barema + 5 %"})
    entry = AuditEntry.objects.filter(object_id=str(target.pk), action="update").get()
    logged = str(entry.changes) + entry.summary
    for text in ("Kinderen ophalen", "Opvang geregeld", "barema", "Barema"):
        assert text not in logged
    assert set(entry.changes) == {"weekly_hours"} and entry.summary == "childcare, pay_expectation"


@pytest.mark.parametrize(("posted", "saved"), [
    (None, False), ("", False), ("abc", False), ("1", False), ("2", True),
])
def test_job_target_form_needs_the_current_version(personas, login, posted, saved):
    services.job_target_save(worker=personas.worker, actor=None, data=TARGET, today=TODAY)
    services.job_target_save(worker=personas.worker, actor=None, expected_version=1, today=TODAY,
                             data={**TARGET, "occupation": "Chauffeur"})
    form = {"occupation": "Kok", "work_type": "regular", "set_on": "01/08/2025", "childcare": "Kinderen ophalen",
            "pay_expectation": "Minstens het barema"}
    if posted is not None:
        form["version"] = posted
    response = login(personas.coach).post(_url(personas, "job_target_edit"), form)
    target = JobTarget.objects.get()
    if saved:
        assert response.status_code == 302 and (target.occupation, target.version) == ("Kok", 3)
    else:
        assert response.status_code == 200 and response.context["conflict"]
        assert (target.occupation, target.version) == ("Chauffeur", 2)


# --------------------------------------------------------------------------- applications

APPLICATION = {"employer_name": "Colruyt Gent", "date": D(2025, 8, 1), "channel": "vdab_vacancy",
               "position": "Vakkenvuller", "result": "pending", "result_date": None, "note": ""}


@pytest.mark.parametrize(("changes", "field"), [
    ({"date": D(2025, 9, 2)}, "date"),                                           # tomorrow
    ({"result": "rejected", "result_date": D(2025, 7, 31)}, "result_date"),      # result before application
    ({"result": "rejected", "result_date": None}, "result_date"),                # a result needs its date
    ({"result": "interview", "result_date": D(2025, 9, 2)}, "result_date"),      # result date in the future
    ({"employer_name": ""}, "employer_name"),                                    # no employer at all
    ({"channel": ""}, "channel"),
])
def test_invalid_application_is_refused_and_nothing_saved(personas, changes, field):
    with pytest.raises(ValidationError) as exc:
        services.application_save(worker=personas.worker, actor=None, data={**APPLICATION, **changes}, today=TODAY)
    assert field in exc.value.message_dict
    assert not Application.objects.exists()


@pytest.mark.parametrize("changes", [
    {},
    {"date": TODAY, "result": "interview", "result_date": TODAY},              # same day
    {"result": "hired", "result_date": D(2025, 8, 20)},
])
def test_valid_application_is_saved(personas, changes):
    application = services.application_save(worker=personas.worker, actor=None, data={**APPLICATION, **changes},
                                            today=TODAY)
    assert application.pk and application.employer_name == "Colruyt Gent"


def test_directory_employer_names_the_application(personas):
    employer = _employer(personas.org)
    application = services.application_save(worker=personas.worker, actor=None,
                                            data={**APPLICATION, "employer": employer, "employer_name": ""},
                                            today=TODAY)
    assert application.employer_name == "Bakkerij Peeters"
    with pytest.raises(ValidationError):
        services.application_save(worker=personas.worker, actor=None, today=TODAY,
                                  data={**APPLICATION, "employer": _employer(personas.other_org, "Elders")})


def test_application_add_and_edit_through_the_tab(personas, login):
    client = login(personas.coach)
    response = client.post(_url(personas, "application_add"), {
        "employer_name": "Colruyt Gent", "date": "01/08/2025", "channel": "network", "position": "Kassier",
        "result": "pending"})
    assert response.status_code == 302
    application = Application.objects.get()
    edit = _url(personas, "application_edit", application_pk=application.pk)
    bad = client.post(edit, {"employer_name": "Colruyt Gent", "date": "01/08/2025", "channel": "network",
                             "position": "Kassier", "result": "interview", "result_date": "31/07/2025",
                             "version": "1"})
    assert bad.status_code == 200 and "result_date" in bad.context["form"].errors
    assert "31/07/2025" in bad.content.decode()
    application.refresh_from_db()
    assert application.result == "pending"
    ok = client.post(edit, {"employer_name": "Colruyt Gent", "date": "01/08/2025", "channel": "network",
                            "position": "Kassier", "result": "interview", "result_date": "05/08/2025", "version": "1"})
    assert ok.status_code == 302
    tab = client.get(_url(personas, "tab")).content.decode()
    assert "Kassier" in tab and "05/08/2025" in tab


# --------------------------------------------------------------------------- internships


def _internship_data(employer, **changes):
    return {"employer": employer, "start": D(2025, 6, 2), "end": D(2025, 8, 29), "tasks": "Rekken vullen\nKassa",
            "weekly_hours": 30, "mentor": "Jan Peeters", "employer_evaluation": "", "employer_rating": None,
            "worker_evaluation": "", "worker_rating": None, "result": "", **changes}


@pytest.mark.parametrize(("changes", "field"), [
    ({"end": D(2025, 6, 1)}, "end"),                                            # end before start
    ({"employer": None}, "employer"),                                           # directory employer required
    ({"end": D(2025, 9, 30), "result": "completed"}, "result"),                 # not ended yet
    ({"start": D(2025, 9, 2), "end": D(2025, 9, 30), "employer_rating": 3}, "employer_rating"),  # not started
    ({"start": D(2025, 9, 2), "end": D(2025, 9, 30), "worker_evaluation": "Leuk"}, "worker_evaluation"),
])
def test_invalid_internship_is_refused_and_nothing_saved(personas, changes, field):
    employer = _employer(personas.org)
    with pytest.raises(ValidationError) as exc:
        services.internship_save(worker=personas.worker, actor=None, data={**_internship_data(employer), **changes},
                                 today=TODAY)
    assert field in exc.value.message_dict
    assert not Internship.objects.exists()


@pytest.mark.parametrize("changes", [
    {},
    {"end": D(2025, 6, 2)},                                                      # one-day internship (end = start)
    {"result": "job_offered", "employer_rating": 4, "worker_rating": 3, "employer_evaluation": "Stipt"},
    {"end": TODAY, "result": "completed"},                                       # ends today
])
def test_valid_internship_is_saved(personas, changes):
    employer = _employer(personas.org)
    assert services.internship_save(worker=personas.worker, actor=None, data=_internship_data(employer, **changes),
                                    today=TODAY).pk


def test_foreign_employer_is_refused_for_an_internship(personas):
    with pytest.raises(ValidationError) as exc:
        services.internship_save(worker=personas.worker, actor=None, today=TODAY,
                                 data=_internship_data(_employer(personas.other_org, "Elders")))
    assert "employer" in exc.value.message_dict


def test_internship_form_shows_end_before_start_next_to_the_field(personas, login):
    employer = _employer(personas.org)
    response = login(personas.coach).post(_url(personas, "internship_add"), {
        "employer": employer.pk, "start": "02/06/2025", "end": "01/06/2025", "tasks": "Rekken vullen",
        "weekly_hours": "30"})
    assert response.status_code == 200
    assert "02/06/2025" in response.context["form"].errors["end"][0]
    assert "Rekken vullen" in response.content.decode()
    assert not Internship.objects.exists()


def test_stale_internship_edit_raises_conflict(personas):
    internship = services.internship_save(worker=personas.worker, actor=None, today=TODAY,
                                          data=_internship_data(_employer(personas.org)))
    services.internship_save(worker=personas.worker, actor=None, internship=internship, expected_version=1,
                             today=TODAY, data=_internship_data(internship.employer, result="completed"))
    with pytest.raises(ConflictError):
        services.internship_save(worker=personas.worker, actor=None, internship=internship, expected_version=1,
                                 today=TODAY, data=_internship_data(internship.employer, result="stopped"))


@pytest.mark.parametrize(("today", "hint"), [
    (D(2025, 8, 28), False),    # still running
    (D(2025, 8, 29), True),     # the last day
    (D(2025, 11, 27), True),    # 90 days later
    (D(2025, 11, 28), False),   # hint gone after 90 days
])
def test_pop_update_hint_after_the_internship(personas, login, today, hint):
    services.internship_save(worker=personas.worker, actor=None, today=D(2025, 6, 1),
                             data=_internship_data(_employer(personas.org)))
    with time_machine.travel(datetime.datetime.combine(today, datetime.time(10)), tick=False):
        response = login(personas.coach).get(_url(personas, "tab"))
    assert (response.context["pop_hint"] is not None) is hint
    assert ("Naar het POP" in response.content.decode()) is hint


def test_employer_history_shows_internships_and_hires_with_fixed_queries(personas, login, django_assert_num_queries):
    from tests.factories import EmploymentFactory

    employer = _employer(personas.org)
    client = login(personas.coordinator)
    url = reverse("throughflow:employer_detail", kwargs={"org_slug": personas.org.slug, "employer_pk": employer.pk})

    def add(i):
        worker = WorkerFactory(organisation=personas.org)
        EmploymentFactory(worker=worker, activity=personas.activity)
        services.internship_save(worker=worker, actor=None, today=TODAY, data=_internship_data(employer))
        services.exit_record(worker=worker, actor=None, today=TODAY,
                             data={"date": D(2025, 9, 1), "reason": "external", "employer": employer})
        return worker

    first = add(0)
    client.get(url)
    with django_assert_num_queries(7) as one:  # +1 on the directory page: the internships
        response = client.get(url)
    body = response.content.decode()
    assert first.full_name in body and "Rekken vullen" in body
    for i in range(1, 50):
        add(i)
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(url)
    assert len(response.context["internships"]) == 50 and len(response.context["hires"]) == 50


def test_throughflow_tab_query_count_with_placement_rows(personas, login, django_assert_num_queries):
    client = login(personas.coach)
    employer = _employer(personas.org)
    services.job_target_save(worker=personas.worker, actor=None, data=TARGET, today=TODAY)
    services.handover_note_save(worker=personas.worker, actor=None, data={"works_well": "Werkt graag in team"})

    def add():
        services.application_save(worker=personas.worker, actor=None, data={**APPLICATION, "employer": employer},
                                  today=TODAY)
        services.internship_save(worker=personas.worker, actor=None, data=_internship_data(employer), today=TODAY)
        services.consent_record(worker=personas.worker, actor=personas.coach.user, today=TODAY, data={
            "employer": employer, "given_on": D(2025, 8, 1), "scope": ["notes"]})

    add()
    url = _url(personas, "tab")
    client.get(url)
    # +2 for the childcare and pay conditions: the coach's confidential right, and the logged read (one insert).
    with django_assert_num_queries(15) as one:
        client.get(url)
    for _ in range(49):
        add()
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(url)
    assert len(response.context["placement"].applications) == 50


# --------------------------------------------------------------------------- handover notes and consent


def test_handover_notes_need_some_text_and_are_versioned(personas):
    with pytest.raises(ValidationError):
        services.handover_note_save(worker=personas.worker, actor=None, data={"works_well": "  "})
    assert not HandoverNote.objects.exists()
    note = services.handover_note_save(worker=personas.worker, actor=None, data={"works_well": "Rustige uitleg"})
    services.handover_note_save(worker=personas.worker, actor=None, data={"support_tips": "Taken op papier"},
                                expected_version=1)
    with pytest.raises(ConflictError):
        services.handover_note_save(worker=personas.worker, actor=None, data={"works_well": "x"},
                                    expected_version=note.version)


@pytest.mark.parametrize(("given_on", "scope", "field"), [
    (D(2025, 9, 2), ["notes"], "given_on"),      # tomorrow
    (D(2025, 8, 1), [], "scope"),                 # nothing to share
    (D(2025, 8, 1), ["nonsense"], "scope"),
])
def test_invalid_consent_is_refused(personas, given_on, scope, field):
    with pytest.raises(ValidationError) as exc:
        services.consent_record(worker=personas.worker, actor=None, today=TODAY,
                                data={"employer": _employer(personas.org), "given_on": given_on, "scope": scope})
    assert field in exc.value.message_dict
    assert not HandoverConsent.objects.exists()


@pytest.mark.parametrize(("withdrawn_on", "ok"), [
    (D(2025, 7, 31), False),   # before the consent was given
    (D(2025, 8, 1), True),     # the same day
    (D(2025, 9, 1), True),     # today
    (D(2025, 9, 2), False),    # tomorrow
])
def test_consent_withdrawal_dates(personas, withdrawn_on, ok):
    consent = services.consent_record(worker=personas.worker, actor=None, today=TODAY, data={
        "employer": _employer(personas.org), "given_on": D(2025, 8, 1), "scope": ["notes"]})
    if ok:
        assert services.consent_withdraw(consent=consent, actor=None, withdrawn_on=withdrawn_on,
                                         today=TODAY).withdrawn_on == withdrawn_on
        with pytest.raises(ValidationError):  # only once
            services.consent_withdraw(consent=consent, actor=None, withdrawn_on=withdrawn_on, today=TODAY)
    else:
        with pytest.raises(ValidationError) as exc:
            services.consent_withdraw(consent=consent, actor=None, withdrawn_on=withdrawn_on, today=TODAY)
        assert "withdrawn_on" in exc.value.message_dict
        consent.refresh_from_db()
        assert consent.withdrawn_on is None


def test_consent_through_the_tab(personas, login):
    employer = _employer(personas.org)
    client = login(personas.coach)
    response = client.post(_url(personas, "consent_add"), {"employer": employer.pk, "given_on": "01/08/2025",
                                                          "scope": ["experience", "notes"]})
    assert response.status_code == 302
    consent = HandoverConsent.objects.get()
    assert consent.scope == ["experience", "notes"] and consent.recorded_by == personas.coach.user
    response = client.post(_url(personas, "consent_withdraw", consent_pk=consent.pk), {"withdrawn_on": "01/08/2025"})
    assert response.status_code == 302
    tab = client.get(_url(personas, "tab")).content.decode()
    assert "01/08/2025" in tab and "documents/new/handover_summary" not in tab


def test_subject_access_file_contains_the_placement_records(personas):
    from lde_portal.privacy.registry import collect

    employer = _employer(personas.org)
    services.job_target_save(worker=personas.worker, actor=None, data=TARGET, today=TODAY)
    services.application_save(worker=personas.worker, actor=None, data=APPLICATION, today=TODAY)
    services.internship_save(worker=personas.worker, actor=None, data=_internship_data(employer), today=TODAY)
    services.handover_note_save(worker=personas.worker, actor=None, data={"works_well": "Rustige uitleg"})
    services.consent_record(worker=personas.worker, actor=None, today=TODAY, data={
        "employer": employer, "given_on": D(2025, 8, 1), "scope": ["notes"]})
    sections = dict(collect(personas.worker))
    for title in ["Jobdoelwit", "Sollicitaties", "Stages", "Notities voor de warme overdracht",
                  "Toestemmingen om een overdrachtsfiche te delen"]:
        assert len(sections[title]) == 1, title


def test_coaches_see_the_employer_internships_without_other_workers_names(personas, login):
    employer = _employer(personas.org)
    other = WorkerFactory(organisation=personas.org)
    services.internship_save(worker=other, actor=None, today=TODAY, data=_internship_data(employer))
    url = reverse("throughflow:employer_detail", kwargs={"org_slug": personas.org.slug, "employer_pk": employer.pk})
    coach_body = login(personas.coach).get(url).content.decode()
    assert "Rekken vullen" in coach_body and other.full_name not in coach_body
