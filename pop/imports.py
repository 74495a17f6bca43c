"""Import sheets of the pop app (lde_portal/imports/registry.py): the trainings, one row per training and
participant as training registers are kept (pop.services.training_save), and each worker's current POP."""

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from lde_portal.imports.records import actor_of, cached, changed, known_list, nl_date, row_error, spellings
from lde_portal.imports.registry import Column, Outcome, RowError, Sheet, register_sheet
from trajects.imports import INSZ, rule_set, worker_of

from . import services
from .models import LEVELS, ActionStatus, Competence, PopStatus, PopVersion, ProviderType, Training

TRAINING_FIELDS = ("provider_type", "end_date", "hours", "cost")


@register_sheet
class TrainingsSheet(Sheet):
    key = "trainings"
    label = "Opleidingen"
    description = _lazy("One row per training and participant, matched on the course, the provider and the start "
                        "date; a training with several participants has a row for each.")
    order = 75
    columns = (
        INSZ,
        Column("course", "Opleiding", required=True, aliases=("Cursus", "Vorming", "Titel"),
               example="Veilig werken met de bosmaaier"),
        Column("provider", "Opleidingsverstrekker", required=True, aliases=("Verstrekker", "Aanbieder", "Lesgever"),
               example="Groenacademie"),
        Column("provider_type", "Categorie vormingsfonds", kind="choice", required=True,
               choices=spellings(ProviderType, {"Intern": "internal", "Extern": "external", "Taal": "language",
                                                "Taalondersteuning": "language"}),
               aliases=("Categorie", "Vormingsfonds", "Soort opleiding"), example="Extern"),
        Column("start_date", "Datum", kind="date", required=True, aliases=("Startdatum", "Begindatum", "Van"),
               example="12/03/2025"),
        Column("end_date", "Einddatum", kind="date", aliases=("Tot", "Tot en met"), example=""),
        Column("hours", "Uren", kind="decimal", required=True, aliases=("Aantal uren", "Duur (uren)"), example="7,5"),
        Column("cost", "Kostprijs (EUR)", kind="decimal", aliases=("Kostprijs", "Kost", "Prijs"), example="120,00"),
    )

    def apply(self, context, values):
        worker = worker_of(context, values)
        index = cached(context, "pop.trainings", lambda: {
            (t.course, t.provider, t.start_date): t
            for t in Training.objects.filter(organisation=context.organisation).prefetch_related("participants")})
        key = (values["course"], values["provider"], values["start_date"])
        training = index.get(key)
        wanted = {f: values.get(f) for f in TRAINING_FIELDS if f in values}
        actor = actor_of(context)
        try:
            if training is None:
                data = {"course": values["course"], "provider": values["provider"],
                        "start_date": values["start_date"], **{k: v for k, v in wanted.items() if v is not None}}
                training = services.training_save(organisation=context.organisation, actor=actor, data=data,
                                                  competences=[], participants=[worker])
                index[key] = training
                return Outcome("created", created=[training])
            participants = list(training.participants.all())
            changes = changed({f: getattr(training, f) for f in TRAINING_FIELDS}, wanted)
            joins = worker not in participants
            if not changes and not joins:
                return Outcome("unchanged")
            index[key] = services.training_save(
                organisation=context.organisation, actor=actor, training=training,
                data={k: new for k, (_old, new) in changes.items()},
                competences=list(training.competences.all()), participants=[*participants, worker])
            # A row is one participation: a new participant is a created row, not an update of the training.
            if joins and not changes:
                return Outcome("created")
            return Outcome("updated", changes=changes)
        except ValidationError as exc:
            raise row_error(exc, {"participants": "insz"}, default="course", sheet=self) from None

    def export_rows(self, organisation):
        for t in (Training.objects.filter(organisation=organisation).prefetch_related("participants")
                  .order_by("start_date", "course", "id")):
            for worker in sorted(t.participants.all(), key=lambda w: w.insz):
                yield {"insz": worker.insz, "course": t.course, "provider": t.provider, "start_date": t.start_date,
                       **{f: getattr(t, f) for f in TRAINING_FIELDS}}


# --------------------------------------------------------------------------- the current POP
#
# A worker's current plan (the latest version of the latest year) on three sheets, as coordinators keep them: its
# competences with the current and the target level, its improvement actions, and the plan itself (goals, status,
# approval, VDAB registration), which runs last because approving a plan needs its content (pop_approve's minimum
# content). Every row goes through pop.services, so the version number, the status, the stored review deadline and
# the alerts are those of a plan typed in the portal.

