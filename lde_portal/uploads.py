"""Uploads and private files: the one home for accepting a file and for sending one back (issues #11, #17).

An upload is checked by its content (the first bytes; the browser's content type and the file name are
chosen by the uploader and prove nothing) and its size, a PDF also parsed and refused when it carries active
content or cannot be inspected (issue #24), then stored under a random name outside any public URL. A stored
file is sent only by `serve_private_file`, from a view that checked the permission first.

    from lde_portal import uploads

    class Evidence(models.Model):
        # private/evidence/<random hex>.<checked extension>
        file = uploads.private_file_field("evidence", _("evidence"), blank=True)

    # in a form's clean_<field>() or a service: the checked file, named after what it is, or a
    # ValidationError with the message for the user (keyed by `field` when given)
    accepted = uploads.accept_upload(self.cleaned_data["file"], "document")
    evidence.file.save(accepted.name, accepted, save=False)   # accepted.kind: "pdf", "png", ...

    # in a view that already checked the permission and fetched the object through a scoped queryset:
    return uploads.serve_private_file(request, evidence.file, filename="attest.pdf", worker_id=evidence.worker_id)

Upload kinds (UPLOAD_KINDS): what a field accepts, and the setting holding its size limit.

- "document": PDF, PNG or JPEG up to PORTAL_UPLOAD_MAX_BYTES: signed printouts, certificates, extension
  documents;
- "letter": the same types up to PORTAL_LETTER_MAX_BYTES: VDAB decision letters;
- "spreadsheet": XLSX (an Office Open XML workbook without macros, not any ZIP, checked for zip bombs) or CSV
  (text) up to PORTAL_IMPORT_MAX_BYTES: files to import (`spreadsheet_kind`, the one check of them, which the
  import's reader calls for a file on disk too).

A drawn signature arrives as a data URL, not a file: `drawn_signature(data_url)`.
"""

import base64
import binascii
import io
import os
import uuid
import zipfile
from dataclasses import dataclass
from urllib.parse import urlsplit

import pypdf
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models
from django.http import FileResponse, Http404
from django.template.defaultfilters import filesizeformat
from django.utils.deconstruct import deconstructible
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from pypdf.errors import DependencyError, LimitReachedError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject

from lde_portal.audit.models import AuditAction
from lde_portal.audit.services import audit_file_access

# Magic numbers (file signatures) of the formats the portal accepts. The browser's content type and the
# file name are chosen by the uploader and prove nothing.
SIGNATURES = {
    "pdf": [b"%PDF-"],
    "png": [b"\x89PNG\r\n\x1a\n"],
    "jpeg": [b"\xff\xd8\xff"],
    "gif": [b"GIF87a", b"GIF89a"],
    # Office Open XML (xlsx, docx) and OpenDocument files are ZIP archives.
    "zip": [b"PK\x03\x04"],
}
CONTENT_TYPES = {
    "pdf": "application/pdf", "png": "image/png", "jpeg": "image/jpeg", "gif": "image/gif",
    "zip": "application/zip", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv",
}
EXTENSIONS = {"pdf": ".pdf", "png": ".png", "jpeg": ".jpg", "gif": ".gif", "zip": ".zip", "xlsx": ".xlsx",
              "csv": ".csv"}


def sniff(head: bytes) -> str | None:
    for kind, signatures in SIGNATURES.items():
        if any(head.startswith(s) for s in signatures):
            return kind
    return None


@dataclass(frozen=True)
class UploadKind:
    types: frozenset
    max_bytes_setting: str
    # What the user is told for a file of another type (else validate_upload's own message).
    wrong_type: object = None

    @property
    def max_bytes(self) -> int:
        return getattr(settings, self.max_bytes_setting)


UPLOAD_KINDS = {
    "document": UploadKind(frozenset({"pdf", "png", "jpeg"}), "PORTAL_UPLOAD_MAX_BYTES",
                           _lazy("Upload a PDF, PNG or JPEG file.")),
    "letter": UploadKind(frozenset({"pdf", "png", "jpeg"}), "PORTAL_LETTER_MAX_BYTES",
                         _lazy("Upload the letter as a PDF, PNG or JPEG file; this file is of another type.")),
    "spreadsheet": UploadKind(frozenset({"xlsx", "csv"}), "PORTAL_IMPORT_MAX_BYTES",
                              _lazy("Upload an Excel workbook (.xlsx) or a CSV file.")),
}


