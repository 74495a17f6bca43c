import datetime

from django.urls import reverse

from indication import services


def indication_url(p, name, **kw):
    """The indication page `name` of the personas' organisation."""
    return reverse(f"indication:{name}", kwargs={"org_slug": p.org.slug, **kw})


def marked_confidential_notes(worker, author, marker):
    """The confidential section's free text with `marker` in every field: the work profile, a context problem
    (debts) and its referral to the CAW, for tests that look for the marker where it must not be. Returns the
    problem."""
    services.complementarity_save(worker=worker, actor=author, data={
        "working_hours": f"{marker} hours", "languages": f"{marker} languages", "note": f"{marker} profile",
        "mobility": "bicycle", "physical_capacity": 2})
    problem = services.context_problem_save(worker=worker, actor=author, data={
        "kind": "debts", "description": f"{marker} debts", "noted_on": datetime.date(2026, 2, 1)})
    services.referral_save(problem=problem, actor=author, data={
        "service": "caw", "service_name": f"{marker} CAW", "referred_on": datetime.date(2026, 2, 3),
        "status": "in_progress", "note": f"{marker} follow-up"})
    return problem