YEAR = Column("year", "Jaar", kind="integer", required=True, aliases=("POP-jaar", "Planjaar"),
              help=_lazy("The year of the plan."), example="2026")


def plans(context) -> dict:
    """(worker id, year) → the plan's latest version."""
    def load():
        latest = {}
        for v in (PopVersion.objects.filter(organisation=context.organisation).select_related("pop")
                  .order_by("pop__year", "number")):
            latest[(v.pop.worker_id, v.pop.year)] = v
        return latest

    return cached(context, "pop.plans", load)


def plan_of(context, worker, year, sheet):
    """The version a row writes to, started (pop_start) when the worker has no plan for that year. A plan this
    run started holds what pop_start prefilled (the default competences, last year's open actions) until the
    file's first competence or action row replaces them: `fresh` names what is still prefilled."""
    version = plans(context).get((worker.pk, year))
    fresh = cached(context, "pop.fresh", dict)
    if version is not None:
        return version, fresh.get(version.pk, set()), []
    try:
        version = services.pop_start(worker=worker, actor=actor_of(context), today=context.today, year=year)
    except ValidationError as exc:
        raise row_error(exc, {}, default="year", sheet=sheet) from None
    if version.pop.year != year:
        raise RowError(_("This worker has an open POP draft for %(year)s: approve it or change it in the portal "
                         "first.") % {"year": version.pop.year}, column="year")
    plans(context)[(worker.pk, year)] = version
    fresh[version.pk] = {"competences", "actions"}
    created = [version.pop] if version.number == 1 else [version]
    return version, fresh[version.pk], created


def plan_update(context, version, *, data=None, competences=None, actions=None):
    target = services.pop_update(version=version, actor=actor_of(context), data=data or {},
                                 competences=services.RowChanges() if competences is None else competences,
                                 actions=services.RowChanges() if actions is None else actions)
    fresh = cached(context, "pop.fresh", dict)
    if target.pk != version.pk:
        fresh.pop(version.pk, None)
    plans(context)[(target.pop.worker_id, target.pop.year)] = target
    return target


def competences(context) -> dict:
    """The catalogue the organisation's plans choose from (the sector's and its own), by folded name."""
    def load():
        by_name = {}
        for c in (Competence.objects.filter(Q(organisation__isnull=True) | Q(organisation=context.organisation))
                  .order_by("-active", "organisation_id", "id")):
            by_name.setdefault(c.name.casefold(), c)
        return by_name

    return cached(context, "pop.competences", load)


def competence_of(context, name):
    competence = competences(context).get((name or "").strip().casefold())
    if competence is None:
        known = [c.name for c in competences(context).values() if c.active]
        raise RowError(_("Unknown competence '%(name)s'. Competences of the catalogue: %(known)s.")
                       % {"name": name, "known": known_list(known)}, column="competence")
    return competence


def _level(values, key):
    if values.get(key) not in LEVELS:
        raise RowError(_("A level goes from 1 to 4."), column=key)
    return values[key]


@register_sheet
class PopCompetencesSheet(Sheet):
    key = "pop_competences"
    label = "POP-competenties"
    description = _lazy("The competences of each worker's current POP with the current and the target level, "
                        "matched on the worker, the year and the competence.")
    order = 80
    columns = (
        INSZ, YEAR,
        Column("competence", "Competentie", required=True, aliases=("Competentie naam", "Vaardigheid"),
               help=_lazy("The name of a competence of the catalogue."), example="Stiptheid"),
        Column("current_level", "Huidig niveau", kind="integer", required=True, aliases=("Niveau nu", "Nu"),
               help=_lazy("1 to 4."), example="2"),
        Column("target_level", "Doelniveau", kind="integer", required=True, aliases=("Doel", "Niveau doel"),
               help=_lazy("1 to 4."), example="3"),
        Column("focus", "In de weekfeedback", kind="boolean", aliases=("Focus", "In focus"),
               help=_lazy("Rated in the weekly feedback; yes when empty."), example="ja"),
    )

    def apply(self, context, values):
        worker = worker_of(context, values)
        competence = competence_of(context, values["competence"])
        row = {"competence": competence, "current_level": _level(values, "current_level"),
               "target_level": _level(values, "target_level"),
               "focus": True if values.get("focus") is None else values["focus"]}
        version, fresh, created = plan_of(context, worker, values["year"], self)
        try:
            if "competences" in fresh:
                fresh.discard("competences")
                plan_update(context, version, competences=[row])
                return Outcome("created", created=created)
            stored = next((pc for pc in version.competences.all() if pc.competence_id == competence.pk), None)
            if stored is None:
                plan_update(context, version, competences=services.RowChanges(added=[row]))
                return Outcome("created", created=created)
            changes = changed({"current_level": stored.current_level, "target_level": stored.target_level,
                               "focus": stored.focus},
                              {"current_level": row["current_level"], "target_level": row["target_level"],
                               "focus": values.get("focus")})
            if not changes:
                return Outcome("unchanged")
            plan_update(context, version, competences=services.RowChanges(changed={stored.pk: row}))
            return Outcome("updated", changes=changes)
        except ValidationError as exc:
            raise row_error(exc, {"competences": "competence"}, default="competence", sheet=self) from None

    def export_rows(self, organisation):
        for version in current_versions(organisation):
            for pc in version.competences.all():
                yield {"insz": version.pop.worker.insz, "year": version.pop.year, "competence": pc.competence.name,
                       "current_level": pc.current_level, "target_level": pc.target_level, "focus": pc.focus}


