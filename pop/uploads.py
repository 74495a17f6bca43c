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

from lde_portal.uploads import sniff as platform_sniff
from lde_portal.uploads import validate_upload

MAX_BYTES = 5 * 1024 * 1024
# Stored extension per recognised kind; recognition itself is the platform's (lde_portal.uploads.sniff).
EXTENSIONS = {"pdf": "pdf", "png": "png", "jpeg": "jpg"}
CONTENT_TYPES = {"pdf": "application/pdf", "png": "image/png", "jpg": "image/jpeg"}


def upload_path(instance, filename):
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"pop/{instance.organisation_id}/{uuid.uuid4().hex}.{ext}"


def sniff(head: bytes) -> str | None:
    """The stored extension of a PDF, PNG or JPEG recognised by its first bytes; None for anything else."""
    return EXTENSIONS.get(platform_sniff(head))


def checked_upload(uploaded, *, field="file") -> ContentFile:
    """The uploaded file as a ContentFile with a random name, or a ValidationError for `field`."""
    if uploaded.size > MAX_BYTES:
        raise ValidationError({field: [_("The file is larger than 5 MB.")]})
    uploaded.seek(0)
    content = uploaded.read()
    ext = sniff(content[:16])
    if ext is None:
        raise ValidationError({field: [_("Upload a PDF, PNG or JPEG file.")]})
    # The platform's check also refuses PDFs with active content, and PDFs it cannot parse.
    try:
        validate_upload(uploaded, allowed=set(EXTENSIONS), max_bytes=MAX_BYTES)
    except ValidationError as error:
        raise ValidationError({field: error.messages}) from None
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
