"""Scale data (issue #10): the organisations of the sector, their activities and a member for every role.

Organisation sizes follow a long tail (a few employers with several hundred workers, many with a
handful: docs/domain.md §1); each organisation gets enough coaches for caseloads of about 15 to 45 workers,
with the largest organisation's first coach at the top of the 10–80 range. The domain seeders read
the planned worker counts and coaches from ctx.data["orgs"].
"""

import math
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django_otp.plugins.otp_totp.models import TOTPDevice

from .demo import DEMO_PASSWORD as PASSWORD
from .demo import DEMO_TOTP_KEY as TOTP_KEY  # `manage.py demo_totp` prints its current code
from .models import Activity, ActivityType, Membership, Organisation, Role, User

ORGANISATIONS = 150
ACTIVE_WORKERS = 3000
EXITED_WORKERS = 7000

PLACES = [("Gent", "9000"), ("Antwerpen", "2000"), ("Brugge", "8000"), ("Leuven", "3000"), ("Mechelen", "2800"),
          ("Aalst", "9300"), ("Hasselt", "3500"), ("Kortrijk", "8500"), ("Sint-Niklaas", "9100"),
          ("Genk", "3600"), ("Oostende", "8400"), ("Roeselare", "8800"), ("Turnhout", "2300"),
          ("Dendermonde", "9200"), ("Lier", "2500"), ("Geel", "2440"), ("Ninove", "9400"), ("Tienen", "3300"),
          ("Lokeren", "9160"), ("Ieper", "8900")]
KINDS = ["Buurtwerk {} vzw", "Sociale werkplaats {}", "OCMW {}", "Kringwinkel {}", "Buurtdiensten {}",
         "Dienstencentrum {} vzw"]
ACTIVITY_NAMES = {
    ActivityType.BICYCLE_POINT: "Fietspunt", ActivityType.CHILDCARE: "Buitenschoolse opvang",
    ActivityType.GREEN_MAINTENANCE: "Groenonderhoud", ActivityType.ODD_JOBS: "Klusjesdienst",
    ActivityType.LAUNDRY: "Strijkatelier", ActivityType.SOCIAL_RESTAURANT: "Sociaal restaurant",
    ActivityType.HOME_HELP: "Hulp aan senioren", ActivityType.NEIGHBOURHOOD_SPORT: "Buurtsport",
}
FIRST = ["Sara", "Koen", "Els", "Mehdi", "Griet", "Lotte", "Ann", "Wim", "Fatima", "Hilde", "Tom", "Bart", "Inge",
         "Joris", "Nele", "Pieter", "Sofie", "Youssef", "Katrien", "Dries", "Leen", "Hans", "Mieke", "Bram"]
LAST = ["Verstraete", "De Smet", "Van Damme", "Maes", "Peeters", "Janssens", "Goossens", "Wouters", "Claes",
        "Hermans", "Willems", "Mertens", "Jacobs", "Aerts", "De Clercq", "Michiels", "Cools", "Vermeulen"]


@dataclass
class OrgPlan:
    id: int
    slug: str
    name: str
    municipality: str
    postal_code: str
    n_active: int
    n_exited: int
    activities: list = field(default_factory=list)  # [(id, type, name)]
    coaches: list = field(default_factory=list)  # membership ids
    coordinators: list = field(default_factory=list)
    manager: int = 0
    org_admin: int = 0
    users: dict = field(default_factory=dict)  # membership id -> user id


def enterprise_number(i: int) -> str:
    first = f"0{3_000_000 + i:07d}"
    return f"{first}{97 - int(first) % 97:02d}"


def _split(total: int, weights: list[float], minimum: int) -> list[int]:
    """Largest-remainder split of `total` over the weights, each at least `minimum`."""
    n = len(weights)
    base = max(0, total - minimum * n)
    scale = sum(weights)
    raw = [base * w / scale for w in weights]
    counts = [math.floor(r) for r in raw]
    for i in sorted(range(n), key=lambda i: raw[i] - counts[i], reverse=True)[: base - sum(counts)]:
        counts[i] += 1
    return [c + minimum for c in counts]


def build(ctx):
    w, rng = ctx.writer, ctx.rng("accounts")
    n_orgs = ctx.scaled(ORGANISATIONS, 2)
    weights = [(i + 1) ** -0.8 for i in range(n_orgs)]
    actives = _split(ctx.scaled(ACTIVE_WORKERS, 2 * n_orgs), weights, 2)
    exiteds = _split(ctx.scaled(EXITED_WORKERS, n_orgs), weights, 1)
    password = make_password(PASSWORD)
    now = w.now
    orgs = []

    for i in range(n_orgs):
        place, postal = PLACES[i % len(PLACES)]
        slug = f"scale-{i + 1:03d}"
        name = KINDS[i % len(KINDS)].format(place) + (f" {i // len(PLACES) + 1}" if i >= len(PLACES) else "")
        org_id = w.add(Organisation, name=name, slug=slug, enterprise_number=enterprise_number(i),
                       street=f"Marktplein {i + 1}", postal_code=postal, municipality=place, created_at=now)
        plan = OrgPlan(org_id, slug, name, place, postal, actives[i], exiteds[i])
        kinds = list(ACTIVITY_NAMES)
        rng.shuffle(kinds)
        for kind in kinds[: min(6, 1 + plan.n_active // 40)]:
            act_id = w.add(Activity, organisation_id=org_id, name=f"{ACTIVITY_NAMES[kind]} {place}", type=kind,
                           municipality=place, active=True)
            plan.activities.append((act_id, kind, f"{ACTIVITY_NAMES[kind]} {place}"))
        # Caseloads of about 15–45 (docs/domain.md §1: 10–80). The largest organisation's first coach is the benchmark's
        # coach (trajects.scale gives them exactly BENCH_CASELOAD workers), so it needs a colleague for the rest.
        n_coaches = max(2 if i == 0 else 1, round(plan.n_active / rng.uniform(15, 45)))
        n_coordinators = min(3, 1 + plan.n_active // 120)
        roles = ([Role.COACH] * n_coaches + [Role.COORDINATOR] * n_coordinators + [Role.MANAGER, Role.ORG_ADMIN])
        for n, role in enumerate(roles, start=1):
            user_id = w.add(User, email=f"{role.replace('_', '')}{n}@{slug}.scale", password=password,
                            first_name=rng.choice(FIRST), last_name=rng.choice(LAST), is_active=True, is_staff=False,
                            is_superuser=False, date_joined=now, last_login=None)
            membership_id = w.add(Membership, user_id=user_id, organisation_id=org_id, role=role, active=True,
                                  created_at=now)
            plan.users[membership_id] = user_id
            if role == Role.COACH:
                plan.coaches.append(membership_id)
            elif role == Role.COORDINATOR:
                plan.coordinators.append(membership_id)
            elif role == Role.MANAGER:
                plan.manager = membership_id
            else:
                plan.org_admin = membership_id
            if role in (Role.MANAGER, Role.ORG_ADMIN):
                w.add(TOTPDevice, user_id=user_id, name="scale", confirmed=True, key=TOTP_KEY)
        orgs.append(plan)
    ctx.data["orgs"] = orgs
    ctx.log(f"  organisations {n_orgs}, active workers {sum(actives)}, exited {sum(exiteds)}")