ACTION_FIELDS = ("supporter", "how", "due_date", "status")


@register_sheet
class PopActionsSheet(Sheet):
    key = "pop_actions"
    label = "POP-acties"
    description = _lazy("The improvement actions of each worker's current POP, who supports them and by when, "
                        "matched on the worker, the year and what the worker will do.")
    order = 82
    columns = (
        INSZ, YEAR,
        Column("what", "Actie", required=True, aliases=("Wat", "Verbeteractie", "Omschrijving"),
               help=_lazy("What the worker will do."), example="Elke ochtend om 8u aanwezig zijn"),
        Column("supporter", "Wie ondersteunt", aliases=("Wie", "Ondersteuning", "Ondersteuner"),
               example="Jobcoach"),
        Column("how", "Hoe", aliases=("Werkwijze",), example="Wekker en sms-herinnering"),
        Column("due_date", "Tegen", kind="date", aliases=("Wanneer", "Deadline", "Tegen wanneer", "Datum"),
               example="30/06/2026"),
        Column("status", "Status", kind="choice",
               choices=spellings(ActionStatus, {"Gedaan": "done", "Afgerond": "done", "Geschrapt": "dropped"}),
               aliases=("Stand",), help=_lazy("Open when empty."), example="Open"),
    )

    def apply(self, context, values):
        worker = worker_of(context, values)
        what = values["what"]
        row = {"what": what, "supporter": values.get("supporter") or "", "how": values.get("how") or "",
               "due_date": values.get("due_date"), "status": values.get("status") or ActionStatus.OPEN}
        version, fresh, created = plan_of(context, worker, values["year"], self)
        try:
            if "actions" in fresh:
                fresh.discard("actions")
                plan_update(context, version, actions=[row])
                return Outcome("created", created=created)
            stored = next((a for a in version.actions.all() if a.what.strip().casefold() == what.casefold()), None)
            if stored is None:
                plan_update(context, version, actions=services.RowChanges(added=[row]))
                return Outcome("created", created=created)
            changes = changed({f: getattr(stored, f) for f in ACTION_FIELDS},
                              {f: values.get(f) for f in ACTION_FIELDS})
            if not changes:
                return Outcome("unchanged")
            plan_update(context, version, actions=services.RowChanges(
                changed={stored.pk: {"what": stored.what, **{f: getattr(stored, f) for f in ACTION_FIELDS},
                                     **{k: new for k, (_old, new) in changes.items()}}}))
            return Outcome("updated", changes=changes)
        except ValidationError as exc:
            raise row_error(exc, {"actions": "what"}, default="what", sheet=self) from None

    def export_rows(self, organisation):
        for version in current_versions(organisation):
            for a in version.actions.all():
                yield {"insz": version.pop.worker.insz, "year": version.pop.year, "what": a.what,
                       **{f: getattr(a, f) for f in ACTION_FIELDS}}


PLAN_FIELDS = ("long_term_goal", "short_term_goal", "job_target")


