"""Demo organisations, activities and users (docs/domain.md §8). Fictional; Flemish names and places."""

from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import Activity, ActivityType, Membership, Organisation, Role, User

DEMO_PASSWORD = "lde-demo-2026"
# Managers and org admins must use a second factor. Demo accounts share this TOTP key (base32
# JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP) so a demo works with any authenticator app, or without one through
# `manage.py demo_totp`. Never a real account's key: seed_demo is for the demo database only.
DEMO_TOTP_KEY = "48656c6c6f21deadbeef48656c6c6f21deadbeef"

ORGANISATIONS = [
    {
        "slug": "stroom", "name": "Buurtwerk Stroom vzw", "enterprise_number": "0450123451",
        "street": "Dampoortstraat 41", "postal_code": "9000", "municipality": "Gent",
        "activities": [
            ("Fietspunt Dampoort", ActivityType.BICYCLE_POINT, "Gent"),
            ("Fietsherstelplaats Sint-Amandsberg", ActivityType.BICYCLE_POINT, "Gent"),
            ("Straatonderhoud Ledeberg", ActivityType.GREEN_MAINTENANCE, "Gent"),
        ],
        "users": [
            ("sara@stroom.demo", "Sara", "Verstraete", Role.COACH),
            ("mehdi@stroom.demo", "Mehdi", "El Amrani", Role.COACH),
            ("koen@stroom.demo", "Koen", "De Smet", Role.COORDINATOR),
            ("els@stroom.demo", "Els", "Van Damme", Role.MANAGER),
            ("admin@stroom.demo", "Griet", "Maes", Role.ORG_ADMIN),
        ],
    },
    {
        "slug": "speelboom", "name": "Kinderopvang De Speelboom vzw", "enterprise_number": "0456789034",
        "street": "Bruul 12", "postal_code": "2800", "municipality": "Mechelen",
        "activities": [
            ("Buitenschoolse opvang 't Kwetternest", ActivityType.CHILDCARE, "Mechelen"),
            ("Strijkatelier Zonnig", ActivityType.LAUNDRY, "Mechelen"),
        ],
        "users": [
            ("lotte@speelboom.demo", "Lotte", "Peeters", Role.COACH),
            ("ann@speelboom.demo", "Ann", "Janssens", Role.COORDINATOR),
            ("els@stroom.demo", "Els", "Van Damme", Role.MANAGER),
            ("admin@speelboom.demo", "Bart", "Claes", Role.ORG_ADMIN),
        ],
    },
    {
        "slug": "denderhoven", "name": "OCMW Denderhoven", "enterprise_number": "0212345668",
        "street": "Marktplein 1", "postal_code": "9470", "municipality": "Denderleeuw",
        "activities": [
            ("Leerwerkplaats schilderwerken", ActivityType.ODD_JOBS, "Denderleeuw"),
            ("Leerwerkplaats sanitair", ActivityType.ODD_JOBS, "Denderleeuw"),
            ("Klusjesdienst senioren", ActivityType.HOME_HELP, "Liedekerke"),
        ],
        "users": [
            ("wim@denderhoven.demo", "Wim", "Goossens", Role.COACH),
            ("fatima@denderhoven.demo", "Fatima", "Bakkali", Role.COORDINATOR),
            ("hilde@denderhoven.demo", "Hilde", "Wouters", Role.MANAGER),
            ("admin@denderhoven.demo", "Tom", "Hermans", Role.ORG_ADMIN),
        ],
    },
]


def seed(ctx):
    ctx["password"] = DEMO_PASSWORD
    ctx["organisations"] = {}
    ctx["logins"] = []
    for spec in ORGANISATIONS:
        org, _ = Organisation.objects.get_or_create(
            slug=spec["slug"],
            defaults={k: spec[k] for k in ["name", "enterprise_number", "street", "postal_code", "municipality"]},
        )
        activities = []
        for name, type_, municipality in spec["activities"]:
            activity, _ = Activity.objects.get_or_create(
                organisation=org, name=name, defaults={"type": type_, "municipality": municipality}
            )
            activities.append(activity)
        members = {}
        for email, first, last, role in spec["users"]:
            user = User.objects.filter(email=email).first()
            if user is None:
                user = User.objects.create_user(email=email, password=DEMO_PASSWORD, first_name=first, last_name=last)
            membership, _ = Membership.objects.get_or_create(user=user, organisation=org, defaults={"role": role})
            if membership.role in (Role.MANAGER, Role.ORG_ADMIN):
                _demo_second_factor(user)
            members.setdefault(membership.role, []).append(membership)
            ctx["logins"].append((email, membership.get_role_display(), org.name))
        ctx["organisations"][org.slug] = {"org": org, "activities": activities, "members": members}
    if not User.objects.filter(email="superuser@lde.demo").exists():
        User.objects.create_superuser(email="superuser@lde.demo", password=DEMO_PASSWORD, first_name="Beheer")
    _demo_second_factor(User.objects.get(email="superuser@lde.demo"))
    ctx["logins"].append(("superuser@lde.demo", "Django-beheer (/django-admin/)", "—"))


def _demo_second_factor(user):
    TOTPDevice.objects.get_or_create(user=user, name="demo", defaults={"key": DEMO_TOTP_KEY, "confirmed": True})
