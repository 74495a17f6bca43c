import datetime

import pytest
from django.core import mail

from lde_portal.accounts.models import Role
from lde_portal.alerts import tasks
from lde_portal.alerts.digest import due_digests, period_for, send_digest
from lde_portal.alerts.models import AlertPreference, AlertRecipient, AlertSettings, DigestLog
from lde_portal.alerts.scan import scan_organisation
from tests.factories import (
    CoachAssignmentFactory,
    EmploymentFactory,
    MembershipFactory,
    OrganisationFactory,
    WorkerFactory,
)

from .conftest import end_contract

D = datetime.date
DUE = D(2026, 6, 30)
MONDAY = D(2026, 6, 1)


def _daily(membership):
    AlertPreference.objects.update_or_create(membership=membership, defaults={"digest": "daily"})


@pytest.mark.django_db
def test_a_retried_digest_task_sends_exactly_one_email(personas, provider):
    end_contract(personas, DUE)
    _daily(personas.coach)
    scan_organisation(organisation=personas.org, today=MONDAY)
    scan_organisation(organisation=personas.org, today=MONDAY)
    for _ in range(2):  # the beat job twice, and the member's task retried by hand
        tasks.send_digests.delay(MONDAY.isoformat())
    tasks.send_digest.delay(personas.coach.pk, MONDAY.isoformat(), MONDAY.isoformat())
    to_coach = [m for m in mail.outbox if m.to == [personas.coach.user.email]]
    assert len(to_coach) == 1
    message = to_coach[0]
    assert personas.worker.first_name in message.body
    assert "30/06/2026" in message.body
    html = message.alternatives[0][0]
    assert personas.worker.first_name in html and "<table" in html
    assert DigestLog.objects.get(membership=personas.coach).sent_at


@pytest.mark.django_db
def test_a_failed_send_releases_the_claim_and_the_retry_sends_once(personas, provider, monkeypatch):
    end_contract(personas, DUE)
    scan_organisation(organisation=personas.org, today=MONDAY)
    from django.core.mail import EmailMultiAlternatives

    real_send = EmailMultiAlternatives.send
    failures = [OSError("SMTP down")]

    def flaky_send(self, *args, **kwargs):
        if failures:
            raise failures.pop()
        return real_send(self, *args, **kwargs)

    monkeypatch.setattr(EmailMultiAlternatives, "send", flaky_send)
    from celery.exceptions import Retry

    with pytest.raises(Retry):  # eager mode surfaces the retry; a worker re-queues it after the delay
        tasks.send_digest.delay(personas.coach.pk, "2026-W23", MONDAY.isoformat())
    assert mail.outbox == []
    assert DigestLog.objects.get(membership=personas.coach).claimed_at is None  # released for the retry
    assert tasks.send_digest.delay(personas.coach.pk, "2026-W23", MONDAY.isoformat()).get() == "sent:1"
    assert tasks.send_digest.delay(personas.coach.pk, "2026-W23", MONDAY.isoformat()).get() == "already-claimed"
    assert len(mail.outbox) == 1
    assert send_digest(membership_id=personas.coach.pk, period="2026-W23", today=MONDAY) == "already-claimed"
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_the_digest_mentions_an_alert_again_only_at_a_new_stage(personas, provider):
    end_contract(personas, DUE)  # stages: 31/05 (30 days), 23/06 (7 days), 30/06 (due), escalation
    _daily(personas.coach)
    for day, expected in [(D(2026, 6, 1), 1), (D(2026, 6, 2), 0), (D(2026, 6, 23), 1), (D(2026, 6, 24), 0),
                          (D(2026, 6, 30), 1), (D(2026, 7, 1), 0)]:
        scan_organisation(organisation=personas.org, today=day)
        before = len(mail.outbox)
        send_digest(membership_id=personas.coach.pk, period=day.isoformat(), today=day)
        assert len(mail.outbox) - before == expected, day


