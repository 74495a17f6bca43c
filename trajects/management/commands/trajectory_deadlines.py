"""Print the planned end and deadlines of one trajectory as JSON (no database).

Example:
    python manage.py trajectory_deadlines --regime LDE --start 2016-02-29 \
        --suspension 2020-03-20:2020-06-30:pandemic --extension 12:SIXTH_YEAR \
        --today 2022-01-10
"""

import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from lde_portal import dates
from trajects.rules import (
    EXTENSION_REASONS,
    REGIMES,
    SUSPENSION_REASONS,
    Extension,
    Facts,
    RuleSet,
    RuleTableError,
    RuleViolation,
    Suspension,
    compute,
    days_left,
)


def _parse_date(value: str, option: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            _("%(option)s: invalid date '%(value)s'; use YYYY-MM-DD (e.g. 2024-03-31).")
            % {"option": option, "value": value}
        ) from None


def _parse_suspension(value: str, today: date) -> Suspension:
    parts = value.split(":")
    if len(parts) not in (2, 3):
        raise CommandError(
            _("--suspension: '%(value)s' is not of the form FROM:TO[:REASON] (reason: %(reasons)s).")
            % {"value": value, "reasons": ", ".join(SUSPENSION_REASONS)}
        )
    start = dates.check_option(_parse_date(parts[0], "--suspension"), option="--suspension",
                               date_range=dates.GUIDANCE, today=today)
    end = dates.check_option(_parse_date(parts[1], "--suspension"), option="--suspension",
                             date_range=dates.GUIDANCE, today=today)
    if end < start:
        raise CommandError(
            _("--suspension: the start date %(start)s is after the end date %(end)s.")
            % {"start": parts[0], "end": parts[1]}
        )
    return Suspension(start, end, parts[2] if len(parts) == 3 else "other")


def _parse_extension(value: str, today: date) -> Extension:
    parts = value.split(":")
    if len(parts) not in (2, 3):
        raise CommandError(
            _("--extension: '%(value)s' is not of the form MONTHS:REASON[:DECISION_DATE] (reason: %(reasons)s).")
            % {"value": value, "reasons": ", ".join(EXTENSION_REASONS)}
        )
    try:
        months = int(parts[0])
    except ValueError:
        raise CommandError(_("--extension: '%(value)s' is not a number of months.") % {"value": parts[0]}) from None
    decision = _parse_date(parts[2], "--extension") if len(parts) == 3 else None
    if decision is not None:
        dates.check_option(decision, option="--extension", date_range=dates.LDE_ERA, today=today)
    return Extension(months, parts[1], decision)


class Command(BaseCommand):
    help = (
        "Toon de geplande einddatum en de wettelijke deadlines van een traject als JSON, "
        "berekend met de standaard regeltabel (raakt de database niet)."
    )
    # The default rule table is used and nothing is read or written: run even
    # without a migrated database.
    requires_system_checks = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument("--regime", required=True, help=f"een van: {', '.join(REGIMES)}")
        parser.add_argument("--start", required=True, help="start van de tewerkstelling (JJJJ-MM-DD)")
        parser.add_argument("--decision-date", help="beslissingsdatum DWSE (verplicht voor IMW)")
        parser.add_argument("--birth-date", help="geboortedatum (nodig voor een verlenging 55+)")
        parser.add_argument(
            "--suspension",
            action="append",
            default=[],
            metavar="VAN:TOT[:REDEN]",
            help=f"schorsing, beide data inbegrepen; reden: {', '.join(SUSPENSION_REASONS)} (standaard other)",
        )
        parser.add_argument(
            "--extension",
            action="append",
            default=[],
            metavar="MAANDEN:REDEN[:DATUM]",
            help=f"verlenging in volgorde van beslissing; reden: {', '.join(EXTENSION_REASONS)}",
        )
        parser.add_argument("--today", help="referentiedag voor days_left (standaard vandaag)")

    def handle(self, *args, **options):
        regime = options["regime"]
        if regime not in REGIMES:
            raise CommandError(
                _("--regime: unknown regime '%(regime)s'; choose from %(regimes)s.")
                % {"regime": regime, "regimes": ", ".join(REGIMES)}
            )
        # The engine is clock-free; the command is the edge where "today" is read. The date ranges the
        # portal's forms apply are judged on that day, so the command accepts exactly what they accept.
        today = (dates.check_option(_parse_date(options["today"], "--today"), option="--today",
                                    date_range=dates.PERIOD)
                 if options["today"] else date.today())
        start = dates.check_option(_parse_date(options["start"], "--start"), option="--start",
                                   date_range=dates.WORKING_LIFE, today=today)
        decision = options["decision_date"]
        birth = options["birth_date"]
        try:
            facts = Facts(
                regime=regime,
                start=start,
                decision_date=dates.check_option(_parse_date(decision, "--decision-date"), option="--decision-date",
                                                 date_range=dates.LDE_ERA, today=today) if decision else None,
                birth_date=dates.check_option(_parse_date(birth, "--birth-date"), option="--birth-date",
                                              date_range=dates.BIRTH, today=today) if birth else None,
                suspensions=tuple(_parse_suspension(v, today) for v in options["suspension"]),
                extensions=tuple(_parse_extension(v, today) for v in options["extension"]),
            )
            result = compute(RuleSet.default(), facts, today)
        except (RuleViolation, RuleTableError) as exc:
            raise CommandError(str(exc)) from exc

        payload = {
            "regime": regime,
            "start": start.isoformat(),
            "term_start": result.term_start.isoformat(),
            "planned_end": result.planned_end.isoformat(),
            "days_left": days_left(result, today),
            "deadlines": [
                {"kind": d.kind, "due": d.due.isoformat(), "rule": d.rule, "source": d.source} for d in result.deadlines
            ],
        }
        self.stdout.write(json.dumps(payload, indent=2, ensure_ascii=False))
