"""Demo data: run the deadline scan for every demo organisation, so the domain apps' registered
providers fill the notification centre (idempotent: the scan never raises an alert twice)."""

from .scan import scan_organisation


def seed(ctx):
    for entry in ctx["organisations"].values():
        scan_organisation(organisation=entry["org"], today=ctx["today"])
