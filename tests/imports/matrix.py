from tests.matrix import Row


def _run(org, membership, content=b"Naam;Soort\r\nFietspunt;other\r\n", **fields):
    from lde_portal.files import services as files
    from lde_portal.imports.models import ImportRun

    upload = files.generated_file_store(
        files.generated_file_create(kind="imports.file", membership=membership, filename="import.csv"), content)
    run = ImportRun.objects.create(organisation=org, created_by=membership, filename="a.csv", kind="csv",
                                   sha256=upload.sha256, upload=upload, **fields)
    return {"pk": run.pk}


def _dry_run(p):
    return _run(p.org, p.org_admin, status="done", dry_run=True, sheet="activities", result={
        "sheets": {"activities": {"label": "Activiteiten", "created": 0, "updated": 0, "unchanged": 0, "refused": 1}},
        "errors": [{"sheet": "activities", "table": "a", "row": 2, "column": "Soort", "message": "x"}]})


def _done_import(p):
    return _run(p.org, p.org_admin, status="done", dry_run=False, committed=True, result={"sheets": {}})


def _pending(p):
    return _run(p.org, p.org_admin, status="pending", dry_run=True, content=b"Naam;Soort;Kleur\r\nFietspunt;other;groen\r\n")


def _foreign(p):
    return _run(p.other_org, p.outsider, status="done", dry_run=False, committed=True, result={"sheets": {}})


ROWS = {
    "imports:start": Row("imports.run"),
    "imports:template": Row("imports.run"),
    "imports:export": Row("imports.run"),
    "imports:history": Row("imports.run"),
    "imports:run": Row("imports.run", _dry_run, _foreign),
    # The file is an activities sheet (the platform's own) with one header the portal cannot place.
    "imports:mapping": Row("imports.run", _pending, _foreign),
    "imports:confirm": Row("imports.run", _dry_run, _foreign, method="POST", data=lambda p: {"mode": "all"},
                           ok=302),
    "imports:error_file": Row("imports.run", _dry_run, _foreign),
    "imports:undo": Row("imports.run", _done_import, _foreign),
}
