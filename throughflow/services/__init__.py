"""Writes of the throughflow app (keyword-only, atomic, audited; see trajects/services.py), one module per
sub-domain. Callers import from here (`from throughflow import services`), not from the modules."""

from .employers import EMPLOYER_FIELDS, employer_create, employer_update
from .exits import (
    EXIT_FIELDS,
    FOLLOWUP_FIELDS,
    exit_record,
    followup_months,
    followup_record,
    followup_too_early,
    throughflow_settings_save,
)
from .placement import (
    APPLICATION_FIELDS,
    CONFIDENTIAL_JOB_TARGET_FIELDS,
    HANDOVER_FIELDS,
    INTERNSHIP_FIELDS,
    JOB_TARGET_FIELDS,
    application_save,
    consent_record,
    consent_withdraw,
    handover_note_save,
    internship_save,
    job_target_has_confidential,
    job_target_save,
)
from .readiness import READINESS_FIELDS, readiness_check_save
from .track import decision_reference, hours_log, track_change_phase, track_open, track_pause, track_resume

__all__ = [
    "APPLICATION_FIELDS",
    "CONFIDENTIAL_JOB_TARGET_FIELDS",
    "EMPLOYER_FIELDS",
    "EXIT_FIELDS",
    "FOLLOWUP_FIELDS",
    "HANDOVER_FIELDS",
    "INTERNSHIP_FIELDS",
    "JOB_TARGET_FIELDS",
    "READINESS_FIELDS",
    "application_save",
    "consent_record",
    "consent_withdraw",
    "decision_reference",
    "employer_create",
    "employer_update",
    "exit_record",
    "followup_months",
    "followup_record",
    "followup_too_early",
    "handover_note_save",
    "hours_log",
    "internship_save",
    "job_target_has_confidential",
    "job_target_save",
    "readiness_check_save",
    "throughflow_settings_save",
    "track_change_phase",
    "track_open",
    "track_pause",
    "track_resume",
]
