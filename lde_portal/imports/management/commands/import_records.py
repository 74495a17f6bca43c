"""python manage.py import_records <org-slug> <file> [--dry-run] [--skip-invalid] [--sheet NAME]

Prints one JSON object (docs/imports.md) and exits 0 when the file was (or would be) imported without refused
rows, 1 when rows were refused, 2 when the file itself is unusable. `--template FILE` writes the blank import
workbook, `--export FILE` the organisation's records in the same layout.
"""

import json
import os
import sys

from django.core.management.base import BaseCommand, CommandError

from lde_portal.accounts.models import Membership, Organisation, Role
from lde_portal.imports import services
from lde_portal.imports.reading import FileRefused
from lde_portal.imports.writer import write_workbook


class Command(BaseCommand):
    help = "Import an organisation's records from a workbook or CSV file (docs/imports.md)."

    def add_arguments(self, parser):
        parser.add_argument("org_slug", nargs="?")
        parser.add_argument("file", nargs="?")
        parser.add_argument("--dry-run", action="store_true", help="Check everything, write nothing.")
        parser.add_argument("--skip-invalid", action="store_true",
                            help="Import the valid rows and leave the refused ones (default: all or nothing).")
        parser.add_argument("--sheet", default="", help="Only this sheet (its key); for a CSV: the kind of records.")
        parser.add_argument("--as", dest="acting", default="",
                            help="E-mail of the member the import is done as (default: the first org admin).")
        parser.add_argument("--template", metavar="FILE", help="Write the blank import workbook and stop.")
        parser.add_argument("--export", metavar="FILE", help="Write the organisation's records in the workbook's "
                                                            "layout and stop.")

    def handle(self, *args, **options):
        if options["template"]:
            org = Organisation.objects.filter(slug=options["org_slug"]).first() if options["org_slug"] else None
            write_workbook(options["template"], organisation=org)
            return
        if not options["org_slug"]:
            raise CommandError("Give the organisation's slug.")
        org = Organisation.objects.filter(slug=options["org_slug"]).first()
        if org is None:
            raise CommandError(f"No organisation {options['org_slug']!r}.")
        if options["export"]:
            counts = write_workbook(options["export"], organisation=org, with_rows=True)
            self.stdout.write(json.dumps({"sheets": counts}))
            return
        if not options["file"]:
            raise CommandError("Give the file to import.")
        members = Membership.objects.select_related("user").filter(organisation=org, active=True)
        membership = (members.filter(user__email__iexact=options["acting"]).first() if options["acting"]
                      else members.filter(role=Role.ORG_ADMIN).order_by("pk").first())
        if membership is None:
            raise CommandError("No active member to import as: give --as EMAIL.")
        path = options["file"]
        try:
            run = services.run_create(membership=membership, path=path, filename=os.path.basename(path),
                                      sheet=options["sheet"] if self._is_csv(path) else "")
        except FileRefused as exc:
            self._print({"dry_run": options["dry_run"], "sheets": {}, "errors": [
                {"sheet": "", "row": None, "column": "", "message": exc.message}], "warnings": []})
            sys.exit(2)
        run.dry_run, run.skip_invalid = options["dry_run"], options["skip_invalid"]
        run.only_sheet = options["sheet"] if not self._is_csv(path) else ""
        run.save(update_fields=["dry_run", "skip_invalid", "only_sheet"])
        run = services.run_execute(run.pk)
        if run.status != "done":
            self._print({"dry_run": run.dry_run, "sheets": {}, "errors": [
                {"sheet": "", "row": None, "column": "", "message": run.error}], "warnings": []})
            sys.exit(2)
        result = run.result
        self._print({
            "dry_run": run.dry_run,
            "sheets": {k: {n: c[n] for n in ("created", "updated", "unchanged", "refused")}
                       for k, c in result["sheets"].items()},
            "errors": [{k: e[k] for k in ("sheet", "row", "column", "message")} for e in result["errors"]],
            "warnings": result["warnings"],
        })
        if run.refused:
            sys.exit(1)

    @staticmethod
    def _is_csv(path):
        return not path.lower().endswith((".xlsx", ".xlsm"))

    def _print(self, data):
        self.stdout.write(json.dumps(data, ensure_ascii=False, default=str))
