"""Import sheets of the worker register: workers, contracts, coach assignments, trajectories, suspensions and
extensions (lde_portal/imports/registry.py). Every row is written through trajects.services, so an imported
trajectory gets the same validation, audit entry, stored deadlines and alerts as a typed one.

The lookups at the top (the worker by INSZ, the activity, the coach, the rule table) are shared with the other
domain apps' sheets (they may import trajects); what every sheet shares is in lde_portal/imports/records.py.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from lde_portal.accounts.models import Activity, Membership
from lde_portal.imports.records import (
    RecordSheet,
    actor_of,
    cached,
    changed,
    changes_refused,
    known_list,
    nl_date,
    plain,
    row_error,
    spellings,
)
from lde_portal.imports.registry import Column, Outcome, RowError, Sheet, register_sheet

from . import services
from .models import (
    ClosedReason,
    CoachAssignment,
    CoachRole,
    ContractType,
    EducationLevel,
    Employment,
    Extension,
    ExtensionReason,
    Gender,
    Language,
    PhaseDefinition,
    Regime,
    Suspension,
    SuspensionReason,
    Trajectory,
    Worker,
    WorkerStatus,
)
from .selectors import ruleset

# --------------------------------------------------------------------------- shared helpers


def rule_set(context):
    """The rule table, read once per import ("callers build it once per request or job and pass it on")."""
    return cached(context, "trajects.ruleset", ruleset)


def workers(context) -> dict[str, Worker]:
    return cached(context, "trajects.workers",
                  lambda: {w.insz: w for w in Worker.objects.filter(organisation=context.organisation)})


def worker_of(context, values, column="insz") -> Worker:
    worker = workers(context).get(values.get(column))
    if worker is None:
        raise RowError(_("No worker with this INSZ in this organisation: add the worker on the sheet "
                         "'Werknemers' first."), column=column)
    return worker


def activities(context):
    return cached(context, "accounts.activities",
                  lambda: list(Activity.objects.filter(organisation=context.organisation)))


def activity_of(context, name, column="activity"):
    if not name:
        raise RowError(_("Enter the activity."), column=column)
    folded = name.strip().casefold()
    for activity in activities(context):
        if activity.name.casefold() == folded:
            return activity
    raise RowError(_("Unknown activity '%(name)s'. Known activities: %(known)s.")
                   % {"name": name, "known": known_list(a.name for a in activities(context))}, column=column)


def memberships(context):
    return cached(context, "accounts.memberships", lambda: {
        m.user.email.lower(): m
        for m in Membership.objects.filter(organisation=context.organisation).select_related("user")
    })


def coach_of(context, email, column="coach"):
    membership = memberships(context).get((email or "").lower())
    if membership is None or not membership.active:
        known = [e for e, m in memberships(context).items() if m.active]
        raise RowError(_("Unknown coach '%(email)s': give the e-mail address of an active member of this "
                         "organisation. Known members: %(known)s.") % {"email": email, "known": known_list(known)},
                       column=column)
    return membership


class WorkerRecordSheet(RecordSheet):
    """A worker's record matched on the worker (by INSZ) and the sheet's `natural` columns; by default written
    through the sheet's service calls `create_with(context, worker, data)` and `update_with(context, record,
    data)`, with the row's given values and the changed ones."""

    natural: tuple[str, ...] = ()
    model = None

    def load(self, context):
        by_key = {}
        for r in self.model.objects.filter(organisation=context.organisation).order_by("id"):
            by_key.setdefault((r.worker_id, *(getattr(r, k) for k in self.natural)), r)
        return by_key

    def key_of(self, context, values):
        return (worker_of(context, values).pk, *(values[k] for k in self.natural))

    def create(self, context, values):
        data = {**{k: values[k] for k in self.natural},
                **{f: v for f, v in self.wanted(context, values).items() if v is not None}}
        return self.create_with(context, worker_of(context, values), data)

    def update(self, context, record, changes, values):
        return self.update_with(context, record, {k: new for k, (_old, new) in changes.items()})


# --------------------------------------------------------------------------- workers


INSZ = Column("insz", "INSZ", kind="insz", required=True,
              aliases=("Rijksregisternummer", "RRN", "Rijksregisternr", "INSZ-nummer", "Nationaal nummer",
                       "Identificatienummer sociale zekerheid"),
              help=_lazy("11 digits, with or without dots and dashes (85.07.30-033.28)."), example="85.07.30-033.28")

_GENDER_EXTRA = {"V": "F", "Vrouw": "F", "Man": "M", "Vrouwelijk": "F", "Mannelijk": "M", "Anders": "X"}
_STATUS_EXTRA = {"Actief": "active", "In dienst": "active", "Uit dienst": "exited", "Geschorst": "suspended",
                 "Werving": "recruitment"}


@register_sheet
class WorkersSheet(Sheet):
    key = "workers"
    label = "Werknemers"
    description = _lazy("One row per target-group worker, matched on the INSZ.")
    order = 10
    columns = (
        INSZ,
        Column("last_name", "Familienaam", required=True, aliases=("Achternaam", "Naam", "Familie naam"),
               example="Peeters"),
        Column("first_name", "Voornaam", required=True, aliases=("Roepnaam",), example="An"),
        Column("birth_date", "Geboortedatum", kind="date", aliases=("Geboren op", "Geb. datum"),
               help=_lazy("Derived from the INSZ when empty."), example="30/07/1985"),
        Column("gender", "Geslacht", kind="choice", choices=spellings(Gender, _GENDER_EXTRA),
               aliases=("M/V",), help=_lazy("M, V or X."), example="V"),
        Column("street", "Straat en nummer", aliases=("Adres", "Straat", "Straat + nr"),
               example="Kerkstraat 12"),
        Column("postal_code", "Postcode", aliases=("Post code", "PC"), example="9000"),
        Column("municipality", "Gemeente", aliases=("Woonplaats", "Stad", "Plaats"), example="Gent"),
        Column("phone", "Telefoon", kind="phone", aliases=("GSM", "Telefoonnummer", "Tel", "Gsm-nummer"),
               example="0470 12 34 56"),
        Column("email", "E-mail", kind="email", aliases=("E-mailadres", "Email", "Mail"),
               example="an.peeters@example.be"),
        Column("preferred_language", "Taal", kind="choice", choices=spellings(Language),
               aliases=("Voorkeurstaal", "Moedertaal"), help=_lazy("Dutch when empty."), example="Nederlands"),
        Column("education_level", "Opleidingsniveau", kind="choice", choices=spellings(EducationLevel),
               aliases=("Diploma", "Hoogste diploma", "Scholing"), example="Lager secundair onderwijs"),
        Column("interpreter_needed", "Tolk nodig", kind="boolean", aliases=("Tolk",), example="nee"),
        Column("status", "Status", kind="choice", choices=spellings(WorkerStatus, _STATUS_EXTRA),
               help=_lazy("Active when empty."), example="Actief"),
        Column("status_since", "Status sinds", kind="date", aliases=("Sinds",),
               help=_lazy("The import date when empty."), example="01/09/2024"),
    )
    fields = ("first_name", "last_name", "birth_date", "gender", "street", "postal_code", "municipality", "phone",
              "email", "preferred_language", "education_level", "interpreter_needed")
    errors_on = {"insz": "insz", "birth_date": "birth_date", "postal_code": "postal_code", "email": "email"}

    def apply(self, context, values):
        insz = values["insz"]
        worker = workers(context).get(insz)
        actor = actor_of(context)
        wanted = {f: values.get(f) for f in self.fields if f in values}
        status = values.get("status") or WorkerStatus.ACTIVE
        status_since = values.get("status_since") or context.today
        warnings = []
        if status == WorkerStatus.EXITED:
            # The exit service sets this status with the exit itself (closing the trajectory, ending contracts
            # and assignments, planning the follow-ups); a bare status would skip all of that.
            warnings.append(_("The status 'exited' follows from this worker's row on the sheet 'Uitstroom'; "
                              "without one the worker stays active."))
            status = worker.status if worker is not None else WorkerStatus.ACTIVE
            # The exit row's date must not lie before this first status (exit_record's order check).
            status_since = min(status_since, context.today)
        try:
            if worker is None:
                data = {f: v for f, v in wanted.items() if v is not None}
                data["insz"] = insz
                worker = services.worker_create(organisation=context.organisation, actor=actor, data=data,
                                                status=status, status_date=status_since)
                workers(context)[worker.insz] = worker
                return Outcome("created", created=[worker], warnings=warnings)
            changes = changed({f: getattr(worker, f) for f in self.fields}, wanted)
            if changes:
                worker = services.worker_update(worker=worker, actor=actor,
                                                data={k: new for k, (_old, new) in changes.items()})
            if values.get("status") and not warnings and (status != worker.status or (
                    values.get("status_since") and status_since != worker.status_since)):
                changes["status"] = (worker.status, status)
                services.worker_change_status(worker=worker, actor=actor, status=status, date=status_since)
        except ValidationError as exc:
            raise row_error(exc, {"date": "status_since", "status": "status"}, default="insz", sheet=self) from None
        workers(context)[worker.insz] = worker
        if not changes:
            return Outcome("unchanged")
        return Outcome("updated", changes=changes, warnings=warnings, updated=[worker])

    def export_rows(self, organisation):
        # An exited worker's status dates from the exit (exit_record sets both): a status written later than the
        # exit (an exit recorded ahead of a planned end) would make the import's exit row come before the
        # worker's first status, and be refused.
        for w in (Worker.objects.filter(organisation=organisation).annotate(exit_date=F("exit__date"))
                  .order_by("insz")):
            since = w.exit_date if w.status == WorkerStatus.EXITED and w.exit_date else w.status_since
            yield {"insz": w.insz, **{f: getattr(w, f) for f in self.fields}, "status": w.status,
                   "status_since": since}


# --------------------------------------------------------------------------- contracts


START_ALIASES = ("Begindatum", "In dienst", "Datum in dienst", "Start", "Van")
END_ALIASES = ("Uit dienst", "Datum uit dienst", "Einde", "Tot", "Tot en met")


@register_sheet
class ContractsSheet(WorkerRecordSheet):
    key = "contracts"
    label = "Contracten"
    description = _lazy("One row per employment contract, matched on the worker and the contract start.")
    order = 20
    columns = (
        INSZ,
        Column("activity", "Activiteit", required=True, aliases=("Dienst", "Werkpost", "Afdeling", "Project"),
               help=_lazy("The name of one of the organisation's activities."), example="Fietspunt"),
        Column("contract_start", "Startdatum", kind="date", required=True,
               aliases=(*START_ALIASES, "Start contract", "Begin contract"), example="01/09/2024"),
        Column("contract_end", "Einddatum", kind="date", aliases=(*END_ALIASES, "Einde contract"),
               help=_lazy("Empty for an open-ended contract that still runs."), example=""),
        Column("weekly_hours", "Uren per week", kind="decimal", required=True,
               aliases=("Uren/week", "Wekelijkse arbeidsduur", "Arbeidsduur", "Uren"), example="19,5"),
        Column("contract_type", "Contracttype", kind="choice",
               choices=spellings(ContractType, {"Onbepaalde duur": "open_ended", "COD": "open_ended",
                                                "Bepaalde duur": "fixed_term", "CBD": "fixed_term",
                                                "Vervanging": "replacement"}),
               aliases=("Soort contract", "Type contract", "Contract"), help=_lazy("Open-ended when empty."),
               example="Onbepaalde duur"),
        Column("fte", "VTE", kind="decimal", aliases=("FTE", "Tewerkstellingsbreuk", "Breuk"),
               help=_lazy("Computed from the hours per week when empty."), example="0,513"),
    )
    default_column = "contract_start"
    cache_key = "trajects.contracts"
    model, natural = Employment, ("contract_start",)
    compared = ("activity", "contract_end", "weekly_hours", "contract_type", "fte")

    def key_of(self, context, values):
        activity_of(context, values.get("activity"))
        return super().key_of(context, values)

    def current(self, record):
        return {**super().current(record), "activity": record.activity.name}

    def wanted(self, context, values):
        wanted = {**super().wanted(context, values), "activity": activity_of(context, values["activity"]).name}
        if wanted.get("fte") is None and wanted.get("weekly_hours") is not None:
            wanted["fte"] = services.suggested_fte(wanted["weekly_hours"])
        return wanted

    def create(self, context, values):
        data = {"activity": activity_of(context, values["activity"]), "contract_start": values["contract_start"],
                "contract_end": values.get("contract_end"), "weekly_hours": values.get("weekly_hours"),
                "contract_type": values.get("contract_type") or ContractType.OPEN_ENDED, "fte": values.get("fte")}
        return services.employment_add(worker=worker_of(context, values), actor=actor_of(context), data=data)

    def update(self, context, record, changes, values):
        data = {k: new for k, (_old, new) in changes.items()}
        if "activity" in data:
            data["activity"] = activity_of(context, values["activity"])
        return services.employment_update(employment=record, actor=actor_of(context), data=data)

    def export_rows(self, organisation):
        for e in (Employment.objects.filter(organisation=organisation).select_related("worker", "activity")
                  .order_by("worker__insz", "contract_start", "id")):
            yield {"insz": e.worker.insz, "activity": e.activity.name, "contract_start": e.contract_start,
                   "contract_end": e.contract_end, "weekly_hours": e.weekly_hours, "contract_type": e.contract_type,
                   "fte": e.fte}


# --------------------------------------------------------------------------- coach assignments


@register_sheet
class AssignmentsSheet(RecordSheet):
    key = "assignments"
    label = "Begeleiders"
    description = _lazy("Which coach guides which worker from when, matched on the worker, the coach and the start.")
    order = 30
    columns = (
        INSZ,
        Column("coach", "E-mail begeleider", kind="email", required=True,
               aliases=("Begeleider", "Coach", "E-mail coach", "Jobcoach"),
               help=_lazy("The e-mail address the coach logs in with."), example="coach@example.be"),
        Column("role", "Rol", kind="choice",
               choices=spellings(CoachRole, {"Jobcoach": "job_coach", "Technisch instructeur": "technical_instructor",
                                             "Trajectbegeleider": "trajectory_coach"}),
               aliases=("Functie",), help=_lazy("Job coach when empty."), example="Jobcoach"),
        Column("start", "Vanaf", kind="date", required=True, aliases=("Startdatum", *START_ALIASES),
               example="01/09/2024"),
        Column("end", "Tot en met", kind="date", aliases=("Einddatum", "Tot", "Einde"), example=""),
    )
    default_column = "start"
    cache_key = "trajects.assignments"
    compared = ("role", "end")

    def load(self, context):
        return {(a.worker_id, a.coach_id, a.start): a
                for a in CoachAssignment.objects.filter(organisation=context.organisation).order_by("id")}

    def key_of(self, context, values):
        return (worker_of(context, values).pk, coach_of(context, values.get("coach")).pk, values["start"])

    def create(self, context, values):
        return services.coach_assign(worker=worker_of(context, values), actor=actor_of(context),
                                     coach=coach_of(context, values["coach"]),
                                     role=values.get("role") or CoachRole.JOB_COACH, start=values["start"],
                                     end=values.get("end"))

    def update(self, context, record, changes, values):
        if "role" in changes:
            raise RowError(_("This coach is already assigned from %(date)s with the role %(role)s: a role "
                             "cannot be changed by an import; end the assignment in the portal and add a new "
                             "one.") % {"date": nl_date(record.start), "role": record.get_role_display()},
                           column="role")
        if record.end is not None:
            raise RowError(_("This assignment already ended on %(date)s; an import does not move an end "
                             "date.") % {"date": nl_date(record.end)}, column="end")
        return services.coach_unassign(assignment=record, actor=actor_of(context), end=values["end"])

    def export_rows(self, organisation):
        for a in (CoachAssignment.objects.filter(organisation=organisation).select_related("worker", "coach__user")
                  .order_by("worker__insz", "start", "id")):
            yield {"insz": a.worker.insz, "coach": a.coach.user.email, "role": a.role, "start": a.start, "end": a.end}


# --------------------------------------------------------------------------- trajectories


def regime_of(value, column="regime"):
    """The regime written as its code or its label (Dutch or English), any case."""
    folded = (value or "").strip().casefold()
    accepted = {k.casefold(): v for k, v in spellings(Regime, {"IMW": "IMW_5Y", "IMW 5 jaar": "IMW_5Y",
                                                              "IMW 2 jaar": "IMW_2Y", "Overgang": "TRANSITION",
                                                              "Transitie": "TRANSITION"})().items()}
    if folded in accepted:
        return accepted[folded]
    raise RowError(_("Unknown regime '%(value)s'. Known regimes: %(known)s.")
                   % {"value": value or "", "known": ", ".join(Regime.values)}, column=column)


def trajectories(context) -> dict:
    """(worker id, regime, start) → trajectory, and worker id → the worker's trajectories by opening."""
    def load():
        by_key, by_worker = {}, {}
        for t in (Trajectory.objects.filter(organisation=context.organisation).select_related("worker")
                  .order_by("opened_on", "id")):
            by_key[(t.worker_id, t.regime, t.start)] = t
            by_worker.setdefault(t.worker_id, []).append(t)
        return {"by_key": by_key, "by_worker": by_worker}

    return cached(context, "trajects.trajectories", load)


def remember_trajectory(context, trajectory):
    index = trajectories(context)
    index["by_key"][(trajectory.worker_id, trajectory.regime, trajectory.start)] = trajectory
    listed = [t for t in index["by_worker"].get(trajectory.worker_id, []) if t.pk != trajectory.pk]
    index["by_worker"][trajectory.worker_id] = sorted([*listed, trajectory], key=lambda t: (t.opened_on, t.pk))


def record_past(context, trajectory, day) -> bool:
    """Whether a suspension or extension row is history a closed trajectory takes (`record_past` of the services).

    A suspension recorded ahead stays on its trajectory when a regime change or an exit closes it sooner (and
    trajectory_change_regime copies it to the next one), so a source holds suspensions that start after the
    closing. The sheets bring a trajectory with its closing first and its suspensions after: the rows of a
    trajectory this run brought in are its history whatever their dates. A closed trajectory the portal held
    before takes only what lies within it, as if recorded while it ran."""
    return (trajectory.closed_on is None or day <= trajectory.closed_on
            or trajectory.pk in cached(context, "trajects.brought", set))


def trajectory_of(context, worker, values, *, on=None):
    """The trajectory a suspension or extension row is about: by regime + start, or the one in effect `on`."""
    index = trajectories(context)
    if values.get("regime"):
        regime = regime_of(values["regime"])
        if values.get("trajectory_start"):
            trajectory = index["by_key"].get((worker.pk, regime, values["trajectory_start"]))
            if trajectory is None:
                raise RowError(_("This worker has no %(regime)s trajectory starting on %(date)s: add it on the "
                                 "sheet 'Trajecten' first.") % {"regime": regime,
                                                                 "date": nl_date(values["trajectory_start"])},
                               column="trajectory_start")
            return trajectory
        candidates = [t for t in index["by_worker"].get(worker.pk, []) if t.regime == regime]
    else:
        candidates = list(index["by_worker"].get(worker.pk, []))
    if on is not None:
        covering = [t for t in candidates if t.opened_on <= on and (t.closed_on is None or on <= t.closed_on)]
        candidates = covering or candidates
    if not candidates:
        raise RowError(_("This worker has no trajectory: add it on the sheet 'Trajecten' first."), column="insz")
    return candidates[-1]


def phases(context):
    return cached(context, "trajects.phases",
                  lambda: list(PhaseDefinition.objects.filter(organisation=context.organisation)))


def phase_of(context, name, column="phase"):
    folded = name.strip().casefold()
    for phase in phases(context):
        if phase.name.casefold() == folded:
            return phase
    raise RowError(_("Unknown phase '%(name)s'. Phases of this organisation: %(known)s.")
                   % {"name": name, "known": known_list(p.name for p in phases(context))}, column=column)


_TRAJECTORY_ERRORS = {"regime": "regime", "start": "start", "decision_date": "decision_date",
                      "opened_on": "opened_on", "closed_on": "closed_on", "closed_reason": "closed_reason",
                      "phase": "phase", "change_date": "opened_on"}


@register_sheet
class TrajectoriesSheet(Sheet):
    key = "trajectories"
    label = "Trajecten"
    description = _lazy("One row per trajectory under one regime, matched on the worker, the regime and the start "
                        "of employment; a worker's trajectories in the order they took effect.")
    order = 40
    columns = (
        INSZ,
        Column("regime", "Regime", required=True, aliases=("Statuut", "Maatregel"),
               help=_lazy("LDE, TRANSITION, IMW_5Y, IMW_2Y or CMW, or their names."), example="IMW_5Y"),
        Column("start", "Start tewerkstelling", kind="date", required=True,
               aliases=("Startdatum", "Begindatum", "In dienst", "Start"),
               help=_lazy("The hire date the legal term counts from."), example="01/09/2024"),
        Column("decision_date", "Beslissingsdatum DWSE", kind="date",
               aliases=("DWSE-beslissing", "Datum beslissing", "Beslissingsdatum"),
               help=_lazy("Required for IMW."), example="15/08/2024"),
        Column("opened_on", "Van kracht vanaf", kind="date", aliases=("Ingang", "Ingangsdatum"),
               help=_lazy("The day the trajectory took effect (a regime change); the start when empty."),
               example=""),
        Column("phase", "Fase", aliases=("Huidige fase", "Trajectfase"),
               help=_lazy("A phase of the organisation's trajectory model; the first one when empty."), example=""),
        Column("closed_on", "Afgesloten op", kind="date", aliases=("Einde traject", "Einddatum traject"),
               help=_lazy("Empty while the trajectory runs."), example=""),
        Column("closed_reason", "Reden afsluiting", kind="choice",
               choices=spellings(ClosedReason, {"Uitstroom": "exit", "Regimewijziging": "regime_change",
                                                "Einde termijn": "end_of_term"}),
               aliases=("Reden einde",), help=_lazy("Other when empty."), example=""),
    )

    def apply(self, context, values):
        worker = worker_of(context, values)
        regime = regime_of(values.get("regime"))
        start = values["start"]
        existing = trajectories(context)["by_key"].get((worker.pk, regime, start))
        actor = actor_of(context)
        phase = phase_of(context, values["phase"]) if values.get("phase") else None
        closed_on = values.get("closed_on")
        reason = values.get("closed_reason") or ClosedReason.OTHER
        warnings = []
        try:
            if existing is None:
                opened_on = values.get("opened_on") or start
                previous = next((t for t in trajectories(context)["by_worker"].get(worker.pk, [])
                                 if t.closed_on == opened_on - datetime.timedelta(days=1)), None)
                trajectory = services.trajectory_start(
                    worker=worker, actor=actor, regime=regime, start=start, decision_date=values.get("decision_date"),
                    opened_on=opened_on, phase=phase, previous=previous, today=context.today,
                    rule_set=rule_set(context))
                if closed_on is not None and reason == ClosedReason.EXIT and worker.status != WorkerStatus.EXITED:
                    # The exit closes it (throughflow's exit service), after its suspensions and extensions.
                    warnings.append(_("This trajectory is closed by the worker's exit on the sheet 'Uitstroom'; "
                                      "without one it stays open."))
                elif closed_on is not None:
                    trajectory = services.trajectory_close(trajectory=trajectory, actor=actor, closed_on=closed_on,
                                                           reason=reason)
                    if closed_on < context.today:
                        warnings.append(_("This trajectory ended on %(date)s and is imported as closed.")
                                        % {"date": nl_date(closed_on)})
                remember_trajectory(context, trajectory)
                cached(context, "trajects.brought", set).add(trajectory.pk)
                return Outcome("created", created=[trajectory], warnings=warnings)
            current = {"decision_date": existing.decision_date, "opened_on": existing.opened_on,
                       "phase": existing.current_phase.name if existing.current_phase_id else None,
                       "closed_on": existing.closed_on,
                       "closed_reason": existing.closed_reason if existing.closed_on else None}
            wanted = {"decision_date": values.get("decision_date"), "opened_on": values.get("opened_on"),
                      "phase": phase.name if phase else None, "closed_on": closed_on,
                      "closed_reason": values.get("closed_reason") if closed_on else None}
            changes = changed(current, wanted)
            if "closed_on" in changes and reason == ClosedReason.EXIT and worker.status != WorkerStatus.EXITED:
                changes.pop("closed_on")
                changes.pop("closed_reason", None)
                warnings.append(_("This trajectory is closed by the worker's exit on the sheet 'Uitstroom'; "
                                  "without one it stays open."))
            if not changes:
                return Outcome("unchanged", warnings=warnings)
            fixed = [k for k in ("decision_date", "opened_on") if k in changes]
            if fixed or (existing.closed_on is not None and changes):
                column = fixed[0] if fixed else next(iter(changes))
                raise RowError(_("This trajectory already exists with other data (%(column)s: %(old)s → %(new)s); "
                                 "an import only adds a phase or the closing of a running trajectory: correct it "
                                 "in the portal.") % {"column": column, "old": plain(changes[column][0]),
                                                      "new": plain(changes[column][1])}, column=column)
            trajectory = existing
            if "phase" in changes:
                trajectory = services.trajectory_change_phase(trajectory=trajectory, actor=actor, phase=phase,
                                                              since=context.today, today=context.today,
                                                              rule_set=rule_set(context))
            if "closed_on" in changes:
                trajectory = services.trajectory_close(trajectory=trajectory, actor=actor, closed_on=closed_on,
                                                       reason=reason)
                changes.setdefault("closed_reason", (None, reason))
            remember_trajectory(context, trajectory)
            return Outcome("updated", changes=changes, updated=[trajectory])
        except ValidationError as exc:
            raise row_error(exc, _TRAJECTORY_ERRORS, default="start", sheet=self) from None

    def export_rows(self, organisation):
        for t in (Trajectory.objects.filter(organisation=organisation).select_related("worker", "current_phase")
                  .order_by("worker__insz", "opened_on", "id")):
            yield {"insz": t.worker.insz, "regime": t.regime, "start": t.start, "decision_date": t.decision_date,
                   "opened_on": t.opened_on, "phase": t.current_phase.name if t.current_phase_id else "",
                   "closed_on": t.closed_on, "closed_reason": t.closed_reason or None}


TRAJECTORY_REF = (
    Column("regime", "Regime", aliases=("Statuut",),
           help=_lazy("With the start of the trajectory, names the trajectory; when empty the trajectory in effect "
                      "on the date."), example="IMW_5Y"),
    Column("trajectory_start", "Start traject", kind="date", aliases=("Start tewerkstelling",),
           example="01/09/2024"),
)


def _trajectory_key(t):
    return {"regime": t.regime, "trajectory_start": t.start}


class TrajectoryHistorySheet(RecordSheet):
    """Suspensions and extensions: a trajectory's history, matched on the trajectory and the sheet's `natural`
    columns. The row names its trajectory (regime and start) or else the one in effect on its `day`; `write`
    records it through the service, as history (record_past)."""

    model = None
    natural: tuple[str, ...] = ()
    day = ""

    def load(self, context):
        return {(r.trajectory_id, *(getattr(r, k) for k in self.natural)): r
                for r in self.model.objects.filter(organisation=context.organisation)}

    def trajectory(self, context, values):
        return trajectory_of(context, worker_of(context, values), values, on=values[self.day])

    def key_of(self, context, values):
        return (self.trajectory(context, values).pk, *(values[k] for k in self.natural))

    def create(self, context, values):
        trajectory = self.trajectory(context, values)
        record = self.write(context, trajectory, values, record_past(context, trajectory, values[self.day]))
        trajectory.refresh_from_db()
        return record


@register_sheet
class SuspensionsSheet(TrajectoryHistorySheet):
    key = "suspensions"
    label = "Schorsingen"
    description = _lazy("Periods during which the trajectory clock stops, matched on the trajectory and the start.")
    order = 50
    columns = (
        INSZ, *TRAJECTORY_REF,
        Column("reason", "Reden", kind="choice", required=True,
               choices=spellings(SuspensionReason, {"Ziekte": "illness", "Zwangerschap": "maternity",
                                                    "Moederschapsrust": "maternity", "Corona": "pandemic"}),
               aliases=("Reden schorsing",), example="Ziekte"),
        Column("start", "Van", kind="date", required=True, aliases=("Startdatum", "Begindatum", "Vanaf"),
               example="01/02/2025"),
        Column("end", "Tot en met", kind="date", required=True, aliases=("Einddatum", "Tot"),
               example="30/04/2025"),
        Column("note", "Opmerking", aliases=("Nota",), example=""),
    )
    default_column = "start"
    cache_key = "trajects.suspensions"
    compared = ("reason", "end", "note")

    model, natural, day = Suspension, ("start",), "start"

    def write(self, context, trajectory, values, record_past):
        return services.trajectory_suspend(
            trajectory=trajectory, actor=actor_of(context), reason=values["reason"], start=values["start"],
            end=values["end"], note=values.get("note") or "", today=context.today, record_past=record_past,
            rule_set=rule_set(context))

    def update(self, context, record, changes, values):
        raise changes_refused(_("A suspension from %(date)s already exists with other data (%(column)s: %(old)s → "
                                "%(new)s): correct it in the portal."), changes, date=nl_date(record.start))

    def export_rows(self, organisation):
        for s in (Suspension.objects.filter(organisation=organisation).select_related("trajectory__worker")
                  .order_by("trajectory__worker__insz", "trajectory__opened_on", "start", "id")):
            yield {"insz": s.trajectory.worker.insz, **_trajectory_key(s.trajectory), "reason": s.reason,
                   "start": s.start, "end": s.end, "note": s.note}


@register_sheet
class ExtensionsSheet(TrajectoryHistorySheet):
    key = "extensions"
    label = "Verlengingen"
    description = _lazy("Extension decisions, matched on the trajectory, the decision date and the reason.")
    order = 55
    columns = (
        INSZ, *TRAJECTORY_REF,
        Column("reason", "Reden", kind="choice", required=True,
               choices=spellings(ExtensionReason, {"Zesde jaar": "SIXTH_YEAR", "55+": "AGE_55", "Ziekte": "ILLNESS"}),
               aliases=("Reden verlenging",), example="Zesde jaar"),
        Column("months", "Maanden", kind="integer", required=True, aliases=("Aantal maanden", "Duur"),
               example="12"),
        Column("decision_date", "Beslissingsdatum", kind="date", required=True,
               aliases=("Datum beslissing", "Beslissing"), example="15/06/2029"),
        Column("note", "Opmerking", aliases=("Nota",), example=""),
    )
    default_column = "reason"
    cache_key = "trajects.extensions"
    compared = ("months", "note")

    model, natural, day = Extension, ("decision_date", "reason"), "decision_date"

    def write(self, context, trajectory, values, record_past):
        return services.trajectory_extend(
            trajectory=trajectory, actor=actor_of(context), reason=values["reason"], months=values["months"],
            decision_date=values["decision_date"], note=values.get("note") or "", today=context.today,
            record_past=record_past, rule_set=rule_set(context))

    def update(self, context, record, changes, values):
        raise changes_refused(_("This extension already exists with other data (%(column)s: %(old)s → %(new)s): "
                                "correct it in the portal."), changes)

    def export_rows(self, organisation):
        for e in (Extension.objects.filter(organisation=organisation).select_related("trajectory__worker")
                  .order_by("trajectory__worker__insz", "trajectory__opened_on", "decision_date", "id")):
            yield {"insz": e.trajectory.worker.insz, **_trajectory_key(e.trajectory), "reason": e.reason,
                   "months": e.months, "decision_date": e.decision_date, "note": e.note}
