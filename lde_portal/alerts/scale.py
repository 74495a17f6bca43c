"""Scale data (issue #10): the open alerts come from the real daily scan over the generated data."""

from lde_portal.accounts.models import Organisation

from .scan import scan_organisation


def build(ctx):
    pass


def finish(ctx):
    raised = 0
    for organisation in Organisation.objects.filter(pk__in=[o.id for o in ctx.data["orgs"]]).order_by("pk"):
        raised += scan_organisation(organisation=organisation, today=ctx.today).raised
    ctx.log(f"  alerts raised by the scan: {raised}")
