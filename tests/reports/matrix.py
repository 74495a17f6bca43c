from tests.matrix import Row

ROWS = {
    "reports:exports": Row("reports.export"),
    "reports:export": Row("reports.export", lambda p: {"key": "workers"}),
}


def _file(p):
    import datetime

    from lde_portal.reports.models import GeneratedFile

    generated = GeneratedFile.objects.create(organisation=p.org, created_by=p.manager, exporter="workers",
                                             format="csv", total=1, filename="w.csv",
                                             expires_at=datetime.datetime(2100, 1, 1, tzinfo=datetime.UTC))
    return {"pk": generated.pk}


def _foreign_file(p):
    import datetime

    from lde_portal.reports.models import GeneratedFile

    generated = GeneratedFile.objects.create(organisation=p.other_org, created_by=p.outsider, exporter="workers",
                                             format="csv", total=1, filename="w.csv",
                                             expires_at=datetime.datetime(2100, 1, 1, tzinfo=datetime.UTC))
    return {"pk": generated.pk}


def _done_file(p):
    from django.core.files.base import ContentFile

    from lde_portal.reports.models import GeneratedFile

    kwargs = _file(p)
    generated = GeneratedFile.objects.get(pk=kwargs["pk"])
    generated.status = "done"
    generated.file.save("w.csv", ContentFile(b"\xef\xbb\xbfa;b\r\n"))
    return kwargs


ROWS.update({
    "reports:file": Row("reports.export", _file, _foreign_file),
    "reports:file_download": Row("reports.export", _done_file, _foreign_file),
    "reports:file_retry": Row("reports.export", _file, _foreign_file, method="POST", data=lambda p: {}, ok=302),
})

ROWS["reports:dashboard"] = Row("reports.dashboard")
ROWS["reports:yearly_report"] = Row("reports.yearly")

# The lists behind the manager dashboard's throughflow and lead-time panels (issue #9).
ROWS["throughflow:exit_list"] = Row("throughflow.ratio")
ROWS["indication:lead_time"] = Row("indication.view")
# The rows behind a dashboard figure: every role with a dashboard, scoped like the export.
ROWS["reports:figure_list"] = Row("reports.dashboard", lambda p: {"key": "workers"})
