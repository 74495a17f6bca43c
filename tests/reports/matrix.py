from tests.matrix import Row

ROWS = {
    "reports:exports": Row("reports.export"),
    "reports:export": Row("reports.export", lambda p: {"key": "workers"}),
}


def _file(p):
    from tests.files.factories import export_file

    return {"pk": export_file(p.org, p.manager).pk}


def _foreign_file(p):
    from tests.files.factories import export_file

    return {"pk": export_file(p.other_org, p.outsider).pk}


ROWS.update({
    "reports:file": Row("reports.export", _file, _foreign_file),
    "reports:file_retry": Row("reports.export", _file, _foreign_file, method="POST", data=lambda p: {}, ok=302),
})

ROWS["reports:dashboard"] = Row("reports.dashboard")
ROWS["reports:yearly_report"] = Row("reports.yearly")

# The lists behind the manager dashboard's throughflow and lead-time panels (issue #9).
ROWS["throughflow:exit_list"] = Row("throughflow.ratio")
ROWS["indication:lead_time"] = Row("indication.view")
# The rows behind a dashboard figure: every role with a dashboard, scoped like the export.
ROWS["reports:figure_list"] = Row("reports.dashboard", lambda p: {"key": "workers"})