@register_sheet
class PopsSheet(Sheet):
    key = "pops"
    label = "POP"
    description = _lazy("One row per worker's current POP: the goals, the status, the approval and the "
                        "registration with VDAB, matched on the worker and the year.")
    order = 84
    columns = (
        INSZ, YEAR,
        Column("long_term_goal", "Doel op lange termijn", aliases=("Langetermijndoel",),
               help=_lazy("In the worker's own words."), example="Vast werk in een groendienst"),
        Column("short_term_goal", "Doel op korte termijn", aliases=("Kortetermijndoel",),
               help=_lazy("In the worker's own words."), example="Zelfstandig een perk onderhouden"),
        Column("job_target", "Jobdoelwit", aliases=("Jobdoel", "Beoogde job"), example="Groenarbeider"),
        Column("status", "Status", kind="choice",
               choices=spellings(PopStatus, {"Ontwerp": "draft", "Klaar voor nazicht": "ready_for_review",
                                             "Goedgekeurd": "approved"}),
               help=_lazy("Draft when empty; an approved plan needs its approval date."), example="Goedgekeurd"),
        Column("approved_on", "Goedgekeurd op", kind="date", aliases=("Goedkeuring", "Datum goedkeuring"),
               example="15/01/2026"),
        Column("vdab_registered_on", "Geregistreerd bij VDAB op", kind="date",
               aliases=("Registratie VDAB", "VDAB-registratie"), example="20/01/2026"),
    )

    def apply(self, context, values):
        worker = worker_of(context, values)
        version, _fresh, created = plan_of(context, worker, values["year"], self)
        status = values.get("status") or (PopStatus.APPROVED if values.get("approved_on") else None)
        if status == PopStatus.SUPERSEDED:
            status = PopStatus.APPROVED
        actor = actor_of(context)
        changes = changed({f: getattr(version, f) for f in PLAN_FIELDS}, {f: values.get(f) for f in PLAN_FIELDS})
        try:
            if changes:
                version = plan_update(context, version, data={k: new for k, (_old, new) in changes.items()})
            approved = version.status in (PopStatus.APPROVED, PopStatus.SUPERSEDED)
            if status and status != version.status and not (approved and status == PopStatus.APPROVED):
                if approved:
                    raise RowError(_("This POP was approved on %(date)s: an import does not take an approved plan "
                                     "back; change it in the portal.") % {"date": nl_date(version.approved_on)},
                                   column="status")
                changes["status"] = (version.status, status)
                if status == PopStatus.DRAFT:
                    version = services.pop_return_to_draft(version=version, actor=actor)
                elif status == PopStatus.READY:
                    version = services.pop_submit(version=version, actor=actor)
                else:
                    version = services.pop_approve(version=version, actor=actor, on=values.get("approved_on"),
                                                   rule_set=rule_set(context))
                    if values.get("approved_on"):
                        changes["approved_on"] = (None, values["approved_on"])
            elif approved and values.get("approved_on") and values["approved_on"] != version.approved_on:
                raise RowError(_("This POP was approved on %(date)s: an import does not move an approval; correct "
                                 "it in the portal.") % {"date": nl_date(version.approved_on)}, column="approved_on")
            registered = values.get("vdab_registered_on")
            if registered and registered != version.vdab_registered_on:
                if version.vdab_registered_on is not None:
                    raise RowError(_("This POP was registered with VDAB on %(date)s: correct the date in the "
                                     "portal.") % {"date": nl_date(version.vdab_registered_on)},
                                   column="vdab_registered_on")
                version = services.pop_register_vdab(version=version, actor=actor, on=registered,
                                                     today=context.today, rule_set=rule_set(context))
                changes["vdab_registered_on"] = (None, registered)
        except ValidationError as exc:
            raise row_error(exc, {"on": "vdab_registered_on"}, default="status", sheet=self) from None
        plans(context)[(worker.pk, values["year"])] = version
        if created:
            return Outcome("created", created=created)
        return Outcome("updated", changes=changes) if changes else Outcome("unchanged")

    def export_rows(self, organisation):
        for version in current_versions(organisation):
            yield {"insz": version.pop.worker.insz, "year": version.pop.year,
                   **{f: getattr(version, f) for f in PLAN_FIELDS}, "status": version.status,
                   "approved_on": version.approved_on, "vdab_registered_on": version.vdab_registered_on}


def current_versions(organisation):
    """Each worker's current plan: the latest version of the latest year."""
    current = {}
    for v in (PopVersion.objects.filter(organisation=organisation).select_related("pop__worker")
              .prefetch_related("competences__competence", "actions").order_by("pop__year", "number")):
        current[v.pop.worker_id] = v
    return sorted(current.values(), key=lambda v: v.pop.worker.insz)
