"""Print the IMW premium schedule of one term as JSON (no database).

Example:
    python manage.py imw_premiums --decision-date 2024-05-15 --start 2024-06-01 --term 5y \
        --wage-premium 40,30,20 --monthly-wage 2500
"""

import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from trajects.premiums import schedule


def _date(value, option):
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{option}: ongeldige datum '{value}'; gebruik JJJJ-MM-DD.") from None


class Command(BaseCommand):
    help = "Toon het premieschema (loon- en begeleidingspremie per kwartaal) van een IMW-termijn als JSON."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--decision-date", required=True)
        parser.add_argument("--start", required=True)
        parser.add_argument("--term", required=True)
        parser.add_argument("--wage-premium", required=True)
        parser.add_argument("--guidance-premium")
        parser.add_argument("--monthly-wage")
        parser.add_argument("--reference-cap")
        parser.add_argument("--today")

    def handle(self, *args, **o):
        try:
            ts, te, qs = schedule(
                _date(o["decision_date"], "--decision-date"), _date(o["start"], "--start"), o["term"],
                o["wage_premium"].split(","), o["guidance_premium"], o["monthly_wage"],
                _date(o["today"], "--today") if o["today"] else None, o["reference_cap"])
        except ArithmeticError:
            raise CommandError("Ongeldig bedrag.") from None
        except ValueError as e:
            raise CommandError(str(e)) from None
        out = {"term_start": ts.isoformat(), "term_end": te.isoformat(), "quarters": [
            {"quarter": q.quarter, "period": q.period, "wage_premium_pct": q.wage_premium_pct,
             "wage_premium": None if q.wage_premium is None else float(q.wage_premium),
             "guidance_premium": None if q.guidance_premium is None else float(q.guidance_premium)}
            for q in qs]}
        self.stdout.write(json.dumps(out))
