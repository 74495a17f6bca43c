"""Scale data (issue #10): the exits of every exited worker with their aftercare follow-ups, a small
employer directory per organisation, and throughflow tracks for the favourable decisions.

Follow-up due dates come from `followup_months` and `rules.add_months` as in `services.exit_record`;
track phase maxima and budgets from `rules.phase_due` / `rules.coaching_budget_hours` as in
`services.track_open`.
"""

import datetime
from decimal import Decimal

from trajects import rules

from .demo import DIRECTORY, EMPLOYERS
from .models import CoachingHours, Employer, Exit, ExitReason, FollowUp, Track, TrackPhase
from .services import followup_months

REASON_WEIGHTS = {ExitReason.EXTERNAL: 10, ExitReason.INTERNAL: 3, ExitReason.OTHER_SOCIAL_ECONOMY: 8,
                  ExitReason.NO_LONGER_NEEDED: 3, ExitReason.REFUSED: 4, ExitReason.DROP_OUT: 15,
                  ExitReason.DISMISSAL: 12, ExitReason.RETIREMENT: 10, ExitReason.ILLNESS: 12,
                  ExitReason.DEATH: 1, ExitReason.END_OF_TERM: 22}


def build(ctx):
    wr, today, rule_set = ctx.writer, ctx.today, ctx.data["rule_set"]
    now = wr.now
    employers = {}
    for org in ctx.data["orgs"]:
        employers[org.id] = [wr.add(Employer, organisation_id=org.id, name=name, enterprise_number=number,
                                    sector=sector, municipality=municipality, contacts="", version=1, created_at=now)
                             for name, number, sector, municipality in DIRECTORY]
    reasons, weights = list(REASON_WEIGHTS), list(REASON_WEIGHTS.values())
    for w in ctx.data["workers"]:
        rng = ctx.rng(f"throughflow:{w.id}")
        if w.exit is not None:
            reason = rng.choices(reasons, weights=weights)[0]
            throughflow = reason in (ExitReason.EXTERNAL, ExitReason.INTERNAL)
            employer = rng.choice(employers[w.org.id]) if reason == ExitReason.EXTERNAL and rng.random() < 0.5 else None
            exit_id = wr.add(Exit, organisation_id=w.org.id, worker_id=w.id, date=w.exit, reason=reason,
                             destination_employer=(w.org.name if reason == ExitReason.INTERNAL else rng.choice(EMPLOYERS))
                             if throughflow else "", employer_id=employer,
                             contract_type=rng.choice(["open_ended", "fixed_term"]) if throughflow else "",
                             weekly_hours=Decimal(rng.choice(["19", "30.4", "38"])) if throughflow else None,
                             support_after="imw" if reason == ExitReason.OTHER_SOCIAL_ECONOMY else "none", note="",
                             trajectory_id=w.trajectories[-1][0] if w.trajectories else None,
                             activity_id=w.activity[0] if w.activity else None,
                             coach_id=w.coaches[0] if w.coaches else None, created_by_id=None, created_at=now)
            for months in followup_months(rule_set, w.exit):
                due = rules.add_months(w.exit, months)
                done = due < today and (due < today - datetime.timedelta(days=30) or rng.random() < 0.5)
                wr.add(FollowUp, organisation_id=w.org.id, exit_id=exit_id, worker_id=w.id, months=months, due=due,
                       done_on=due if done else None, still_employed=(throughflow and rng.random() < 0.8) if done else None,
                       same_employer=(rng.random() < 0.8) if done and throughflow else None,
                       support_needed=(rng.random() < 0.2) if done else None, note="", recorded_by_id=None)
        decision = getattr(w, "throughflow_decision", None)
        if decision is not None and rng.random() < 0.7:
            start = min(today, decision + datetime.timedelta(days=rng.randint(5, 40)))
            phase = TrackPhase.PREPARATION if (today - start).days < 30 else TrackPhase.JOB_MATCHING
            phase_start = start if phase == TrackPhase.PREPARATION else start + datetime.timedelta(days=30)
            track_id = wr.add(Track, organisation_id=w.org.id, worker_id=w.id, decision_date=decision,
                              decision_reference=f"VDAB-DS-{w.id:05d}", start=start, late_start_reason="",
                              coach_name="An Peeters", coach_organisation="Jobcoaching Vlaanderen", coach_contact="",
                              budget_hours=rules.coaching_budget_hours(rule_set, start), phase=phase,
                              phase_start=phase_start, phase_due=rules.phase_due(rule_set, phase, phase_start),
                              closed_on=None, version=1, created_at=now)
            day = start
            while day <= today - datetime.timedelta(days=7):
                wr.add(CoachingHours, organisation_id=w.org.id, track_id=track_id, date=day, hours=Decimal("4.5"),
                       note="", created_by_id=None)
                day += datetime.timedelta(days=7)
