"""The starting catalogue of the needs profile (docs/domain.md §3.2): WHO ICF 2001 codes with
Dutch working labels; personal and qualification-related factors as free-text headings."""

from django.db import migrations

ITEMS = [
    ("b", "b126", "Temperament en persoonlijkheid"),
    ("b", "b130", "Energie en motivatie"),
    ("b", "b134", "Slaap"),
    ("b", "b140", "Aandacht"),
    ("b", "b144", "Geheugen"),
    ("b", "b152", "Emotionele functies"),
    ("b", "b164", "Hogere cognitieve functies (plannen, organiseren)"),
    ("b", "b280", "Pijn"),
    ("b", "b455", "Fysieke belastbaarheid"),
    ("d", "d155", "Vaardigheden aanleren"),
    ("d", "d160", "Aandacht richten"),
    ("d", "d175", "Problemen oplossen"),
    ("d", "d177", "Beslissingen nemen"),
    ("d", "d210", "Eén taak uitvoeren"),
    ("d", "d220", "Meerdere taken uitvoeren"),
    ("d", "d230", "Dagelijkse routine"),
    ("d", "d240", "Omgaan met stress en druk"),
    ("d", "d310", "Gesproken boodschappen begrijpen"),
    ("d", "d330", "Spreken"),
    ("d", "d350", "Gesprek voeren"),
    ("d", "d415", "Houding aanhouden"),
    ("d", "d430", "Tillen en dragen"),
    ("d", "d450", "Lopen"),
    ("d", "d470", "Openbaar vervoer gebruiken"),
    ("d", "d475", "Zich verplaatsen met eigen vervoer"),
    ("d", "d570", "Zorgen voor de eigen gezondheid"),
    ("d", "d710", "Basale omgang met anderen"),
    ("d", "d720", "Complexe omgang met anderen"),
    ("d", "d740", "Formele relaties (leidinggevende, klanten)"),
    ("d", "d760", "Gezinsrelaties"),
    ("d", "d825", "Beroepsopleiding"),
    ("d", "d840", "Werkvoorbereiding, stage"),
    ("d", "d845", "Werk vinden en behouden"),
    ("d", "d850", "Betaald werk"),
    ("d", "d860", "Eenvoudige geldzaken"),
    ("d", "d870", "Financiële zelfredzaamheid"),
    ("e", "e110", "Medicatie en middelen"),
    ("e", "e120", "Vervoermiddelen"),
    ("e", "e310", "Gezin"),
    ("e", "e320", "Vrienden"),
    ("e", "e325", "Collega's, buren, kennissen"),
    ("e", "e330", "Leidinggevenden"),
    ("e", "e355", "Zorgverleners"),
    ("e", "e360", "Andere hulpverleners"),
    ("e", "e410", "Houding van het gezin"),
    ("e", "e460", "Maatschappelijke beeldvorming"),
    ("e", "e525", "Huisvesting"),
    ("e", "e540", "Openbaar vervoer, mobiliteit"),
    ("e", "e570", "Sociale zekerheid, uitkeringen"),
    ("e", "e575", "Sociale dienstverlening (OCMW, CAW)"),
    ("e", "e580", "Gezondheidszorg"),
    ("e", "e585", "Onderwijs en opleiding"),
    ("e", "e590", "Arbeidsbemiddeling (VDAB)"),
    ("personal", "", "Leeftijd en levensfase"),
    ("personal", "", "Opleiding en werkverleden"),
    ("personal", "", "Copingstijl"),
    ("personal", "", "Zelfvertrouwen"),
    ("personal", "", "Motivatie en werkattitude"),
    ("personal", "", "Levenservaring (armoede, migratie)"),
    ("personal", "", "Interesses (zorg, techniek, organisatie)"),
    ("personal", "", "Talen"),
    ("qualification", "", "Hoogste diploma"),
    ("qualification", "", "Werkervaring (jaren, sectoren)"),
    ("qualification", "", "Niveau Nederlands (mondeling, schriftelijk)"),
    ("qualification", "", "Digitale vaardigheden"),
    ("qualification", "", "Rijbewijs"),
    ("qualification", "", "Attesten en certificaten"),
]


def seed(apps, schema_editor):
    IcfItem = apps.get_model("indication", "IcfItem")
    for order, (component, code, label) in enumerate(ITEMS, start=1):
        IcfItem.objects.get_or_create(organisation=None, component=component, label=label,
                                      defaults={"code": code, "order": order})


def unseed(apps, schema_editor):
    IcfItem = apps.get_model("indication", "IcfItem")
    IcfItem.objects.filter(organisation=None, label__in=[label for _c, _k, label in ITEMS]).delete()


class Migration(migrations.Migration):
    dependencies = [("indication", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
