"""The employer directory and what each employer received: hires and internships."""

from django.db.models import Count, Max, Q
from django.shortcuts import get_object_or_404

from ..models import Employer, Exit, Internship


def employer_list(organisation, q=""):
    """The directory with each employer's number of hires and last hire (one query)."""
    qs = Employer.objects.filter(organisation=organisation)
    # No keyboard types a NUL, but a forged link can, and PostgreSQL refuses it in a query (a server error).
    q = q.replace("\x00", "")
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(sector__icontains=q) | Q(municipality__icontains=q)
                       | Q(enterprise_number__contains="".join(ch for ch in q if ch.isdigit()) or q))
    return qs.annotate(n_hires=Count("hires"), last_hire=Max("hires__date")).order_by("name", "id")


def employer_detail(organisation, employer_pk):
    """The employer and its hires across the organisation, newest first (two queries)."""
    employer = get_object_or_404(Employer, organisation=organisation, pk=employer_pk)
    hires = list(Exit.objects.filter(employer=employer).select_related("worker", "activity").order_by("-date", "-id"))
    return employer, hires


def employer_internships(employer):
    """The employer's internships across the organisation, newest first (one query)."""
    return list(Internship.objects.filter(employer=employer).select_related("worker").order_by("-start", "-id"))


def directory_employers(organisation):
    return Employer.objects.filter(organisation=organisation).order_by("name", "id")


def employer_for(membership, pk):
    """One employer of the member's organisation's directory, or 404."""
    return get_object_or_404(Employer, organisation_id=membership.organisation_id, pk=pk)
