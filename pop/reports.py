"""The pop app's exporters (docs/reports.md), registered in PopConfig.ready()."""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lde_portal.accounts.access import workers_visible_to
from lde_portal.accounts.models import Membership
from lde_portal.periods import dated_in, in_activity
from lde_portal.reports.registry import Column, Exporter, choice_words, register_exporter
from trajects.models import CoachAssignment
from trajects.selectors import current_activity, latest_employment

from .models import DueKind, PopSchedule, PopStatus, PopVersion, ProviderType, Training, WeeklyFeedback
from .selectors import ACTIVE_STATUSES

# The files' own words where they differ from the pages' (read by choice_words; named here for makemessages).
EXPORT_WORDS = (pgettext_lazy("export", "Draft"), pgettext_lazy("export", "Ready for review"),
                pgettext_lazy("export", "First POP registered with VDAB"))
# The training fund's form lists external trainers, internal trainers and language support in that order.
PROVIDER_ORDER = [ProviderType.EXTERNAL, ProviderType.INTERNAL, ProviderType.LANGUAGE]
MAX_WEEKS = 106  # two years of weeks: a coverage export beyond that is not a weekly follow-up any more


def _latest_activity(worker_ref):
    return Subquery(latest_employment(worker_ref).values("activity_id")[:1])


def pop_schedules(membership, filters, *, today=None):
    """The POP follow-up of every active (or suspended) visible worker in the activity: one row each."""
    latest_version = PopVersion.objects.filter(pop__worker=OuterRef("worker_id")).order_by("-pop__year", "-number")
    qs = (PopSchedule.objects.filter(worker__in=workers_visible_to(membership).filter(status__in=ACTIVE_STATUSES))
          .annotate(**current_activity("worker_id"),
                    latest_status=Subquery(latest_version.values("status")[:1])))
    return in_activity(qs, "current_activity_id", filters)


def pop_overdue_q(today):
    return Q(next_due__isnull=False, next_due__lt=today)


class PopStatusExporter(Exporter):
    key = "pop-status"
    label = _("POP status")
    description = _("Today's POP status of every active worker: latest version, approval, VDAB registration and "
                    "the next POP deadline. The period is not applied (the status is today's).")
    order = 40
    columns = (
        Column("last_name", "Familienaam"), Column("first_name", "Voornaam"), Column("activity", "Activiteit"),
        Column("status", "Status laatste POP-versie", "leeg als er nog geen POP is"),
        Column("approved", "Laatst goedgekeurd op"), Column("registered", "Eerste registratie VDAB"),
        Column("next_due", "Volgende POP-deadline"), Column("next_due_kind", "Soort deadline"),
        Column("overdue", "Te laat", "ja als de deadline vandaag voorbij is"),
    )

    def subset_choices(self):
        return {"late": {"1": str(_("Overdue"))}}

    def queryset(self, membership, filters, today):
        qs = pop_schedules(membership, filters)
        return qs.filter(pop_overdue_q(today)) if filters.get("late") else qs

    def count(self, organisation, membership, filters):
        return self.queryset(membership, filters, timezone.localdate()).count()

    def rows(self, organisation, membership, filters):
        today = timezone.localdate()
        # Plain tuples, not model instances: most of an export's time at sector scale (issue #10 benchmark).
        qs = self.queryset(membership, filters, today).order_by("worker__last_name", "worker__first_name", "worker_id")
        statuses, due_kinds = choice_words(PopStatus), choice_words(DueKind)
        for last, first, activity, status, approved, registered, due, kind in qs.values_list(
                "worker__last_name", "worker__first_name", "current_activity_name", "latest_status", "last_approved_on",
                "first_registered_on", "next_due", "next_due_kind").iterator(chunk_size=2000):
            yield (last, first, activity, statuses.get(status, status or ""), approved, registered, due,
                   due_kinds.get(kind, kind), bool(due and due < today))


def monday(day):
    return day - datetime.timedelta(days=day.weekday())


def coverage_weeks(filters, today=None):
    """The Mondays of the period; without a period the last eight weeks up to this one."""
    today = today or timezone.localdate()
    end = monday(min(filters.end, today) if filters.end else today)
    start = monday(filters.start) if filters.start else end - datetime.timedelta(weeks=7)
    weeks = []
    while start <= end and len(weeks) < MAX_WEEKS:
        weeks.append(start)
        start += datetime.timedelta(weeks=1)
    return weeks


