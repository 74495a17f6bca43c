"""Uploaded evidence (signed POP printouts, signatures, training certificates).

Rules: PDF, PNG or JPEG recognised by their magic bytes (the browser's content type and the file
name are not trusted), at most 5 MB, stored under a random name outside any public URL and served
only by permission-checked views.
"""

import base64
import binascii
import uuid

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

MAX_BYTES = 5 * 1024 * 1024
MAGIC = {b"%PDF-": "pdf", b"\x89PNG\r\n\x1a\n": "png", b"\xff\xd8\xff": "jpg"}
CONTENT_TYPES = {"pdf": "application/pdf", "png": "image/png", "jpg": "image/jpeg"}


def upload_path(instance, filename):
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"pop/{instance.organisation_id}/{uuid.uuid4().hex}.{ext}"


def sniff(head: bytes) -> str | None:
    return next((ext for magic, ext in MAGIC.items() if head.startswith(magic)), None)


def checked_upload(uploaded, *, field="file") -> ContentFile:
    """The uploaded file as a ContentFile with a random name, or a ValidationError for `field`."""
    if uploaded.size > MAX_BYTES:
        raise ValidationError({field: [_("The file is larger than 5 MB.")]})
    uploaded.seek(0)
    content = uploaded.read()
    ext = sniff(content[:16])
    if ext is None:
        raise ValidationError({field: [_("Upload a PDF, PNG or JPEG file.")]})
    return ContentFile(content, name=f"upload.{ext}")


def signature_file(data_url: str, *, field="signature") -> ContentFile:
    """The PNG drawn on the signature canvas (a data URL posted in a hidden field)."""
    prefix = "data:image/png;base64,"
    if not data_url.startswith(prefix):
        raise ValidationError({field: [_("The signature could not be read. Sign again.")]})
    try:
        content = base64.b64decode(data_url[len(prefix):], validate=True)
    except (binascii.Error, ValueError):
        raise ValidationError({field: [_("The signature could not be read. Sign again.")]}) from None
    if len(content) > MAX_BYTES or sniff(content[:16]) != "png":
        raise ValidationError({field: [_("The signature could not be read. Sign again.")]})
    return ContentFile(content, name="signature.png")
