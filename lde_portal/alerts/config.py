"""The alert settings of one organisation as providers and the scan see them (defaults in code)."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from .models import AlertSettings, DigestFrequency
from .registry import DAYS, PROVIDERS


@dataclass(frozen=True)
class AlertConfig:
    """Passed to every provider as `settings`. Lead times per kind come from the organisation's
    AlertSettings, else from the default the provider registered."""

    lead_times_by_kind: dict = field(default_factory=dict)
    feedback_grace_days: int = 10
    escalation_delay_days: int = 14
    default_digest: str = DigestFrequency.WEEKLY

    def lead_times(self, kind: str) -> tuple[int, ...]:
        stored = self.lead_times_by_kind.get(kind)
        if stored:
            return tuple(sorted({int(n) for n in stored}, reverse=True))
        spec = PROVIDERS.get(kind)
        return spec.lead_times if spec else (0,)

    def lead_unit(self, kind: str) -> str:
        spec = PROVIDERS.get(kind)
        return spec.lead_unit if spec else DAYS

    def _minus(self, kind, due: date, amount: int) -> date:
        if self.lead_unit(kind) == DAYS:
            return due - timedelta(days=amount)
        return due - relativedelta(months=amount)

    def shift(self, kind: str, day: date, amount: int) -> date:
        """`day` plus `amount` in the kind's lead unit."""
        return self._minus(kind, day, -amount)

    def notify_from(self, kind: str, due: date) -> date:
        """When an alert of this kind first shows: the due date minus the largest lead time."""
        return self._minus(kind, due, max(self.lead_times(kind)))

    def horizon(self, kind: str, today: date) -> date:
        """The latest due date that is already visible today: providers read `due <= horizon`."""
        if self.lead_unit(kind) == DAYS:
            return today + timedelta(days=max(self.lead_times(kind)))
        return today + relativedelta(months=max(self.lead_times(kind)))

    def stage_dates(self, kind: str, due: date) -> list[date]:
        """The dates at which the alert enters a new stage and the e-mail digest mentions it again:
        each lead time (12, 6 and 3 months before) and the due date itself."""
        return sorted({self._minus(kind, due, n) for n in self.lead_times(kind)} | {due})

    def stage(self, alert, today: date) -> int:
        reached = sum(1 for d in self.stage_dates(alert.kind, alert.due) if d <= today)
        return reached + (1 if alert.escalated_at else 0)


def config_for(organisation) -> AlertConfig:
    stored = AlertSettings.objects.filter(organisation=organisation).first()
    return config_from(stored)


def config_from(stored: AlertSettings | None) -> AlertConfig:
    if stored is None:
        return AlertConfig()
    return AlertConfig(
        lead_times_by_kind=stored.lead_times or {},
        feedback_grace_days=stored.feedback_grace_days,
        escalation_delay_days=stored.escalation_delay_days,
        default_digest=stored.default_digest,
    )
