"""Moving an organisation: its records exported in the import workbook's layout and imported into an empty one.

Shared by the round-trip test and the benchmark. The organisation's own set-up (its activities, its members and
its phase model) is not part of the records: `copy_setup` gives the new organisation the same, as an admin does
before moving in.
"""

from decimal import Decimal

from lde_portal.accounts.models import Activity, Membership, Organisation, Role


def copy_setup(source, *, slug, name):
    from tests.factories import valid_enterprise_number
    from trajects.models import PhaseDefinition

    number = next(valid_enterprise_number(n) for n in range(9000, 99999)
                  if not Organisation.objects.filter(enterprise_number=valid_enterprise_number(n)).exists())
    target = Organisation.objects.create(slug=slug, name=name, enterprise_number=number,
                                         municipality=source.municipality, postal_code=source.postal_code)
    Activity.objects.bulk_create(Activity(organisation=target, name=a.name, type=a.type, municipality=a.municipality,
                                          active=a.active) for a in Activity.objects.filter(organisation=source))
    Membership.objects.bulk_create(Membership(organisation=target, user_id=m.user_id, role=m.role, active=m.active)
                                   for m in Membership.objects.filter(organisation=source))
    PhaseDefinition.objects.filter(organisation=target).delete()
    PhaseDefinition.objects.bulk_create(
        PhaseDefinition(organisation=target, name=p.name, order=p.order, expected_months=p.expected_months,
                        active=p.active) for p in PhaseDefinition.objects.filter(organisation=source))
    return target


def admin_of(organisation):
    return (Membership.objects.filter(organisation=organisation, role=Role.ORG_ADMIN, active=True)
            .select_related("user").order_by("id").first())


def export_workbook(organisation, path) -> dict:
    from lde_portal.imports.writer import write_workbook

    with open(path, "wb") as fileobj:
        return write_workbook(fileobj, organisation=organisation, with_rows=True)


def import_workbook(organisation, path, *, dry_run=False, skip_invalid=False, today=None) -> dict:
    from lde_portal.imports.engine import Engine

    return Engine(organisation=organisation, membership=admin_of(organisation), path=str(path), kind="xlsx",
                  filename="records.xlsx", dry_run=dry_run, skip_invalid=skip_invalid, today=today).execute()


def _plain(value):
    if isinstance(value, Decimal):
        return value.normalize()
    return value


def _fields(obj, names):
    return tuple(_plain(getattr(obj, n)) for n in names)


