import datetime
import importlib
import importlib.util
import time

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from lde_portal import dates
from lde_portal.scale import BulkWriter, ScaleContext


def scale_modules():
    """`<app>.scale` of every installed app that has one, in INSTALLED_APPS (lifecycle) order."""
    for config in apps.get_app_configs():
        name = f"{config.name}.scale"
        if importlib.util.find_spec(name) is not None:
            yield importlib.import_module(name)


def seed_scale(*, factor: float, seed: int = 2026, today=None, stdout=None) -> ScaleContext:
    """Generate sector-scale data (factor 1: 150 organisations, 10,000 workers, ~1M feedback weeks)."""
    ctx = ScaleContext(factor=factor, seed=seed, today=today or timezone.localdate(), writer=BulkWriter(),
                       stdout=stdout)
    modules = list(scale_modules())
    with transaction.atomic():
        for module in modules:
            started = time.perf_counter()
            module.build(ctx)
            ctx.writer.flush()
            ctx.log(f"  {module.__name__:<28} {time.perf_counter() - started:6.1f} s")
        ctx.writer.finish()
        for module in modules:
            if hasattr(module, "finish"):
                started = time.perf_counter()
                module.finish(ctx)
                ctx.log(f"  {module.__name__ + '.finish':<28} {time.perf_counter() - started:6.1f} s")
    return ctx


class Command(BaseCommand):
    help = (
        "Generate sector-scale test data in bulk (issue #10): factor 1 = 150 organisations, 3,000 active and "
        "7,000 exited workers with 5 years of history. Deterministic for a seed; meant for an empty, "
        "migrated database (benchmarks), never for production."
    )

    def add_arguments(self, parser):
        parser.add_argument("--factor", type=float, required=True, help="1 = the whole Flemish sector")
        parser.add_argument("--seed", type=int, default=2026, help="random seed (same seed, same data)")
        parser.add_argument("--today", type=str, default="", help="generate as if today were YYYY-MM-DD")

    def handle(self, *args, factor, seed, today, **options):
        if not 0 < factor <= 10:
            raise CommandError("--factor must be between 0 and 10")
        if apps.get_model("accounts", "Organisation").objects.filter(slug__startswith="scale-").exists():
            raise CommandError("This database already holds scale data: use a fresh database.")
        try:
            day = datetime.date.fromisoformat(today) if today else None
        except ValueError:
            raise CommandError(f"--today: '{today}' is not a date; use YYYY-MM-DD.") from None
        if day is not None:
            dates.check_option(day, option="--today", date_range=dates.PERIOD)
        started = time.perf_counter()
        ctx = seed_scale(factor=factor, seed=seed, today=day, stdout=self.stdout)
        for label, n in sorted(ctx.writer.counts().items()):
            self.stdout.write(f"  {label:<32} {n:>10,}")
        self.stdout.write(self.style.SUCCESS(f"Scale data (factor {factor}, seed {seed}) written in "
                                             f"{time.perf_counter() - started:.0f} s."))
