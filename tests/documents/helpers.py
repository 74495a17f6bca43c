import io

from pypdf import PdfReader


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


EXPERIENCE_DATA = {"role": "Fietshersteller", "main_tasks": "Banden vervangen\nRemmen afstellen",
                   "hours_per_week": "30.4", "language": "nl"}
REFERENCE_DATA = {"addressee": "Fietsen Vermeulen", "text": "Hij is altijd stipt.\n\nHij werkt graag in team.",
                  "language": "nl"}