def size_limit_label(max_bytes: int) -> str:
    """'5 MB' for whole megabytes (as the forms' help texts say it), else Django's '1,0 KB'."""
    megabyte = 1024 * 1024
    return f"{max_bytes // megabyte} MB" if max_bytes % megabyte == 0 else filesizeformat(max_bytes)


def accept_upload(uploaded, kind: str = "document", *, field: str | None = None) -> ContentFile:
    """The checked upload as a ContentFile named `upload<extension of what it is>`, with `.kind` ("pdf",
    "xlsx", "csv", ...) and `.content_type`; or a ValidationError for the user, keyed by `field` when given
    (a service's error for one form field)."""
    upload_kind = UPLOAD_KINDS[kind]
    try:
        found = validate_upload(uploaded, allowed=upload_kind.types, max_bytes=upload_kind.max_bytes,
                                wrong_type=upload_kind.wrong_type)
    except ValidationError as error:
        if field is None:
            raise
        raise ValidationError({field: error.messages}) from None
    uploaded.seek(0)
    content = ContentFile(uploaded.read(), name=f"upload{EXTENSIONS[found]}")
    uploaded.seek(0)
    content.kind, content.content_type = found, CONTENT_TYPES[found]
    return content


def drawn_signature(data_url: str, *, field: str = "signature") -> ContentFile:
    """The PNG drawn on a signature canvas, posted as a data URL in a hidden field."""
    prefix = "data:image/png;base64,"
    unreadable = ValidationError({field: [_("The signature could not be read. Sign again.")]})
    if not data_url.startswith(prefix):
        raise unreadable
    try:
        content = base64.b64decode(data_url[len(prefix):], validate=True)
    except (binascii.Error, ValueError):
        raise unreadable from None
    if len(content) > settings.PORTAL_UPLOAD_MAX_BYTES or sniff(content[:16]) != "png":
        raise unreadable
    return ContentFile(content, name="signature.png")


OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
SPREADSHEET_TYPES = frozenset({"xlsx", "csv"})
CSV_SAMPLE_BYTES = 64 * 1024


def _mb(n):
    return f"{n / 1024 / 1024:.0f}"


def spreadsheet_kind(file, filename: str = "", max_bytes=None) -> str:
    """"xlsx" or "csv" for a spreadsheet to import, or a ValidationError saying what the file is instead.

    Judged by the content, never by the name or the browser's content type: a workbook is a zip whose sizes and
    compression ratio are checked from its directory before anything is unpacked (a zip bomb unpacks to
    gigabytes from a few kilobytes); a password-protected workbook is an OLE container, not a zip; a macro
    workbook carries `xl/vbaProject.bin`. The name only sharpens the message (a PDF renamed .xlsx)."""
    max_bytes = max_bytes or settings.PORTAL_IMPORT_MAX_BYTES
    file.seek(0, os.SEEK_END)
    size = file.tell()
    file.seek(0)
    if size == 0:
        raise ValidationError(_("The file is empty."))
    if size > max_bytes:
        raise ValidationError(_("The file is too large (%(size)s MB); the maximum is %(max)s MB. Split it into "
                                "several files.") % {"size": number_format(size / 1024 / 1024, 1),
                                                     "max": _mb(max_bytes)})
    ext = os.path.splitext(filename or "")[1].lower()
    head = file.read(8)
    file.seek(0)
    if ext == ".xlsm":
        raise ValidationError(_("This is a workbook with macros (.xlsm). Macros are not accepted: save it as an "
                                "Excel workbook (.xlsx) and upload that."))
    if head.startswith(b"%PDF"):
        raise ValidationError(_("This file is a PDF, not a spreadsheet (whatever its name says). Upload the Excel "
                                "workbook (.xlsx) or a CSV file."))
    if head.startswith(OLE_SIGNATURE):
        raise ValidationError(_("This workbook is protected with a password or is an old Excel 97-2003 file "
                                "(.xls). Remove the password or save it as an Excel workbook (.xlsx), then upload "
                                "it again."))
    if head.startswith(b"PK\x03\x04"):
        if ext not in (".xlsx", ""):
            raise ValidationError(_("This file is a zip archive, not a %(ext)s file. Upload the Excel workbook "
                                    "(.xlsx) or a CSV file.") % {"ext": ext})
        _check_workbook_zip(file)
        return "xlsx"
    if ext == ".xlsx":
        raise ValidationError(_("This file is called .xlsx but is not an Excel workbook. Open it in Excel and save "
                                "it as an Excel workbook (.xlsx)."))
    sample = file.read(CSV_SAMPLE_BYTES)
    file.seek(0)
    if b"\x00" in sample:
        raise ValidationError(_("This file is not a spreadsheet: upload an Excel workbook (.xlsx) or a CSV file."))
    return "csv"


