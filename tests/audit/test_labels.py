"""The audit trail names each record as a person calls it ("Vertrouwelijk luik van Ahmed Benali",
"Feedback week 47 (2026)"), never by its internal type and id ("indication.confidential #1")."""

import datetime
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.urls import reverse

from lde_portal.audit.confidential import confidential_read
from lde_portal.audit.labels import LABELS, type_label
from lde_portal.audit.models import AuditAction
from lde_portal.audit.services import audit_record

pytestmark = pytest.mark.django_db
PORTAL_APPS = ("accounts", "alerts", "audit", "documents", "privacy", "reports", "trajects", "indication", "pop",
               "throughflow", "otp_totp", "otp_static")


def _org_trail(client, personas):
    return client.get(reverse("audit:organisation_trail", kwargs={"org_slug": personas.org.slug})).content.decode()


def test_trail_names_records_as_people_do(personas, login):
    worker = personas.worker
    confidential_read(what="Vertrouwelijk luik", worker=worker, reader=personas.coordinator.user)
    audit_record(actor=personas.coach.user, action=AuditAction.CREATE, organisation=personas.org,
                 object_type="pop.weeklyfeedback", object_id="12", worker_id=worker.pk, summary="2026-W47")
    audit_record(actor=personas.manager.user, action=AuditAction.EXPORT, organisation=personas.org,
                 object_type="yearly_report", object_id="2026", summary="jaarverslag-2026.pdf")
    audit_record(actor=personas.manager.user, action=AuditAction.EXPORT, organisation=personas.org,
                 object_type="export", object_id="trainings", summary="trainings-20261202.xlsx (3 rows)")
    page = _org_trail(login(personas.org_admin), personas)
    name = f"{worker.first_name} {worker.last_name}"
    url = reverse("trajects:worker_detail", kwargs={"org_slug": personas.org.slug, "pk": worker.pk})
    assert f'Vertrouwelijk luik van <a href="{url}">{name}</a>' in page
    assert f'Feedback week 47 (2026) van <a href="{url}">{name}</a>' in page
    assert "Jaarverslag 2026" in page and "Export “Vorming" in page
    for internal in ("indication.confidential", "pop.weeklyfeedback", "yearly_report", "#12", f"#{worker.pk}"):
        assert internal not in re.sub(r'<(select|option)[^>]*>', "", page.split("<tbody>")[1])
    own = login(personas.coordinator).get(reverse("audit:worker_trail", kwargs={
        "org_slug": personas.org.slug, "pk": worker.pk})).content.decode()
    assert "Vertrouwelijk luik</td>" in own and "Feedback week 47 (2026)</td>" in own


def test_the_record_type_filter_lists_readable_names(personas, login):
    confidential_read(what="Vertrouwelijk luik", worker=personas.worker, reader=personas.coordinator.user)
    page = _org_trail(login(personas.org_admin), personas)
    assert '<option value="indication.confidential">Vertrouwelijk luik</option>' in page


def _audited_types_in_code():
    found = set()
    for path in Path(settings.BASE_DIR).rglob("*.py"):
        if ".venv" in path.parts or "tests" in path.parts or "migrations" in path.parts:
            continue
        found |= set(re.findall(r'object_type="([a-z_.]+)"', path.read_text()))
        found |= set(re.findall(r'^OBJECT_TYPE = "([a-z_.]+)"', path.read_text(), re.M))
    return found


def test_every_audited_type_has_a_dutch_name():
    types = _audited_types_in_code() | {m._meta.label_lower for m in apps.get_models()
                                        if m._meta.app_label in PORTAL_APPS}
    assert "indication.confidential" in types and "pop.weeklyfeedback" in types
    unnamed = []
    for object_type in sorted(types):
        model = None if object_type in LABELS else apps.get_model(object_type) if "." in object_type else None
        if object_type not in LABELS and (model is None or "verbose_name" not in model._meta.original_attrs):
            unnamed.append(object_type)
        elif type_label(object_type) == object_type:
            unnamed.append(object_type)
    assert not unnamed, f"Give these a Dutch name in lde_portal/audit/labels.py LABELS: {unnamed}"


def test_feedback_name_needs_no_query(django_assert_num_queries, personas):
    from lde_portal.audit.labels import record_name
    from lde_portal.audit.models import AuditEntry

    entry = AuditEntry(object_type="pop.weeklyfeedback", object_id="3", summary=f"{datetime.date(2026, 11, 16):%G-W%V}")
    with django_assert_num_queries(0):
        assert record_name(entry) == "Feedback week 47 (2026)"
