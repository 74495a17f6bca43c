"""Uploads: checked by content and size, stored under random names, served only through views that
checked the permission first (issue #11). Every app that accepts a file uses these.

    from lde_portal.uploads import random_upload_path, serve_private_file, validate_upload

    class Evidence(models.Model):
        file = models.FileField(upload_to=random_upload_path("evidence"))

    # in a form's clean_file():
    kind = validate_upload(self.cleaned_data["file"], allowed={"pdf", "png", "jpeg"})

    # in a view that already checked the permission and fetched the object through a scoped queryset:
    return serve_private_file(request, evidence.file, filename="attest.pdf", worker_id=evidence.worker_id)
"""

import os
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _

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
    if kind == "pdf" and _pdf_is_active(file):
        raise ValidationError(_("This PDF contains scripts or embedded files, which are not accepted."))
    return kind


def _pdf_is_active(file) -> bool:
    """PDFs with JavaScript or launch actions are refused: they are opened by staff on shared PCs."""
    position = file.tell()
    file.seek(0)
    data = file.read(settings.PORTAL_UPLOAD_MAX_BYTES + 1)
    file.seek(position)
    return any(marker in data for marker in (b"/JavaScript", b"/JS ", b"/JS(", b"/Launch", b"/EmbeddedFile"))


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
    the audit trail (domain.md §7)."""
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
