"""Demo documents: a logo and a fixed signatory for one organisation, and a few issued attestations
(one revoked) so the Documents tab, the Attestations page and the check page have something to show."""

import io

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import translation
from PIL import Image, ImageDraw, ImageFont

from lde_portal.accounts.models import Role

from . import services
from .models import DocumentSettings, IssuedDocument
from .registry import DocumentDataError, get_kind

SIGNATORIES = {"stroom": ("Els Van Damme", "Directeur")}


def _logo_png(letter: str) -> bytes:
    image = Image.new("RGB", (240, 240), (31, 95, 91))
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(f"{settings.DOCUMENTS_FONT_DIR}/DejaVuSans-Bold.ttf", 150)
    box = draw.textbbox((0, 0), letter, font=font)
    draw.text(((240 - box[2] - box[0]) / 2, (240 - box[3] - box[1]) / 2), letter, font=font, fill="white")
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def seed(ctx):
    kind = get_kind("experience_attestation")
    for slug, data in ctx.get("organisations", {}).items():
        org = data["org"]
        if not org.logo:
            org.logo.save(f"{slug}.png", ContentFile(_logo_png(org.name.split()[-2][0])), save=True)
        if slug in SIGNATORIES and not DocumentSettings.objects.filter(organisation=org).exists():
            name, role = SIGNATORIES[slug]
            DocumentSettings.objects.create(organisation=org, signatory_name=name, signatory_role=role)
        if kind is None or IssuedDocument.objects.filter(organisation=org).exists():
            continue
        coordinator = data["members"][Role.COORDINATOR][0]
        issued = []
        for worker in ctx.get("workers", {}).get(slug, [])[:4]:
            try:
                with translation.override("nl"):
                    issued.append(services.document_issue(
                        kind=kind, worker=worker, membership=coordinator,
                        data={"language": "nl", "main_tasks": "Fietsen nakijken en herstellen\nKlanten onthalen\n"
                              "Het atelier netjes houden"}))
            except DocumentDataError:
                continue
        if len(issued) > 1:
            services.document_revoke(document=issued[-1], actor=coordinator.user,
                                     reason="Vervangen: periode was niet correct")
