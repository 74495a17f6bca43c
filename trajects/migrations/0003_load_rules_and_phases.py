"""Data: the rule table from trajects.rule_data, and the default phases for every organisation."""

from django.db import migrations

from trajects.phases import seed_default_phases
from trajects.rule_data import DEFAULT_RULES


def load(apps, schema_editor):
    RegimeRule = apps.get_model("trajects", "RegimeRule")
    if not RegimeRule.objects.exists():
        RegimeRule.objects.bulk_create(RegimeRule(**row) for row in DEFAULT_RULES)
    PhaseDefinition = apps.get_model("trajects", "PhaseDefinition")
    for organisation_id in apps.get_model("accounts", "Organisation").objects.values_list("pk", flat=True):
        seed_default_phases(PhaseDefinition, organisation_id)


def unload(apps, schema_editor):
    apps.get_model("trajects", "RegimeRule").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("trajects", "0002_trajectories")]

    operations = [migrations.RunPython(load, unload)]
