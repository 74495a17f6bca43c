"""The hires of the inflow path as a spreadsheet: the list behind the lead-time figure (docs/reports.md)."""

from django.utils.translation import gettext_lazy as _

from lde_portal.reports.registry import Column, Exporter, register_exporter

from . import selectors


class HireExporter(Exporter):
    key = "inflow_hires"
    label = _("Recruitment lead time (inflow)")
    description = _("Every hire whose contract started in the period, with the dates of the path and the days "
                    "spent in selection, waiting for VDAB and on the hire.")
    permission = "inflow.figures"
    order = 85
    columns = (
        Column("last_name", "Familienaam"), Column("first_name", "Voornaam"), Column("vacancy", "Vacature"),
        Column("applied_on", "Sollicitatie"), Column("referred_on", "Doorverwezen naar VDAB"),
        Column("advice_on", "Advies"), Column("hired_on", "Start contract"),
        Column("total", "Dagen totaal", "van sollicitatie tot start contract"),
        Column("selection", "Dagen selectie", "van sollicitatie tot doorverwijzing"),
        Column("vdab", "Dagen wachten op VDAB", "van doorverwijzing tot advies"),
        Column("hire", "Dagen aanwerving", "van advies tot start contract"),
    )

    def count(self, organisation, membership, filters):
        return len(selectors.hires(membership, filters.start, filters.end))

    def rows(self, organisation, membership, filters):
        for h in selectors.hires(membership, filters.start, filters.end):
            p = h.parts
            yield (h.last_name, h.first_name, h.vacancy, h.applied_on, h.referred_on, h.advice_on, h.hired_on, p["total"],
                   p["selection"], p["vdab"], p["hire"])


def register():
    register_exporter(HireExporter)
