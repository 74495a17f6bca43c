"""The organisation's employer directory."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from lde_portal.accounts.validators import normalise_enterprise_number
from lde_portal.audit.models import AuditAction
from lde_portal.audit.services import audit_record
from lde_portal.concurrency import check_version
from lde_portal.transactions import service_atomic

from ..models import Employer

EMPLOYER_FIELDS = ["name", "enterprise_number", "sector", "municipality", "contacts"]


def _employer_clean(employer):
    # Normalised before the field checks: "BE 0123 456 749" is longer than the 10 stored digits.
    if employer.enterprise_number:
        try:
            employer.enterprise_number = normalise_enterprise_number(employer.enterprise_number)
        except ValidationError as exc:
            raise ValidationError({"enterprise_number": exc.messages}) from None
    employer.full_clean(exclude=["organisation"], validate_constraints=False)
    if employer.enterprise_number and Employer.objects.filter(
            organisation_id=employer.organisation_id, enterprise_number=employer.enterprise_number
    ).exclude(pk=employer.pk).exists():
        raise ValidationError({"enterprise_number": [_("An employer with this enterprise number is already in "
                                                       "the directory.")]})


@service_atomic
def employer_create(*, organisation, actor, data: dict) -> Employer:
    employer = Employer(organisation=organisation, **{k: data.get(k, "") for k in EMPLOYER_FIELDS})
    _employer_clean(employer)
    employer.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=employer, summary=employer.name)
    return employer


@service_atomic
def employer_update(*, employer: Employer, actor, data: dict, expected_version=None) -> Employer:
    """Shared record: a stale form raises ConflictError (lde_portal/concurrency.py)."""
    locked = Employer.objects.select_for_update().get(pk=employer.pk)
    check_version(locked, expected_version)
    before = {k: getattr(locked, k) for k in EMPLOYER_FIELDS}
    for k in EMPLOYER_FIELDS:
        setattr(locked, k, data.get(k, ""))
    _employer_clean(locked)
    locked.version += 1
    locked.save()
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=locked,
                 changes={k: [before[k], getattr(locked, k)] for k in EMPLOYER_FIELDS if before[k] != getattr(locked, k)})
    return locked
