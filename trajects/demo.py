"""Demo workers: about 60 across the three organisations, in every status (domain.md §8)."""

import datetime
from decimal import Decimal

from lde_portal.accounts.models import Role

from .models import (
    CoachAssignment,
    CoachRole,
    EducationLevel,
    Employment,
    Gender,
    Language,
    StatusChange,
    Worker,
    WorkerStatus,
)
from .services import suggested_fte

FIRST_F = ["Lotte", "Sofie", "Fatma", "Nadia", "Ilse", "Amina", "Kelly", "Yasmina", "Nathalie", "Hanne", "Marijke",
           "Samira", "Tamara", "Sevda", "Joke", "Oksana", "Rachida", "Evi", "Leen", "Mireille"]
FIRST_M = ["Jamal", "Ahmed", "Kevin", "Dirk", "Youssef", "Bram", "Tom", "Mohamed", "Pieter", "Serkan", "Luc", "Abdi",
           "Jonas", "Wout", "Karim", "Dries", "Marc", "Tesfay", "Bilal", "Patrick"]
LAST = ["Peeters", "Janssens", "Maes", "Jacobs", "Mertens", "Willems", "Claes", "Goossens", "Wouters", "De Smet",
        "Dubois", "Lambrechts", "Vermeulen", "Aerts", "El Idrissi", "Yilmaz", "Demir", "Bakker", "Van Acker",
        "De Clercq", "Hermans", "Cools", "Verhoeven", "Michiels", "Boukhari", "Haile", "Kowalski", "Nowak"]
STREETS = ["Kerkstraat", "Stationsstraat", "Molenstraat", "Dorpsstraat", "Nieuwstraat", "Schoolstraat", "Beekstraat"]


def make_insz(birth: datetime.date, seq: int) -> str:
    """A fictional INSZ that passes the mod-97 checksum (the 2000s variant prefixes a 2)."""
    base = f"{birth:%y%m%d}{seq:03d}"
    check = 97 - (int(("2" if birth.year >= 2000 else "") + base) % 97)
    return f"{base}{check:02d}"


# (status, years employed or None, count weights) — every status and a spread of seniorities.
PLAN = {
    "stroom": 30,
    "speelboom": 15,
    "denderhoven": 15,
}


def _status_for(i: int) -> str:
    if i % 10 == 7:
        return WorkerStatus.EXITED
    if i % 10 == 3 and i % 20 != 3:
        return WorkerStatus.SUSPENDED
    if i % 15 == 14:
        return WorkerStatus.RECRUITMENT
    return WorkerStatus.ACTIVE


def seed(ctx):
    rng, today = ctx["rng"], ctx["today"]
    ctx["workers"] = {}
    for slug, count in PLAN.items():
        data = ctx["organisations"][slug]
        org, activities, members = data["org"], data["activities"], data["members"]
        coaches = members.get(Role.COACH, [])
        coordinator = members[Role.COORDINATOR][0]
        workers = []
        for i in range(count):
            female = rng.random() < 0.5
            first = rng.choice(FIRST_F if female else FIRST_M)
            last = rng.choice(LAST)
            birth = datetime.date(rng.randint(1962, 2001), rng.randint(1, 12), rng.randint(1, 28))
            seq = rng.randrange(2, 997, 2) if female else rng.randrange(1, 997, 2)
            status = _status_for(i)
            # Seniority spread: some old LDE hires (before 2015), transition-era hires, recent IMW hires.
            years_ago = rng.choice([0.3, 0.8, 1.5, 2.5, 3.5, 4.5, 6, 9, 11.5])
            start = today - datetime.timedelta(days=int(years_ago * 365.25))
            # Every random value is drawn whether or not the worker exists, so a re-run replays the same
            # sequence and finds the same people instead of inventing new ones.
            attrs = {
                "first_name": first, "last_name": last, "birth_date": birth,
                "gender": Gender.FEMALE if female else Gender.MALE,
                "street": f"{rng.choice(STREETS)} {rng.randint(1, 180)}", "postal_code": org.postal_code,
                "municipality": org.municipality,
                "phone": f"04{rng.randint(70, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
                "preferred_language": rng.choice([Language.NL] * 6 + [Language.AR, Language.TR, Language.FR, Language.TI]),
                "education_level": rng.choice(list(EducationLevel.values)),
                "interpreter_needed": rng.random() < 0.1,
                "emergency_contact_name": f"{rng.choice(FIRST_F + FIRST_M)} {last}",
                "emergency_contact_phone": f"04{rng.randint(70, 99)} {rng.randint(100000, 999999)}",
                "status": status, "status_since": start,
            }
            hours = Decimal(rng.choice([19, 26, 30.4, 30.4, 38]))
            exit_days = rng.randint(30, 400)
            suspended_days = rng.randint(10, 60)
            worker = Worker.objects.filter(organisation=org, insz=make_insz(birth, seq)).first()
            if worker is not None:
                # Already seeded (maybe on another day): its history stays as it was.
                workers.append(worker)
                continue
            worker = Worker(organisation=org, insz=make_insz(birth, seq), **attrs)
            worker.full_clean(exclude=["organisation"])
            worker.save()
            workers.append(worker)
            if status == WorkerStatus.RECRUITMENT:
                StatusChange.objects.get_or_create(worker=worker, status=status, date=today - datetime.timedelta(days=20),
                                                   defaults={"organisation": org})
                Worker.objects.filter(pk=worker.pk).update(status_since=today - datetime.timedelta(days=20))
                continue
            activity = activities[i % len(activities)]
            exit_date = today - datetime.timedelta(days=exit_days) if status == WorkerStatus.EXITED else None
            if exit_date and exit_date <= start:
                exit_date = start + datetime.timedelta(days=200)
            Employment.objects.get_or_create(
                worker=worker, contract_start=start,
                defaults={"organisation": org, "activity": activity, "weekly_hours": hours, "fte": suggested_fte(hours),
                          "contract_end": exit_date},
            )
            StatusChange.objects.get_or_create(worker=worker, status=WorkerStatus.ACTIVE, date=start,
                                               defaults={"organisation": org})
            # Sara (journeys.md) coaches the bicycle point: the first coach gets activity 0's workers.
            coach = coaches[0] if (i % len(activities) == 0 or len(coaches) == 1) else coaches[min(1, len(coaches) - 1)]
            CoachAssignment.objects.get_or_create(
                worker=worker, coach=coach, role=CoachRole.TECHNICAL_INSTRUCTOR, start=start,
                defaults={"organisation": org, "end": exit_date},
            )
            if i % 4 == 0:
                CoachAssignment.objects.get_or_create(
                    worker=worker, coach=coordinator, role=CoachRole.TRAJECTORY_COACH, start=start,
                    defaults={"organisation": org, "end": exit_date},
                )
            if status in (WorkerStatus.SUSPENDED, WorkerStatus.EXITED):
                date = exit_date or today - datetime.timedelta(days=suspended_days)
                StatusChange.objects.get_or_create(worker=worker, status=status, date=date, defaults={"organisation": org})
                Worker.objects.filter(pk=worker.pk).update(status_since=date)
        ctx["workers"][slug] = workers
