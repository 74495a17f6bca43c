"""HTML → PDF. `render_pdf(kind, context)` is the whole render, timed by the benchmark."""

import base64
import mimetypes
import pathlib

import segno
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .registry import DocumentKind, get_kind


def verify_url(token: str) -> str:
    return settings.PORTAL_BASE_URL.rstrip("/") + reverse("verify:token", kwargs={"token": token})


def verify_form_url() -> str:
    return settings.PORTAL_BASE_URL.rstrip("/") + reverse("verify:form")


def qr_data_uri(url: str) -> str:
    # Error correction M survives a crease or a smudge on paper; SVG stays sharp at any print size.
    return segno.make(url, error="m").svg_data_uri(scale=4, border=2)


def logo_data_uri(organisation) -> str:
    """The logo embedded in the document (no URL to fetch: media files are never public)."""
    if not organisation.logo:
        return ""
    try:
        with organisation.logo.open("rb") as fh:
            data = fh.read()
    except (OSError, ValueError):
        return ""
    mime = mimetypes.guess_type(organisation.logo.name)[0] or "image/png"
    return f"data:{mime};base64,{base64.b64encode(data).decode()}"


def signatory_for(organisation, membership) -> dict:
    """A fixed signatory from the organisation's document settings, else the issuing member."""
    conf = getattr(organisation, "document_settings", None)
    if conf is not None and conf.signatory_name:
        return {"name": conf.signatory_name, "role": conf.signatory_role}
    return {"name": membership.user.get_full_name() or membership.user.email,
            "role": str(membership.get_role_display())}


def document_context(*, kind: DocumentKind, facts: dict, organisation, membership, language: str,
                     issued_at=None, number="", check_code="", token="") -> dict:
    """Everything a PDF template sees: the organisation's letterhead, the signatory, the document's
    identifiers and the kind's checked facts. Built only from plain values, never model instances."""
    with translation.override(language):
        return _document_context(kind=kind, facts=facts, organisation=organisation, membership=membership,
                                 language=language, issued_at=issued_at, number=number, check_code=check_code,
                                 token=token)


def _document_context(*, kind, facts, organisation, membership, language, issued_at, number, check_code, token):
    return {
        "language": language,
        "kind_key": kind.key,
        "kind_label": str(kind.label),
        "org": {
            "name": organisation.name,
            "address": organisation.address,
            "enterprise_number": organisation.enterprise_number_display,
            "logo": logo_data_uri(organisation),
        },
        "signatory": signatory_for(organisation, membership),
        "doc": {
            "number": number,
            "check_code": check_code,
            "issued_on": timezone.localtime(issued_at).date() if issued_at else None,
            "verify_url": verify_url(token) if token else "",
            "verify_form_url": verify_form_url(),
            "qr": qr_data_uri(verify_url(token)) if token else "",
        },
        "facts": facts,
    }


def _kind(kind):
    return kind if isinstance(kind, DocumentKind) else get_kind(kind)


def render_html(kind, context: dict, *, preview=False, extra=None) -> str:
    kind = _kind(kind)
    with translation.override(context["language"]):
        # Context labels are translated in the document's language, not the user's.
        context = {**context, "kind_label": str(kind.label)}
        css = static("css/pdf.css") if preview else pathlib.Path(finders.find("css/pdf.css")).as_uri()
        return render_to_string(kind.template, {**context, "preview": preview, "pdf_css": css, **(extra or {})})


def _print_css(language: str, number: str = "") -> str:
    """PDF-only CSS: the embedded font (from a file path, so WeasyPrint embeds it) and the page footer
    ("pagina X van Y"), which needs the document's language and so cannot live in the static file."""
    fonts = pathlib.Path(settings.DOCUMENTS_FONT_DIR)
    with translation.override(language):
        page, of = _("page"), _("of")
    faces = "".join(
        f'@font-face {{ font-family: "LDE Sans"; font-weight: {weight}; src: url("{(fonts / name).as_uri()}"); }}\n'
        for weight, name in ((400, "DejaVuSans.ttf"), (700, "DejaVuSans-Bold.ttf"))
    )
    return faces + (
        'html { font-family: "LDE Sans"; }\n'
        f'@page {{ @bottom-right {{ content: "{page} " counter(page) " {of} " counter(pages); '
        'font-family: "LDE Sans"; font-size: 8pt; color: #555; }\n'
        # The number on every page: a loose second page still says which document it belongs to.
        f'  @bottom-left {{ content: "{number}"; font-family: "LDE Sans"; font-size: 8pt; color: #555; }} }}\n'
    )


def render_pdf(kind, context: dict) -> bytes:
    # Importing WeasyPrint loads Pango and fontconfig (seconds of start-up); only the PDF paths pay for it.
    from weasyprint import CSS, HTML  # noqa: PLC0415
    from weasyprint.text.fonts import FontConfiguration  # noqa: PLC0415

    html = render_html(kind, context)
    font_config = FontConfiguration()
    number = "".join(ch for ch in context["doc"]["number"] if ch.isalnum() or ch == "-")
    css = CSS(string=_print_css(context["language"], number), font_config=font_config)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(stylesheets=[css], font_config=font_config)
