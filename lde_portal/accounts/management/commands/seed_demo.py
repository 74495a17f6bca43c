import importlib
import importlib.util
import random

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from lde_portal.alerts.services import refresh_deferred


class Command(BaseCommand):
    help = (
        "Build the fictional demo organisations (docs/domain.md §8) with a user for every role. "
        "Safe to re-run: existing records are kept, missing ones are added."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026, help="random seed (same seed, same data)")

    def handle(self, *args, seed, **options):
        ctx = {"rng": random.Random(seed), "today": timezone.localdate(), "stdout": self.stdout}
        # Each app contributes its own demo data through `<app>/demo.py: seed(ctx)`, in INSTALLED_APPS
        # order, so the lifecycle order (organisations → workers → trajectories → POP ...) holds.
        # The alerts demo scans every organisation at the end: no refresh after each generated change.
        with transaction.atomic(), refresh_deferred():
            for config in apps.get_app_configs():
                name = f"{config.name}.demo"
                if importlib.util.find_spec(name) is None:
                    continue
                importlib.import_module(name).seed(ctx)
        self.stdout.write(self.style.SUCCESS("Demo data ready. Log in with one of these accounts:"))
        for email, role, org in ctx.get("logins", []):
            self.stdout.write(f"  {email:<32} {role:<22} {org}")
        self.stdout.write(f"  password for every demo account: {ctx.get('password')}")
