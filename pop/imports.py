"""Import sheet of the trainings (lde_portal/imports/registry.py): one row per training and participant, as
training registers are kept, written through pop.services.training_save."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _lazy

from lde_portal.imports.registry import Column, Outcome, Sheet, register_sheet
from trajects.imports import INSZ, actor_of, cached, changed, row_error, spellings, worker_of

from . import services
from .models import ProviderType, Training

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
            if joins:
                changes["insz"] = (None, worker.insz)
            index[key] = services.training_save(
                organisation=context.organisation, actor=actor, training=training,
                data={k: new for k, (_old, new) in changes.items() if k != "insz"},
                competences=list(training.competences.all()), participants=[*participants, worker])
            return Outcome("updated", changes=changes)
        except ValidationError as exc:
            raise row_error(exc, {"participants": "insz"}, default="course", sheet=self) from None

    def export_rows(self, organisation):
        for t in (Training.objects.filter(organisation=organisation).prefetch_related("participants")
                  .order_by("start_date", "course", "id")):
            for worker in sorted(t.participants.all(), key=lambda w: w.insz):
                yield {"insz": worker.insz, "course": t.course, "provider": t.provider, "start_date": t.start_date,
                       **{f: getattr(t, f) for f in TRAINING_FIELDS}}
