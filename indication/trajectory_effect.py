"""A new advice or decision can start, extend or change the worker's trajectory ("traject aanpassen").

The trajectory itself belongs to `trajects`: this module only translates the choice made on the advice
form into one call of its services (trajectory_start / trajectory_extend / trajectory_change_regime),
inside the advice service's transaction, so the advice and the trajectory change commit or fail together.
"""

from django.apps import apps
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from trajects import services as trajectory_services
from trajects.models import Employment

START, CHANGE_REGIME, EXTEND = "start", "change_regime", "extend"

# The regime an advice points at (the form pre-selects it; the user can choose another).
REGIME_FOR_ADVICE = {"lde_advice": "LDE", "imw_attestation": "IMW_5Y", "cmw_start_package": "CMW"}

# trajects.services field names → the advice form's field names.
FIELD_MAP = {"regime": "trajectory_regime", "months": "extension_months", "reason": "extension_reason",
             "change_date": "trajectory_date", "start": "trajectory_date", "opened_on": "trajectory_date",
             "decision_date": "trajectory_date", "phase": "trajectory_action"}


def available() -> bool:
    try:
        apps.get_model("trajects", "Trajectory")
    except LookupError:
        return False
    return all(hasattr(trajectory_services, n)
               for n in ("trajectory_start", "trajectory_extend", "trajectory_change_regime"))


def open_trajectory(worker):
    return apps.get_model("trajects", "Trajectory").objects.filter(worker=worker, closed_on__isnull=True).first()


def _remap(error: ValidationError) -> ValidationError:
    if hasattr(error, "error_dict"):
        return ValidationError({FIELD_MAP.get(k, "trajectory_action"): v for k, v in error.error_dict.items()})
    return ValidationError({"trajectory_action": error.messages})


def apply(*, advice, actor, action: dict):
    """`action`: {"action": start|change_regime|extend, "regime", "date", "reason", "months"}."""
    kind = action.get("action")
    worker = advice.worker
    regime = action.get("regime") or REGIME_FOR_ADVICE.get(advice.type)
    if kind in (START, CHANGE_REGIME) and not regime:
        raise ValidationError({"trajectory_regime": [_("Choose the regime.")]})
    trajectory = open_trajectory(worker)
    try:
        if kind == START:
            if trajectory is not None:
                raise ValidationError({"trajectory_action": [_("This worker already has an open trajectory.")]})
            hire = Employment.objects.filter(worker=worker).order_by("contract_start").values_list(
                "contract_start", flat=True).first()
            start = action.get("date") or hire or advice.decision_date
            return trajectory_services.trajectory_start(
                worker=worker, actor=actor, regime=regime, start=start,
                decision_date=advice.decision_date if regime.startswith("IMW") else None)
        if trajectory is None:
            raise ValidationError({"trajectory_action": [_("This worker has no open trajectory to adjust.")]})
        if kind == CHANGE_REGIME:
            return trajectory_services.trajectory_change_regime(
                trajectory=trajectory, actor=actor, regime=regime,
                change_date=action.get("date") or advice.decision_date,
                decision_date=advice.decision_date if regime.startswith("IMW") else None)
        if kind == EXTEND:
            return trajectory_services.trajectory_extend(
                trajectory=trajectory, actor=actor, reason=action["reason"], months=action["months"],
                decision_date=advice.decision_date,
                note=_("Advice of %(date)s") % {"date": advice.decision_date.strftime("%d/%m/%Y")})
    except ValidationError as error:
        raise _remap(error) from None
    raise ValidationError({"trajectory_action": [_("Choose what to do with the trajectory.")]})