def dossiers(organisation) -> dict:
    """Every imported kind of record of an organisation, by the worker's INSZ, without ids: equal for two
    organisations holding the same dossiers."""
    from indication.models import Advice, EvaluationRequest
    from pop.models import Training
    from throughflow.models import Exit, FollowUp
    from trajects.models import CoachAssignment, Employment, Extension, Suspension, Trajectory, Worker

    org = organisation
    out = {}
    for w in Worker.objects.filter(organisation=org):
        out[w.insz] = {"worker": _fields(w, ("first_name", "last_name", "birth_date", "gender", "street", "postal_code",
                                             "municipality", "phone", "email", "preferred_language",
                                             "education_level", "interpreter_needed", "status", "status_since")),
                       "contracts": [], "assignments": [], "trajectories": [], "advices": [], "evaluations": [],
                       "trainings": [], "exit": None, "followups": [], "pop": None, "pop_schedule": None}
    for e in Employment.objects.filter(organisation=org).select_related("worker", "activity"):
        out[e.worker.insz]["contracts"].append((e.activity.name, *_fields(e, (
            "contract_start", "contract_end", "contract_type", "weekly_hours", "fte"))))
    for a in CoachAssignment.objects.filter(organisation=org).select_related("worker", "coach__user"):
        out[a.worker.insz]["assignments"].append((a.coach.user.email, *_fields(a, ("role", "start", "end"))))
    suspensions, extensions = {}, {}
    for s in Suspension.objects.filter(organisation=org):
        suspensions.setdefault(s.trajectory_id, []).append(_fields(s, ("reason", "start", "end", "note")))
    for x in Extension.objects.filter(organisation=org):
        extensions.setdefault(x.trajectory_id, []).append(_fields(x, ("reason", "months", "decision_date", "note")))
    for t in (Trajectory.objects.filter(organisation=org).select_related("worker", "current_phase", "previous")
              .prefetch_related("deadlines")):
        out[t.worker.insz]["trajectories"].append((
            *_fields(t, ("regime", "start", "decision_date", "opened_on", "term_start", "planned_end", "closed_on",
                         "closed_reason", "next_due", "next_due_kind")),
            t.current_phase.name if t.current_phase_id else None,
            t.previous.opened_on if t.previous_id else None,
            tuple(sorted(suspensions.get(t.pk, []))), tuple(sorted(extensions.get(t.pk, []))),
            tuple(sorted((d.kind, d.due, d.rule, d.source) for d in t.deadlines.all()))))
    for a in Advice.objects.filter(organisation=org).select_related("worker"):
        out[a.worker.insz]["advices"].append(_fields(a, (
            "type", "issuing_body", "consultant_name", "decision_date", "referred_on", "valid_until", "destination",
            "wage_premium_percent", "guidance_premium", "favourable", "track_start_due", "status", "note")))
    for r in EvaluationRequest.objects.filter(organisation=org).select_related("worker"):
        out[r.worker.insz]["evaluations"].append(_fields(r, (
            "reason", "requested_on", "earliest_allowed", "exception_reason", "planned_visit", "pop_update_due",
            "outcome", "decision_date", "note")))
    for t in Training.objects.filter(organisation=org).prefetch_related("participants"):
        for w in t.participants.all():
            out[w.insz]["trainings"].append(_fields(t, ("course", "provider", "provider_type", "start_date",
                                                        "end_date", "hours", "cost")))
    for x in Exit.objects.filter(organisation=org).select_related("worker", "trajectory", "activity", "coach__user"):
        out[x.worker.insz]["exit"] = (*_fields(x, ("date", "reason", "destination_employer", "contract_type",
                                                   "weekly_hours", "support_after", "note")),
                                      x.trajectory.regime if x.trajectory_id else None,
                                      x.activity.name if x.activity_id else None,
                                      x.coach.user.email if x.coach_id else None)
    for f in FollowUp.objects.filter(organisation=org).select_related("worker"):
        out[f.worker.insz]["followups"].append(_fields(f, ("months", "due", "done_on", "still_employed",
                                                           "same_employer", "support_needed", "note")))
    from pop.imports import current_versions
    from pop.models import PopSchedule

    for v in current_versions(org):
        out[v.pop.worker.insz]["pop"] = (
            *_fields(v, ("status", "long_term_goal", "short_term_goal", "job_target", "approved_on",
                         "vdab_registered_on")), v.pop.year,
            tuple(sorted((pc.competence.name, pc.current_level, pc.target_level, pc.focus)
                         for pc in v.competences.all())),
            tuple((a.what, a.supporter, a.how, a.due_date, a.status) for a in v.actions.all()))
    # The schedule of the workers whose current plan is approved: the first registration counts over every plan a
    # worker had, and a draft's schedule comes from the approved plan before it; the import brings the current
    # plan only. A worker without a plan gets the schedule from the daily job (pop_schedule_refresh_all).
    approved = [v.pop.worker_id for v in current_versions(org) if v.status == "approved"]
    for s in PopSchedule.objects.filter(organisation=org, worker_id__in=approved).select_related("worker"):
        # Not next_due: whether a deadline runs follows the worker's status, which an exit or a suspension
        # changes after the approval; the schedule follows it at the daily job, as in the portal.
        out[s.worker.insz]["pop_schedule"] = _fields(s, ("hire_date", "first_pop_due", "last_approved_on",
                                                         "review_due"))
    for dossier in out.values():
        for _key, value in dossier.items():
            if isinstance(value, list):
                value.sort(key=lambda row: tuple((x is None, str(x)) for x in row))
    return out


def differences(before: dict, after: dict, limit=20) -> list[str]:
    """Readable differences between two `dossiers()` results."""
    found = []
    for insz in sorted(set(before) | set(after)):
        a, b = before.get(insz), after.get(insz)
        if a is None or b is None:
            found.append(f"{insz}: only in {'the import' if a is None else 'the source'}")
            continue
        for key in a:
            if a[key] != b[key]:
                found.append(f"{insz} {key}:\n  source {a[key]}\n  import {b[key]}")
        if len(found) >= limit:
            break
    return found