def feedback_coverage(membership, filters, today=None):
    """[(coach membership, week, assigned, given)] for every coach with assigned active workers that week.

    Three queries whatever the size: the assignments overlapping the period, the coaches' names and the
    feedback of those workers in those weeks. A worker counts for each coach assigned that week (tandems)
    and is covered when anybody recorded the week's feedback.
    """
    weeks = coverage_weeks(filters, today)
    if not weeks:
        return []
    last_day = weeks[-1] + datetime.timedelta(days=6)
    assignments = (CoachAssignment.objects.filter(
        worker__in=workers_visible_to(membership).filter(status__in=ACTIVE_STATUSES), start__lte=last_day)
        .filter(Q(end__isnull=True) | Q(end__gte=weeks[0]))
        .annotate(activity_id=_latest_activity("worker_id")))
    assignments = list(in_activity(assignments, "activity_id", filters).values("coach_id", "worker_id", "start", "end"))
    coaches = {m.pk: m for m in Membership.objects.filter(pk__in={a["coach_id"] for a in assignments})
               .select_related("user")}
    given = set(WeeklyFeedback.objects.filter(worker_id__in={a["worker_id"] for a in assignments},
                                              week_start__in=weeks).values_list("worker_id", "week_start"))
    per = defaultdict(set)
    for a in assignments:
        for week in weeks:
            if a["start"] <= week + datetime.timedelta(days=6) and (a["end"] is None or a["end"] >= week):
                per[(a["coach_id"], week)].add(a["worker_id"])
    result = []
    for (coach_id, week), workers in per.items():
        result.append((coaches[coach_id], week, len(workers), sum(1 for w in workers if (w, week) in given)))
    return sorted(result, key=lambda r: (r[0].user.last_name, r[0].user.first_name, r[0].pk, r[1]))


def coach_name(membership):
    return membership.user.get_full_name() or membership.user.get_username()


class _AnyCoach(dict):
    """The coach subset takes any membership id: the rows are the member's own organisation's coaches
    whatever the id, and the coach's name is in every row, so the subset's label need not name them."""

    def __contains__(self, value):
        return str(value).isdigit()

    def get(self, value, default=None):
        return str(_("one coach"))


class FeedbackCoverageExporter(Exporter):
    key = "feedback-coverage"
    label = _("Feedback coverage")
    description = _("Per coach and week: the active workers assigned and how many got their weekly feedback. "
                    "Without a period: the last eight weeks.")
    order = 50
    columns = (
        Column("coach", "Begeleider"), Column("week", "Week (maandag)"),
        Column("iso_week", "ISO-week", "jaar-Wweek, bv. 2026-W07"),
        Column("assigned", "Toegewezen werknemers"), Column("given", "Feedback gegeven"),
        Column("coverage", "Dekking (%)", "feedback gegeven / toegewezen × 100, afgerond"),
    )
    totals = ("assigned", "given")

    def subset_choices(self):
        return {"coach": _AnyCoach()}

    def rows(self, organisation, membership, filters):
        coach_id = filters.get("coach")
        for coach, week, assigned, given in feedback_coverage(membership, filters):
            if coach_id and str(coach.pk) != coach_id:
                continue
            iso = week.isocalendar()
            yield (coach_name(coach), week, f"{iso.year}-W{iso.week:02d}", assigned, given,
                   round(100 * given / assigned) if assigned else 0)


def training_participations(membership, filters):
    """One row per (training, participant) of visible workers, trainings starting in the period."""
    through = Training.participants.through
    qs = (through.objects.filter(training__organisation_id=membership.organisation_id,
                                 worker__in=workers_visible_to(membership))
          .annotate(activity_id=_latest_activity("worker_id"),
                    n_participants=Count("training__participants")))
    return dated_in(in_activity(qs, "activity_id", filters), "training__start_date", filters)


def cost_share(cost, n_participants):
    """The training fund asks cost per participant: a group training's cost is split evenly."""
    if not n_participants:
        return Decimal("0.00")
    return (Decimal(cost) / n_participants).quantize(Decimal("0.01"))


class TrainingFundExporter(Exporter):
    key = "trainings"
    label = _("Trainings (training fund)")
    description = _("One line per participant and training starting in the period, grouped as the training fund "
                    "asks: external trainer, internal trainer, language support.")
    order = 60
    columns = (
        Column("category", "Categorie", "Externe opleider / Interne opleider / Taalondersteuning"),
        Column("last_name", "Familienaam"), Column("first_name", "Voornaam"), Column("insz", "INSZ"),
        Column("course", "Opleiding"), Column("provider", "Opleider"), Column("hours", "Uren"),
        Column("start", "Startdatum"), Column("end", "Einddatum"),
        Column("cost", "Kost per deelnemer (EUR)", "kost van de opleiding gedeeld door het aantal deelnemers"),
    )
    totals = ("hours", "cost")

    def subset_choices(self):
        return {"provider_type": {str(p): label for p, label in choice_words(ProviderType).items()}}

    def _participations(self, membership, filters):
        qs = training_participations(membership, filters)
        return qs.filter(training__provider_type=filters.get("provider_type")) if filters.get("provider_type") else qs

    def count(self, organisation, membership, filters):
        return self._participations(membership, filters).count()

    def rows(self, organisation, membership, filters):
        qs = self._participations(membership, filters)
        providers = choice_words(ProviderType)
        for provider_type in PROVIDER_ORDER:
            for last, first, insz, course, provider, hours, start, end, cost, n in (
                    qs.filter(training__provider_type=provider_type)
                    .order_by("training__start_date", "training_id", "worker__last_name", "worker_id")
                    .values_list("worker__last_name", "worker__first_name", "worker__insz", "training__course",
                                 "training__provider", "training__hours", "training__start_date",
                                 "training__end_date", "training__cost", "n_participants")
                    .iterator(chunk_size=2000)):
                yield (providers[provider_type], last, first, insz, course, provider, hours, start, end,
                       cost_share(cost, n))


def register():
    for exporter in (PopStatusExporter, FeedbackCoverageExporter, TrainingFundExporter):
        register_exporter(exporter)
