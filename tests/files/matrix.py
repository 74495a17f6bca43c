from tests.files.factories import export_file
from tests.matrix import Row


def _file(p):
    return {"pk": export_file(p.org, p.manager, content=b"\xef\xbb\xbfa;b\r\n").pk}


def _foreign_file(p):
    return {"pk": export_file(p.other_org, p.outsider, content=b"\xef\xbb\xbfa;b\r\n").pk}


# One download for every generated file; the file's kind decides who may take it (here an export:
# coordinators and managers; a batch ZIP and a subject-access file in tests/documents and tests/privacy).
ROWS = {
    "files:download": Row("reports.export", _file, _foreign_file),
}
