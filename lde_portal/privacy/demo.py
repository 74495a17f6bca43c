"""Demo data for the privacy pages: workers who left long enough ago for the retention dry run to list
them, and one erasure request awaiting the org admin (Buurtwerk Stroom)."""

import datetime

from dateutil.relativedelta import relativedelta
from django.apps import apps

from .models import ErasureRequest, RetentionPolicy

LEFT_LONG_AGO = [("Rik", "Van Damme", 30, 801), ("Chaima", "Ouali", 26, 802)]


def make_insz(birth: datetime.date, seq: int) -> str:
    """A fictional INSZ that passes the mod-97 checksum, as trajects.demo makes them (the platform does
    not import domain apps, docs/architecture.md)."""
    base = f"{birth:%y%m%d}{seq:03d}"
    check = 97 - (int(("2" if birth.year >= 2000 else "") + base) % 97)
    return f"{base}{check:02d}"


def seed(ctx):
    Worker = apps.get_model("trajects", "Worker")
    StatusChange = apps.get_model("trajects", "StatusChange")
    today = ctx["today"]
    for data in ctx["organisations"].values():
        RetentionPolicy.objects.get_or_create(organisation=data["org"])
    stroom = ctx["organisations"].get("stroom")
    if not stroom:
        return
    org = stroom["org"]
    for first, last, months, seq in LEFT_LONG_AGO:
        birth = datetime.date(1979, 4, 12)
        insz = make_insz(birth, seq)
        if Worker.objects.filter(organisation=org, insz=insz).exists():
            continue
        exit_date = today - relativedelta(months=months)
        worker = Worker.objects.create(
            organisation=org, first_name=first, last_name=last, insz=insz, birth_date=birth, status="exited",
            status_since=exit_date, street="Molenstraat 4", postal_code="9000", municipality="Gent",
            phone="0470 12 34 56",
        )
        StatusChange.objects.create(organisation=org, worker=worker, status="active",
                                    date=exit_date - relativedelta(years=2))
        StatusChange.objects.create(organisation=org, worker=worker, status="exited", date=exit_date,
                                    note="Doorgestroomd naar het normaal economisch circuit")
    coordinator = next(iter(stroom["members"].get("coordinator", [])), None)
    exited = Worker.objects.filter(organisation=org, status="exited").exclude(
        insz__in=[make_insz(datetime.date(1979, 4, 12), s) for *_, s in LEFT_LONG_AGO]).order_by("pk").first()
    if coordinator and exited and not ErasureRequest.objects.filter(organisation=org).exists():
        ErasureRequest.objects.create(
            organisation=org, worker_id=exited.pk, worker_label=exited.full_name, requested_by=coordinator.user,
            reason="Schriftelijke vraag van de werknemer na uitstroom: alle gegevens wissen die niet voor "
                   "subsidies bewaard moeten worden.",
        )