def _check_workbook_zip(file):
    try:
        with zipfile.ZipFile(file) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError):
        raise ValidationError(_("The workbook is damaged: it cannot be opened. Save it again in Excel.")) from None
    finally:
        file.seek(0)
    names = {m.filename for m in members}
    if "xl/workbook.xml" not in names:
        raise ValidationError(_("This file is not an Excel workbook (it may be a Word or other Office file). "
                                "Upload the Excel workbook (.xlsx) or a CSV file."))
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise ValidationError(_("This workbook contains macros. Macros are not accepted: save it as an Excel "
                                "workbook without macros (.xlsx) and upload that."))
    unpacked = sum(m.file_size for m in members)
    if len(members) > 10_000 or unpacked > settings.PORTAL_IMPORT_MAX_UNPACKED_BYTES:
        raise ValidationError(_("The workbook unpacks to more than %(max)s MB: it was refused without being "
                                "opened. Split it into several files.")
                              % {"max": _mb(settings.PORTAL_IMPORT_MAX_UNPACKED_BYTES)})
    for m in members:
        if m.file_size > 1024 * 1024 and m.file_size > settings.PORTAL_IMPORT_MAX_ZIP_RATIO * max(m.compress_size, 1):
            raise ValidationError(_("The workbook is compressed suspiciously strongly (a 'zip bomb'): it was "
                                    "refused without being opened."))


def validate_upload(file, allowed=frozenset({"pdf", "png", "jpeg"}), max_bytes=None, wrong_type=None) -> str:
    """Check an uploaded file by its size and its content; return its kind ("pdf", "png", "xlsx", ...).

    Raises ValidationError with a message for the user (shown next to the field). `accept_upload` is the
    call for a form or a service; this is the check under it."""
    if file is None:
        raise ValidationError(_("Choose a file."))
    if allowed <= SPREADSHEET_TYPES:
        kind = spreadsheet_kind(file, getattr(file, "name", ""), max_bytes)
        if kind not in allowed:
            raise ValidationError(str(wrong_type) if wrong_type else _("Upload an Excel workbook (.xlsx) or a CSV file."))
        return kind
    max_bytes = max_bytes or settings.PORTAL_UPLOAD_MAX_BYTES
    size = getattr(file, "size", None)
    if not size:
        raise ValidationError(_("The file is empty."))
    if size > max_bytes:
        raise ValidationError(_("The file is larger than %(limit)s.") % {"limit": size_limit_label(max_bytes)})
    position = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    head = file.read(16)
    file.seek(position)
    kind = sniff(head)
    if kind is None or kind not in allowed:
        if wrong_type:
            raise ValidationError(str(wrong_type))
        names = ", ".join(sorted(k.upper() for k in allowed))
        raise ValidationError(_("This file is not an accepted type (%(types)s). Its content was checked, not only its name.")
                              % {"types": names})
    if kind == "pdf":
        _refuse_active_pdf(file)
    return kind


# Why active content is refused: uploaded letters, certificates and signed printouts are opened by staff on
# shared PCs, in whatever viewer is installed there. A document needs none of this; a letter that carries
# some is printed to a new PDF, which keeps what is on the pages and drops the rest.
ACTIVE_CONTENT = {
    "javascript": _lazy("JavaScript"),
    "launch": _lazy("a command that starts a program"),
    "automatic": _lazy("actions that run by themselves"),
    "embedded": _lazy("embedded files"),
    "forms": _lazy("a form that sends or reads data"),
    "links": _lazy("links to files or programs on the computer"),
    "media": _lazy("multimedia"),
}
# Action types (the /S of an action dictionary) refused wherever they occur, even behind a click: they run
# code, start a program, open another or an embedded file (GoToR to a \\server\share path hands the Windows
# credentials to that server), send or import form data, or play media through a plug-in.
REFUSED_ACTIONS = {
    "/JavaScript": "javascript", "/Launch": "launch", "/GoToE": "embedded", "/GoToR": "links",
    "/SubmitForm": "forms", "/ImportData": "forms", "/RichMediaExecute": "media", "/Rendition": "media",
    "/Movie": "media", "/Sound": "media",
}
# Annotation types that carry a file or a player.
REFUSED_ANNOTATIONS = {"/FileAttachment": "embedded", "/RichMedia": "media", "/Screen": "media",
                       "/Movie": "media", "/Sound": "media", "/3D": "media"}
