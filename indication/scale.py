"""Scale data (issue #10): the VDAB advice behind every trajectory, favourable throughflow decisions,
open evaluation requests and, for some workers, context problems with a referral.

Stored dates are computed as the services compute them: `track_start_due` with
`rules.throughflow_track_start_due` (services._refresh_track_start_due) and `pop_update_due` with
`rules.pop_update_due` (services._check_earliest).
"""

import datetime

from trajects import rules as trajectory_rules
from trajects.models import WorkerStatus

from .models import Advice, AdviceType, ContextProblem, Destination, EvaluationRequest, Referral

CONSULTANTS = ["An Verbeke", "Bart De Wilde", "Sofie Claeys", "Hilde Maes", "Youssef Amrani"]
ADVICE_FOR = {"LDE": (AdviceType.LDE_ADVICE, Destination.LDE), "TRANSITION": (AdviceType.LDE_ADVICE, Destination.LDE),
              "IMW_5Y": (AdviceType.IMW_ATTESTATION, Destination.IMW),
              "IMW_2Y": (AdviceType.IMW_ATTESTATION, Destination.IMW), "CMW": (AdviceType.CMW_START_PACKAGE,
                                                                                Destination.CMW)}
PROBLEMS = [("debts", "caw", "CAW"), ("housing", "housing", "Sociaal Wonen"), ("family", "ocmw", "OCMW"),
            ("language", "other", "Huis van het Nederlands")]


def _years(d, n):
    return trajectory_rules.add_years(d, n) - datetime.timedelta(days=1)


def build(ctx):
    wr, today, rule_set = ctx.writer, ctx.today, ctx.data["rule_set"]
    now = wr.now
    for w in ctx.data["workers"]:
        if w.hire is None:
            continue
        rng = ctx.rng(f"indication:{w.id}")
        org_id = w.org.id
        consultant = rng.choice(CONSULTANTS)
        seen = set()
        for _tid, regime, start, opened, closed_on, planned_end in w.trajectories:
            kind, destination = ADVICE_FOR[regime]
            if (kind, start) in seen:
                continue  # the transition regime runs on the LDE advice
            seen.add((kind, start))
            decision = opened - datetime.timedelta(days=rng.randint(20, 45))
            valid_until = max(decision, planned_end or _years(start, 5))
            if closed_on is None and rng.random() < 0.05:
                valid_until = today + datetime.timedelta(days=rng.randint(10, 85))  # expiring soon
            imw = kind == AdviceType.IMW_ATTESTATION
            wr.add(Advice, organisation_id=org_id, worker_id=w.id, type=kind, issuing_body="vdab",
                   consultant_name=consultant, consultant_contact=f"{consultant.split()[0].lower()}@vdab.be",
                   decision_date=decision, valid_until=valid_until, destination=destination,
                   wage_premium_percent=20 + 5 * rng.randint(0, 11) if imw else None,
                   guidance_premium=rng.choice(["basic", "increased"]) if imw else "", favourable=None,
                   track_start_due=None, letter="", letter_name="", letter_content_type="",
                   status="active" if closed_on is None else "expired", note="", version=1, created_by_id=None,
                   created_at=now, updated_at=now)
        active = w.status == WorkerStatus.ACTIVE
        if active and rng.random() < 0.06:
            decision = today - datetime.timedelta(days=rng.randint(10, 120))
            w.throughflow_decision = decision
            wr.add(Advice, organisation_id=org_id, worker_id=w.id, type=AdviceType.THROUGHFLOW_DECISION,
                   issuing_body="vdab", consultant_name=consultant, consultant_contact="", decision_date=decision,
                   valid_until=None, destination=Destination.REGULAR, wage_premium_percent=None, guidance_premium="",
                   favourable=True, track_start_due=trajectory_rules.throughflow_track_start_due(rule_set, decision),
                   letter="", letter_name="", letter_content_type="", status="active", note="", version=1,
                   created_by_id=None, created_at=now, updated_at=now)
        if active and rng.random() < 0.12:
            requested = today - datetime.timedelta(days=rng.randint(3, 40))
            visit = today + datetime.timedelta(days=rng.randint(5, 70))
            wr.add(EvaluationRequest, organisation_id=org_id, worker_id=w.id, reason="regular", requested_on=requested,
                   earliest_allowed=None, exception_reason="", planned_visit=visit,
                   pop_update_due=trajectory_rules.pop_update_due(rule_set, visit), outcome="", decision_date=None,
                   note="", version=1, created_by_id=None, created_at=now)
        if rng.random() < 0.1:
            kind, service, name = rng.choice(PROBLEMS)
            noted = max(w.hire, (w.exit or today) - datetime.timedelta(days=rng.randint(30, 300)))
            resolved = None if active and rng.random() < 0.6 else min(w.exit or today, noted + datetime.timedelta(days=60))
            pid = wr.add(ContextProblem, organisation_id=org_id, worker_id=w.id, kind=kind, description="",
                         noted_on=noted, resolved_on=resolved, version=1, created_by_id=None, created_at=now)
            wr.add(Referral, organisation_id=org_id, worker_id=w.id, problem_id=pid, service=service, service_name=name,
                   referred_on=noted + datetime.timedelta(days=7) if resolved is None or resolved >= noted +
                   datetime.timedelta(days=7) else noted,
                   status="completed" if resolved else "in_progress",
                   follow_up_on=None if resolved else today + datetime.timedelta(days=14), note="", version=1,
                   created_at=now)
