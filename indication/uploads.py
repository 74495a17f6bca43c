"""Decision letters: the type is decided by the file's first bytes, never by its name or the browser's
claimed content type (an .exe renamed .pdf stays an .exe)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from lde_portal.uploads import CONTENT_TYPES, sniff, validate_upload

# Stored extension per accepted kind; the kind is recognised by the platform (lde_portal.uploads.sniff).
EXTENSIONS = {"pdf": "pdf", "png": "png", "jpeg": "jpg"}


def check_letter(uploaded) -> tuple[str, str]:
    """(extension, content type) of an accepted letter, or ValidationError with a message for the field."""
    limit = settings.PORTAL_LETTER_MAX_BYTES
    if uploaded.size > limit:
        raise ValidationError(
            _("The file is too large (%(size)s); the limit is %(limit)s.")
            % {"size": filesizeformat(uploaded.size), "limit": filesizeformat(limit)}
        )
    uploaded.seek(0)
    head = uploaded.read(16)
    uploaded.seek(0)
    kind = sniff(head)
    if kind in EXTENSIONS:
        # The platform's check also refuses PDFs with active content, and PDFs it cannot parse.
        validate_upload(uploaded, max_bytes=limit)
        uploaded.seek(0)
        return EXTENSIONS[kind], CONTENT_TYPES[kind]
    raise ValidationError(_("Upload the letter as a PDF, PNG or JPEG file; this file is of another type."))