# Keys that make any dictionary active: /JS (the script of an action), /AA (additional actions of the
# catalog, a page, an annotation or a form field: on opening or closing, on entering a field, on a
# keystroke; they need no click), /JavaScript (document scripts in the names tree), /EmbeddedFiles (the
# names tree of attachments), /EF (a file specification carrying its file), /XFA (an XML form, scriptable).
REFUSED_KEYS = {"/JS": "javascript", "/AA": "automatic", "/JavaScript": "javascript",
                "/EmbeddedFiles": "embedded", "/EF": "embedded", "/XFA": "forms"}
# A link may open a web page or write a mail; file:, smb: or a \\server path open or run something local.
LINK_SCHEMES = {"http", "https", "mailto"}
# The only action allowed to run unasked when the document opens: showing a place in the document. Anything
# else there (a URI fetched on opening tells the sender who opened it, and when) is refused.
OPENING_ACTIONS = {"/GoTo"}
# Byte markers, kept from the former check as a second net: a viewer that repairs a damaged file may find
# objects pypdf's repair did not, and a plain marker anywhere in the bytes still refuses. Only long ones:
# the four bytes "/JS " turn up by chance in about one 5 MB scan in a thousand, and a script action always
# says /JavaScript as well.
RAW_MARKERS = {b"/JavaScript": "javascript", b"/Launch": "launch", b"/EmbeddedFile": "embedded"}
# Limits against files built to exhaust the server. Parsing costs about 0.3 ms per object, so 10,000
# objects (what the file declares, counted before anything is parsed) are a few seconds; a letter, a
# certificate or a scan has some dozens to a few thousand. Then: bytes decompressed from object streams
# altogether (5 MB of zlib can expand a thousandfold), dictionaries and arrays looked at, nesting within
# one object, and actions chained after an opening action.
PDF_MAX_DECLARED_OBJECTS = 10_000
PDF_MAX_DECOMPRESSED_BYTES = 16 * 1024 * 1024
PDF_MAX_CONTAINERS = 200_000
PDF_MAX_DEPTH = 64
PDF_MAX_CHAINED_ACTIONS = 100


class PdfNotInspectable(Exception):
    """The PDF cannot be inspected; `reason` is "encrypted", "complex" (beyond the limits) or "unreadable"."""

    def __init__(self, reason="unreadable"):
        super().__init__(reason)
        self.reason = reason


def _refuse_active_pdf(file):
    position = file.tell()
    file.seek(0)
    data = file.read()
    file.seek(position)
    try:
        found = pdf_active_content(data)
    except PdfNotInspectable as problem:
        if problem.reason == "encrypted":
            raise ValidationError(_(
                "This PDF file is protected with a password or encrypted, so it cannot be checked for active "
                "content. Print it to a new PDF and upload that one.")) from None
        if problem.reason == "complex":
            raise ValidationError(_(
                "This PDF file is too complex to be checked for active content. Print it to a new PDF and "
                "upload that one.")) from None
        # What cannot be read cannot be checked, and another viewer may still make something of it.
        raise ValidationError(_(
            "This PDF file could not be read, so it cannot be checked for active content. Print it to a new "
            "PDF and upload that one.")) from None
    if found:
        names = ", ".join(str(label) for key, label in ACTIVE_CONTENT.items() if key in found)
        raise ValidationError(
            _("This PDF file contains active content (%(content)s) and is refused. Print it to a new PDF and "
              "upload that one.") % {"content": names})


