"""Uploads: checked by content and size, stored under random names, served only through views that
checked the permission first (issue #11). A PDF is also parsed and refused when it carries active content
or cannot be inspected (issue #24). Every app that accepts a file uses these.

    from lde_portal.uploads import random_upload_path, serve_private_file, validate_upload

    class Evidence(models.Model):
        file = models.FileField(upload_to=random_upload_path("evidence"))

    # in a form's clean_file():
    kind = validate_upload(self.cleaned_data["file"], allowed={"pdf", "png", "jpeg"})

    # in a view that already checked the permission and fetched the object through a scoped queryset:
    return serve_private_file(request, evidence.file, filename="attest.pdf", worker_id=evidence.worker_id)
"""

import io
import os
import uuid
from urllib.parse import urlsplit

import pypdf
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from pypdf.errors import DependencyError, LimitReachedError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject

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
    "zip": "application/zip",
}
EXTENSIONS = {"pdf": ".pdf", "png": ".png", "jpeg": ".jpg", "gif": ".gif", "zip": ".zip"}


def sniff(head: bytes) -> str | None:
    for kind, signatures in SIGNATURES.items():
        if any(head.startswith(s) for s in signatures):
            return kind
    return None


def validate_upload(file, allowed=frozenset({"pdf", "png", "jpeg"}), max_bytes=None) -> str:
    """Check an uploaded file by its size and its first bytes; return its kind ("pdf", "png", ...).

    Raises ValidationError with a message for the user (shown next to the field)."""
    max_bytes = max_bytes or settings.PORTAL_UPLOAD_MAX_BYTES
    if file is None:
        raise ValidationError(_("Choose a file."))
    size = getattr(file, "size", None)
    if not size:
        raise ValidationError(_("The file is empty."))
    if size > max_bytes:
        raise ValidationError(_("The file is too large (%(size)s MB); the maximum is %(max)s MB.")
                              % {"size": f"{size / 1024 / 1024:.1f}", "max": f"{max_bytes / 1024 / 1024:.0f}"})
    position = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    head = file.read(16)
    file.seek(position)
    kind = sniff(head)
    if kind is None or kind not in allowed:
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
    """upload_to= that stores a file under private/<prefix>/<random hex><ext>: the user's file name never
    reaches the disk or a URL, and names cannot be guessed."""

    def __init__(self, prefix: str):
        self.prefix = prefix.strip("/")

    def __call__(self, instance, filename):
        ext = os.path.splitext(filename)[1].lower()
        ext = ext if ext in set(EXTENSIONS.values()) | {".jpeg", ".xlsx", ".docx", ".csv"} else ""
        return f"private/{self.prefix}/{uuid.uuid4().hex}{ext}"

    def __eq__(self, other):
        return isinstance(other, random_upload_path) and other.prefix == self.prefix


def serve_private_file(request, fieldfile, *, filename: str, worker_id=None, organisation=None, obj=None,
                       audit: bool = True, as_attachment: bool = True) -> FileResponse:
    """Send a private file. The caller has checked the permission and fetched the owning object through
    a scoped queryset; this sends it as a download with a safe content type and records the download in
    the audit trail (docs/domain.md §7)."""
    from lde_portal.audit.models import AuditAction
    from lde_portal.audit.services import audit_file_access

    if not fieldfile:
        raise Http404
    try:
        handle = fieldfile.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    kind = sniff(handle.read(16))
    handle.seek(0)
    if audit:
        audit_file_access(actor=request.user, kind=AuditAction.DOWNLOAD, obj=obj,
                          organisation=organisation or getattr(request, "organisation", None), worker_id=worker_id,
                          summary=filename)
    response = FileResponse(handle, as_attachment=as_attachment, filename=filename,
                            content_type=CONTENT_TYPES.get(kind, "application/octet-stream"))
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