@pytest.mark.django_db
def test_a_digest_never_names_a_worker_the_recipient_may_not_see(provider):
    """Two organisations, two coaches each seeing only their own worker; a stray recipient row (a coach
    unassigned, or a bug) must not leak the other worker's name."""
    org_a, org_b = OrganisationFactory(), OrganisationFactory()
    coach_a = MembershipFactory(organisation=org_a, role=Role.COACH)
    coach_a2 = MembershipFactory(organisation=org_a, role=Role.COACH)
    coach_b = MembershipFactory(organisation=org_b, role=Role.COACH)
    MembershipFactory(user=coach_a.user, organisation=org_b, role=Role.COACH)  # coach A also works in org B
    workers = {}
    for name, org, coach in [("Anouk", org_a, coach_a), ("Bram", org_a, coach_a2), ("Celine", org_b, coach_b)]:
        worker = WorkerFactory(organisation=org, first_name=name)
        EmploymentFactory(worker=worker, contract_end=DUE)
        CoachAssignmentFactory(worker=worker, coach=coach)
        workers[name] = worker
    for org in (org_a, org_b):
        scan_organisation(organisation=org, today=MONDAY)
    # A stray row addressing coach A about Bram, whom coach A may not see.
    bram_alert = AlertRecipient.objects.get(membership=coach_a2).alert
    AlertRecipient.objects.create(alert=bram_alert, membership=coach_a)
    for membership in (coach_a, coach_a2, coach_b):
        send_digest(membership_id=membership.pk, period="2026-W23", today=MONDAY)
    by_recipient = {}
    for message in mail.outbox:
        by_recipient.setdefault(message.to[0], []).append(message.body + message.alternatives[0][0])
    text_a = " ".join(by_recipient[coach_a.user.email])
    assert "Anouk" in text_a and "Bram" not in text_a and "Celine" not in text_a
    text_b = " ".join(by_recipient[coach_b.user.email])
    assert "Celine" in text_b and "Anouk" not in text_b and "Bram" not in text_b


@pytest.mark.django_db
def test_no_digest_for_deactivated_members_or_users(personas, provider):
    end_contract(personas, DUE)
    scan_organisation(organisation=personas.org, today=MONDAY)
    personas.coach.active = False
    personas.coach.save()
    assert personas.coach.pk not in {pk for pk, _ in due_digests(MONDAY)}
    assert send_digest(membership_id=personas.coach.pk, period="2026-W23", today=MONDAY) == "inactive"
    personas.coach.active = True
    personas.coach.save()
    personas.coach.user.is_active = False
    personas.coach.user.save()
    assert send_digest(membership_id=personas.coach.pk, period="2026-W23", today=MONDAY) == "inactive"
    assert mail.outbox == []


@pytest.mark.django_db
@pytest.mark.parametrize(("frequency", "day", "period"), [
    ("daily", D(2026, 6, 2), "2026-06-02"),
    ("weekly", D(2026, 6, 1), "2026-W23"),   # Monday
    ("weekly", D(2026, 6, 2), None),         # Tuesday: no weekly digest
    ("weekly", D(2027, 1, 4), "2027-W01"),
    ("weekly", D(2026, 12, 28), "2026-W53"),
    ("none", D(2026, 6, 1), None),
])
def test_digest_periods(frequency, day, period):
    assert period_for(frequency, day) == period


@pytest.mark.django_db
def test_the_organisation_default_and_the_personal_choice(personas):
    AlertSettings.objects.create(organisation=personas.org, default_digest="daily")
    AlertPreference.objects.create(membership=personas.coach, digest="none")
    due = dict(due_digests(D(2026, 6, 2)))
    assert personas.coach.pk not in due
    assert due[personas.coordinator.pk] == "2026-06-02"
    assert personas.outsider.pk not in due  # other organisation: weekly default, and it is Tuesday


@pytest.mark.django_db
def test_the_digest_is_in_dutch(personas, provider):
    end_contract(personas, DUE)
    scan_organisation(organisation=personas.org, today=MONDAY)
    send_digest(membership_id=personas.coach.pk, period="2026-W23", today=MONDAY)
    (message,) = mail.outbox
    assert "Goeiedag " in message.body
    assert "deadline" in message.subject.lower()
    assert "Meldingen" in message.alternatives[0][0] or "meldingen" in message.alternatives[0][0]