def pdf_active_content(data: bytes) -> set[str]:
    """The kinds of active content (keys of ACTIVE_CONTENT) in a PDF; an empty set for a clean one.

    The document is inspected as parsed (pypdf), not as bytes: names are decoded (/#4AavaScript is
    /JavaScript), objects in compressed object streams are read, and every object of the file is looked
    at, reachable from the catalog or not. Raises PdfNotInspectable for a file that cannot be parsed or
    decrypted (an owner password alone does not stop the inspection) or is beyond the limits."""
    found = {kind for marker, kind in RAW_MARKERS.items() if marker in data}
    limit = PDF_MAX_DECOMPRESSED_BYTES
    try:
        with pypdf.apply_configuration(zlib_maximum_output_length=limit, lzw_maximum_output_length=limit,
                                       run_length_maximum_output_length=limit, brotli_maximum_output_length=limit):
            reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted and reader.decrypt("") == pypdf.PasswordType.NOT_DECRYPTED:
                raise PdfNotInspectable("encrypted")
            _check_size(reader)
            # A file without a catalog or pages is no document, whatever a forgiving viewer makes of it.
            if not isinstance(reader.root_object, DictionaryObject) or not len(reader.pages):
                raise PdfNotInspectable
            found |= _walk(reader)
    except PdfNotInspectable:
        raise
    except (DependencyError, NotImplementedError):
        # An encryption pypdf cannot undo here (AES needs a cryptography library, or a custom handler).
        raise PdfNotInspectable("encrypted") from None
    except (RecursionError, LimitReachedError):
        # pypdf's own limits, and its recursive parser on thousands of nested arrays: both are attacks.
        raise PdfNotInspectable("complex") from None
    except Exception:  # noqa: BLE001 — whatever the parser trips on, the file is not accepted
        # pypdf's own errors, the KeyError or ValueError of a damaged file...
        raise PdfNotInspectable from None
    return found


def _check_size(reader):
    """Refuse before parsing what would take too long: the objects the cross-reference tables list, or the
    object streams declare (pypdf parses a whole object stream at its first object), and the bytes the
    object streams decompress to."""
    streams = [reader.get_object(number) for number in sorted({s for s, _index in reader.xref_objStm.values()})]
    packed = sum(max(int(_value(stream, "/N") or 0), 0) for stream in streams if isinstance(stream, StreamObject))
    loose = sum(len(numbers) for numbers in reader.xref.values())
    if loose + max(packed, len(reader.xref_objStm)) > PDF_MAX_DECLARED_OBJECTS:
        raise PdfNotInspectable("complex")
    decompressed = 0
    for stream in streams:
        decompressed += len(stream.get_data()) if isinstance(stream, StreamObject) else 0
        if decompressed > PDF_MAX_DECOMPRESSED_BYTES:
            raise PdfNotInspectable("complex")


def _walk(reader) -> set[str]:
    # Every object the cross-reference tables list (in object streams or not, reachable or not) and the
    # trailer; references are followed too, so an object the tables miss is still reached from the catalog.
    stack = [(reader.trailer, 0)]
    stack += [(IndirectObject(n, generation, reader), 0) for generation, numbers in reader.xref.items()
              for n in numbers]
    stack += [(IndirectObject(n, 0, reader), 0) for n in reader.xref_objStm]
    found, seen, count = set(), set(), 0
    while stack:
        obj, depth = stack.pop()
        if isinstance(obj, IndirectObject):
            if (obj.idnum, obj.generation) in seen:
                continue
            seen.add((obj.idnum, obj.generation))
            obj, depth = obj.get_object(), 0
        count += 1
        if count > PDF_MAX_CONTAINERS or depth > PDF_MAX_DEPTH:
            raise PdfNotInspectable("complex")
        if isinstance(obj, DictionaryObject):
            found |= _findings(obj)
            children = dict.values(obj)
        elif isinstance(obj, ArrayObject):
            children = list.__iter__(obj)
        else:
            continue
        stack += [(child, depth + 1) for child in children
                  if isinstance(child, (IndirectObject, DictionaryObject, ArrayObject))]
    return found


def _findings(dictionary) -> set[str]:
    found = {REFUSED_KEYS[key] for key in dictionary if key in REFUSED_KEYS}
    action = _value(dictionary, "/S")
    if action in REFUSED_ACTIONS:
        found.add(REFUSED_ACTIONS[action])
    if action == "/URI" and not _safe_link(_value(dictionary, "/URI")):
        found.add("links")
    if _value(dictionary, "/Type") == "/EmbeddedFile":
        found.add("embedded")
    if _value(dictionary, "/Subtype") in REFUSED_ANNOTATIONS:
        found.add(REFUSED_ANNOTATIONS[_value(dictionary, "/Subtype")])
    if "/OpenAction" in dictionary and not _harmless_opening(_value(dictionary, "/OpenAction")):
        found.add("automatic")
    return found


