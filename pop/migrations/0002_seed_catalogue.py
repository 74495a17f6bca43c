"""Seed the sector-wide competence catalogue (generic competences + technical ones per activity type).

The texts are imported from pop/catalogue_data.py so that they are written once; that module is
data only and must stay compatible with this migration (append, never rename, there).
"""

from django.db import migrations


def seed(apps, schema_editor):
    from pop.catalogue_data import GENERIC, TECHNICAL

    Competence = apps.get_model("pop", "Competence")
    CompetenceLevel = apps.get_model("pop", "CompetenceLevel")

    def add(kind, activity_type, order, name, description, levels, default_focus=False):
        competence, created = Competence.objects.get_or_create(
            organisation=None, kind=kind, activity_type=activity_type, name=name,
            defaults={"description": description, "order": order, "default_focus": default_focus},
        )
        if created:
            CompetenceLevel.objects.bulk_create(
                CompetenceLevel(competence=competence, level=i, descriptor=text)
                for i, text in enumerate(levels, start=1)
            )

    for order, (name, description, levels, default_focus) in enumerate(GENERIC):
        add("generic", "", order, name, description, levels, default_focus)
    for activity_type, items in TECHNICAL.items():
        for order, (name, description, levels) in enumerate(items):
            add("technical", activity_type, order, name, description, levels)


class Migration(migrations.Migration):
    dependencies = [("pop", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
