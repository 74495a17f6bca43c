"""Every read the inflow pages need, scoped by the acting membership.

Coaches see the vacancies they take part in (Vacancy.team) and those vacancies' candidates; the other roles
with access see the organisation's (lde_portal/accounts/access.py)."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, F, Prefetch, Q
from django.shortcuts import get_object_or_404

from lde_portal.accounts.access import has_perm
from lde_portal.accounts.models import Activity, Membership, Role
from pop.models import Competence

from . import rules
from .models import (
    Application,
    Candidate,
    DropoutReason,
    InfoSession,
    Invitation,
    RoundOutcome,
    Stage,
    Vacancy,
)


def vacancies_visible_to(membership):
    qs = Vacancy.objects.filter(organisation_id=membership.organisation_id)
    if not has_perm(membership, "inflow.view_all"):
        qs = qs.filter(team=membership)
    return qs


def vacancy_for(membership, pk) -> Vacancy:
    return get_object_or_404(vacancies_visible_to(membership).select_related("activity"), pk=pk)


FUNNEL = [("candidates", None), ("session", "session_on"), ("ranked", "ranked_on"), ("referred", "referred_on"),
          ("advice", "advice_on"), ("hired", "hired_on")]


@dataclass
class BoardRow:
    vacancy: Vacancy
    funnel: list  # [(key, count)]
    dropped: int
    waits: dict  # step key → median days since the previous step
    today: date | None = None

    @property
    def overdue(self):
        """Open past its close date with places unfilled (issue #20's reminder, shown on the board)."""
        v = self.vacancy
        return (v.status == "open" and v.closes_on is not None and self.today is not None and v.closes_on < self.today
                and dict(self.funnel)["hired"] < v.places)


def board(membership, status=None, today=None) -> list[BoardRow]:
    """The recruitment board: each vacancy's funnel (candidates → session → ranked → referred → advice → hired)
    and the median days each step waited on the one before. Two queries."""
    qs = vacancies_visible_to(membership).select_related("activity")
    if status:
        qs = qs.filter(status=status)
    counts = {f"n_{key}": Count("applications", filter=Q(**{f"applications__{field}__isnull": False}))
              for key, field in FUNNEL[1:]}
    vacancies = list(qs.annotate(n_candidates=Count("applications"),
                                 n_dropped=Count("applications", filter=Q(applications__stage=Stage.DROPPED)),
                                 **counts).order_by("status", "-opens_on", "id"))
    steps = defaultdict(lambda: defaultdict(list))
    fields = [field or "applied_on" for _key, field in FUNNEL]
    for row in Application.objects.filter(vacancy__in=[v.pk for v in vacancies]).values_list("vacancy_id", *fields):
        vacancy_id, days = row[0], row[1:]
        for i in range(1, len(days)):
            if days[i] is not None and days[i - 1] is not None:
                steps[vacancy_id][FUNNEL[i][0]].append((days[i] - days[i - 1]).days)
    return [BoardRow(v, [(key, getattr(v, f"n_{key}")) for key, _f in FUNNEL], v.n_dropped,
                     {key: rules.median_days(values) for key, values in steps[v.pk].items()}, today)
            for v in vacancies]


def vacancy_applications(vacancy):
    return list(vacancy.applications.select_related("candidate", "advice").order_by(
        F("rank").asc(nulls_last=True), "candidate__last_name", "candidate__first_name", "id"))


def vacancy_sessions(vacancy):
    return list(vacancy.sessions.annotate(
        invited=Count("invitations"), present=Count("invitations", filter=Q(invitations__attended=True))))


def vacancy_rounds(vacancy):
    return list(vacancy.rounds.prefetch_related(
        Prefetch("outcomes", queryset=RoundOutcome.objects.select_related("application__candidate"))))


def vacancy_competences(vacancy):
    return list(vacancy.entry_competences.all())


def candidates_visible_to(membership):
    qs = Candidate.objects.filter(organisation_id=membership.organisation_id)
    if not has_perm(membership, "inflow.view_all"):
        qs = qs.filter(applications__vacancy__team=membership).distinct()
    return qs


def candidate_for(membership, pk) -> Candidate:
    return get_object_or_404(candidates_visible_to(membership), pk=pk)


def candidate_applications(membership, candidate):
    qs = candidate.applications.select_related("vacancy__activity", "advice")
    if not has_perm(membership, "inflow.view_all"):
        qs = qs.filter(vacancy__team=membership)
    return list(qs.order_by("-applied_on", "id"))


def application_for(membership, pk) -> Application:
    return get_object_or_404(
        Application.objects.filter(vacancy__in=vacancies_visible_to(membership))
        .select_related("candidate__worker", "vacancy__activity", "advice"), pk=pk)


def session_for(membership, pk) -> InfoSession:
    return get_object_or_404(InfoSession.objects.filter(vacancy__in=vacancies_visible_to(membership))
                             .select_related("vacancy"), pk=pk)


def session_invitations(session):
    return list(Invitation.objects.filter(session=session).select_related("application__candidate")
                .order_by("application__candidate__last_name", "application__candidate__first_name", "id"))


def open_applications(vacancy):
    return [a for a in vacancy_applications(vacancy) if a.active]


def vacancies_open_for(membership, candidate):
    """Open vacancies the candidate has not applied to yet."""
    return (vacancies_visible_to(membership).filter(status="open")
            .exclude(applications__candidate=candidate).select_related("activity"))


def activities(organisation):
    return Activity.objects.filter(organisation=organisation, active=True).order_by("name")


def entry_competences(organisation):
    return Competence.objects.filter(Q(organisation__isnull=True) | Q(organisation=organisation),
                                     active=True, kind="generic")


def team_choices(organisation):
    return (Membership.objects.filter(organisation=organisation, active=True, role__in=[Role.COACH, Role.COORDINATOR])
            .select_related("user").order_by("user__first_name", "user__last_name", "id"))


# --------------------------------------------------------------------------- lead time


@dataclass(frozen=True)
class Hire:
    application_id: int
    candidate_id: int
    worker_id: int | None
    first_name: str
    last_name: str
    vacancy: str
    applied_on: date
    referred_on: date | None
    advice_on: date | None
    hired_on: date

    @property
    def name(self):
        return f"{self.first_name} {self.last_name}"

    @property
    def parts(self):
        return rules.lead_time(self.applied_on, self.referred_on, self.advice_on, self.hired_on)


def hires(membership, start=None, end=None) -> list[Hire]:
    """The hires whose contract started in the period, with the dates of their path. One query."""
    qs = Application.objects.filter(vacancy__in=vacancies_visible_to(membership), hired_on__isnull=False)
    if start:
        qs = qs.filter(hired_on__gte=start)
    if end:
        qs = qs.filter(hired_on__lte=end)
    return [Hire(*row) for row in qs.order_by("-hired_on", "id").values_list(
                "pk", "candidate_id", "candidate__worker_id", "candidate__first_name", "candidate__last_name",
                "vacancy__title", "applied_on", "referred_on", "advice_on", "hired_on")]


def lead_time_summary(rows: list[Hire]) -> dict:
    parts = [r.parts for r in rows]
    return {"n": len(rows), "median": rules.median_days(p["total"] for p in parts),
            "p90": rules.percentile([p["total"] for p in parts], 90),
            **{f"median_{k}": rules.median_days(p[k] for p in parts) for k in ("selection", "vdab", "hire")}}


def dropouts(membership, start=None, end=None):
    qs = Application.objects.filter(vacancy__in=vacancies_visible_to(membership), dropped_on__isnull=False)
    if start:
        qs = qs.filter(dropped_on__gte=start)
    if end:
        qs = qs.filter(dropped_on__lte=end)
    counts = dict(qs.values_list("dropout_reason").annotate(n=Count("id")).order_by())
    return [(label, counts[value]) for value, label in DropoutReason.choices if value in counts]


def wanted(vacancy) -> list:
    """The complementarity the team wants, as words (docs/domain.md §3.2)."""
    return [v for v in (vacancy.wanted_hours, vacancy.get_wanted_mobility_display(),
                        vacancy.get_wanted_physical_display(), vacancy.wanted_languages,
                        vacancy.get_wanted_interests_display()) if v]


@dataclass(frozen=True)
class Reminder:
    vacancy_id: int
    vacancy: str
    what: str  # "closed", "attendance" or "contact"
    due: date
    name: str = ""


def reminders(membership, today) -> list[Reminder]:
    """The inflow reminders that belong to no worker yet (issue #20), for the board, of the open vacancies: past
    their close date with places unfilled, information sessions from tomorrow back without an attendance list,
    ranked candidates not contacted within the organisation's contact period. Three queries."""
    vacancies = vacancies_visible_to(membership).filter(status="open")
    rows = [Reminder(pk, title, "closed", closes_on) for pk, title, closes_on in vacancies.filter(
        closes_on__lt=today).annotate(
        hired=Count("applications", filter=Q(applications__stage=Stage.HIRED))).filter(
        hired__lt=F("places")).values_list("pk", "title", "closes_on")]
    rows += [Reminder(vid, title, "attendance", day) for vid, title, day in InfoSession.objects.filter(
        vacancy__in=vacancies, attendance_recorded=False, date__lte=today + timedelta(days=1)).values_list(
        "vacancy_id", "vacancy__title", "date")]
    rows += [Reminder(vid, title, "contact", due, f"{first} {last}") for vid, title, due, first, last in
             Application.objects.filter(vacancy__in=vacancies, stage=Stage.RANKED, contacted_on__isnull=True,
                                        contact_due__lt=today).values_list(
                 "vacancy_id", "vacancy__title", "contact_due", "candidate__first_name", "candidate__last_name")]
    return sorted(rows, key=lambda r: (r.due, r.vacancy_id, r.what, r.name))
