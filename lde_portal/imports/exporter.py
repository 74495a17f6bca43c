"""The organisation workbook on the exports page.

The exports registry is row-based (one list per file); the organisation workbook is one sheet per kind of
record. So it is registered as an exporter whose rows are its sheets with their row counts (what the file holds),
and the download goes to the import's own export page (`url_name`), which writes the workbook.
"""

from django.utils.translation import gettext_lazy as _

from lde_portal.reports.registry import Column, Exporter

from .registry import sheets


class OrganisationWorkbook(Exporter):
    key = "organisation_workbook"
    label = _("Whole organisation (import workbook)")
    description = _("Every record in the layout of the import workbook, one sheet per kind of record: to move the "
                    "organisation to another portal, or to correct in Excel and import again.")
    permission = "imports.run"
    order = 900
    url_name = "imports:export"

    columns = (Column("sheet", "Werkblad", "one sheet of the workbook"), Column("rows", "Rijen", "its rows"))

    def rows(self, organisation, membership, filters):
        for sheet in sheets():
            yield (str(sheet.label), sum(1 for _row in sheet.export_rows(organisation)))
