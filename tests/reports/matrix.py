from tests.matrix import Row

ROWS = {
    "reports:exports": Row("reports.export"),
    "reports:export": Row("reports.export", lambda p: {"key": "workers"}),
}
