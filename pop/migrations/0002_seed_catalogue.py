"""Seed the sector-wide competence catalogue (generic competences + technical ones per activity type).

The texts are imported from pop/catalogue_data.py so that they are written once; that module is
data only and must stay compatible with this migration (append, never rename, there).
"""

from django.db import migrations

from pop.catalogue_data import seed_catalogue


def seed(apps, schema_editor):
    seed_catalogue(apps.get_model("pop", "Competence"), apps.get_model("pop", "CompetenceLevel"))


class Migration(migrations.Migration):
    dependencies = [("pop", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
