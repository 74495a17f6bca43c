import datetime
from decimal import Decimal

import factory
from stdnum.be import nn

from lde_portal.accounts.models import Activity, ActivityType, Membership, Organisation, Role, User
from trajects.models import CoachAssignment, CoachRole, Employment, Worker, WorkerStatus


def valid_enterprise_number(n: int) -> str:
    base = 200000000 + n * 7919
    body = f"0{base:09d}"[:8]
    return body + f"{97 - int(body) % 97:02d}"


def valid_insz(n: int, birth=datetime.date(1985, 7, 30)) -> str:
    seq = (n % 997) + 1
    base = f"{birth:%y%m%d}{seq:03d}"
    prefix = "2" if birth.year >= 2000 else ""
    insz = f"{base}{97 - int(prefix + base) % 97:02d}"
    assert nn.is_valid(insz)
    return insz


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisatie {n} vzw")
    slug = factory.Sequence(lambda n: f"org-{n}")
    enterprise_number = factory.Sequence(valid_enterprise_number)
    municipality = "Gent"
    postal_code = "9000"


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Activiteit {n}")
    type = ActivityType.BICYCLE_POINT


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    first_name = factory.Sequence(lambda n: f"Voornaam{n}")
    last_name = "Test"
    password = factory.django.Password("correct horse battery staple")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.COACH


class WorkerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Worker

    organisation = factory.SubFactory(OrganisationFactory)
    first_name = factory.Sequence(lambda n: f"Werknemer{n}")
    last_name = factory.Sequence(lambda n: f"Achternaam{n:04d}")
    insz = factory.Sequence(valid_insz)
    birth_date = datetime.date(1985, 7, 30)
    status = WorkerStatus.ACTIVE
    status_since = datetime.date(2024, 1, 1)


class WorkerRecordFactory(factory.django.DjangoModelFactory):
    """A record about one worker, owned by the worker's organisation (its own `organisation` key, as every
    tenant-owned table has)."""

    class Meta:
        abstract = True

    worker = factory.SubFactory(WorkerFactory)
    organisation = factory.SelfAttribute("worker.organisation")


class EmploymentFactory(WorkerRecordFactory):
    class Meta:
        model = Employment

    activity = factory.SubFactory(ActivityFactory, organisation=factory.SelfAttribute("..worker.organisation"))
    contract_start = datetime.date(2024, 1, 1)
    weekly_hours = Decimal("30.4")
    fte = Decimal("0.8")


class CoachAssignmentFactory(WorkerRecordFactory):
    class Meta:
        model = CoachAssignment

    coach = factory.SubFactory(MembershipFactory, organisation=factory.SelfAttribute("..worker.organisation"))
    role = CoachRole.JOB_COACH
    start = datetime.date(2024, 1, 1)


def new_worker_post(**changes):
    """What the worker registration form posts for a new worker with no contract or coach yet, every field
    valid; `changes` replaces some."""
    return {"first_name": "Jamal", "last_name": "Benali", "insz": "85.07.30-033.28", "birth_date": "",
            "gender": "M", "preferred_language": "nl", "education_level": "lower_secondary", "status": "active",
            "status_date": "01/09/2026", "employment-activity": "", "employment-contract_start": "",
            "employment-contract_end": "", "employment-contract_type": "open_ended",
            "employment-weekly_hours": "", "employment-fte": "", "coach-role": "job_coach",
            "street": "Kerkstraat 5", "postal_code": "9000", "phone": "0470 12 34 56", **changes}


def coached_worker(activity, coach, *, hired=datetime.date(2024, 1, 1), **fields):
    """A worker of the activity's organisation, employed there and coached by `coach`, both since `hired`:
    the worker most tests are about."""
    worker = WorkerFactory(organisation=activity.organisation, **fields)
    EmploymentFactory(worker=worker, activity=activity, contract_start=hired)
    CoachAssignmentFactory(worker=worker, coach=coach, start=hired)
    return worker