def _value(dictionary, key):
    return _resolved(dict.get(dictionary, key))


def _resolved(obj):
    return obj.get_object() if isinstance(obj, IndirectObject) else obj


def _safe_link(uri) -> bool:
    if isinstance(uri, bytes):
        uri = uri.decode("latin-1")
    if not isinstance(uri, str):
        return False
    try:
        return urlsplit(uri.strip()).scheme.lower() in LINK_SCHEMES
    except ValueError:
        return False


def _harmless_opening(opening) -> bool:
    """A destination (an array, a name or a string: the page to show) is harmless; an action only when it,
    and every action chained after it (/Next), goes to a place in this document."""
    if not isinstance(opening, DictionaryObject):
        return True
    chain = [opening]
    for _step in range(PDF_MAX_CHAINED_ACTIONS):
        if not chain:
            return True
        action = chain.pop()
        if not isinstance(action, DictionaryObject) or _value(action, "/S") not in OPENING_ACTIONS:
            return False
        following = _value(action, "/Next")
        if isinstance(following, DictionaryObject):
            chain.append(following)
        elif isinstance(following, ArrayObject):
            chain += [_resolved(item) for item in list.__iter__(following)]
    return False


@deconstructible
class random_upload_path:  # noqa: N801 — used like a function in upload_to=
    """upload_to= that stores a file under private/<prefix>/<organisation id>/<random hex><ext> (without the
    organisation for a row that has none): the user's file name never reaches the disk or a URL, names cannot
    be guessed, and an organisation's files lie together (a backup or a leaving organisation's files)."""

    def __init__(self, prefix: str):
        self.prefix = prefix.strip("/")

    def __call__(self, instance, filename):
        ext = os.path.splitext(filename)[1].lower()
        ext = ext if ext in set(EXTENSIONS.values()) | {".jpeg", ".docx"} else ""
        organisation = getattr(instance, "organisation_id", None)
        folder = f"{self.prefix}/{organisation}" if organisation else self.prefix
        return f"private/{folder}/{uuid.uuid4().hex}{ext}"

    def __eq__(self, other):
        return isinstance(other, random_upload_path) and other.prefix == self.prefix


def private_file_field(prefix: str, *args, image: bool = False, **kwargs):
    """The model field for an uploaded or generated private file, stored as
    private/<prefix>/<organisation id>/<random><ext> (random_upload_path). `image=True` for an ImageField (its dimensions are checked by Pillow)."""
    kwargs.setdefault("max_length", 200)
    field = models.ImageField if image else models.FileField
    return field(*args, upload_to=random_upload_path(prefix), **kwargs)


def serve_private_file(request, fieldfile, *, filename: str, worker_id=None, organisation=None, obj=None,
                       audit: bool = True, audit_kind=None, summary: str | None = None, object_type: str = "",
                       object_id: str = "", as_attachment: bool = True, content_type: str | None = None
                       ) -> FileResponse:
    """Send a private file: the one way the portal answers with a stored file.

    The caller has checked the permission and fetched the owning object through a scoped queryset. A
    missing or lost file is a 404; the content type is what the first bytes say (PDF, PNG, JPEG, ZIP) or
    application/octet-stream, never the uploader's name or claim (`content_type` is for a file the portal
    wrote itself, such as a CSV or XLSX export); the browser may not
    sniff nor cache it (a shared PC keeps nothing). The download is on the audit trail (docs/domain.md §7):
    DOWNLOAD by default, `audit_kind=AuditAction.EXPORT` for an export; `audit=False` only for what holds
    no personal data (the organisation's logo)."""
    if not fieldfile:
        raise Http404
    try:
        handle = fieldfile.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    kind = sniff(handle.read(16))
    handle.seek(0)
    if audit:
        audit_file_access(actor=request.user, kind=audit_kind or AuditAction.DOWNLOAD, obj=obj,
                          organisation=organisation or getattr(request, "organisation", None), worker_id=worker_id,
                          summary=filename if summary is None else summary, object_type=object_type,
                          object_id=object_id)
    response = FileResponse(handle, as_attachment=as_attachment, filename=filename,
                            content_type=content_type or CONTENT_TYPES.get(kind, "application/octet-stream"))
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
