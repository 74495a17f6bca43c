"""Builders for throughflow test data shared with the documents tests."""

import datetime

from throughflow import services


def handover_sample(worker):
    """A complete placement record and a current consent for every part; returns the issue form data."""
    from throughflow.models import ConsentScope, Employer

    employer = (Employer.objects.filter(organisation_id=worker.organisation_id, name="Fietsen Vermeulen").first()
                or services.employer_create(organisation=worker.organisation, actor=None,
                                            data={"name": "Fietsen Vermeulen"}))
    services.job_target_save(worker=worker, actor=None, data={
        "occupation": "Fietshersteller", "sector": "Fietshandel", "weekly_hours": 30, "region": "Gent",
        "work_type": "regular", "set_on": datetime.date(2025, 8, 1)})
    services.internship_save(worker=worker, actor=None, data={
        "employer": employer, "start": datetime.date(2025, 6, 2), "end": datetime.date(2025, 8, 29),
        "tasks": "Banden plakken\nFietsen afstellen", "weekly_hours": 30, "result": "job_offered"})
    services.handover_note_save(worker=worker, actor=None, data={
        "works_well": "Eén taak tegelijk uitleggen", "support_tips": "Een vaste collega als aanspreekpunt",
        "contact_moments": "Telefoon na de eerste week"})
    consent = services.consent_record(worker=worker, actor=None, data={
        "employer": employer, "given_on": datetime.date(2025, 8, 20), "scope": list(ConsentScope.values)})
    return {"consent": str(consent.pk), "language": "nl"}
