"""The throughflow track with its hours and pauses, and the decision it starts from."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import F, Prefetch

from indication.models import Advice, AdviceStatus, AdviceType

from ..models import CoachingHours, Track


@dataclass
class TrackSummary:
    track: object
    entries: list
    used: object
    remaining: object
    over: bool
    pauses: list = field(default_factory=list)

    @property
    def beyond(self):
        return -self.remaining


def track_for(worker):
    """The worker's open (or last) track with its hours (two queries), or None."""
    track = (Track.objects.filter(worker=worker).order_by(F("closed_on").asc(nulls_first=True), "-start")
             .prefetch_related(Prefetch("hours", queryset=CoachingHours.objects.select_related("created_by")),
                               "pauses")
             .first())
    if track is None:
        return None
    entries = list(track.hours.all())
    used = sum((e.hours for e in entries), Decimal("0"))
    return TrackSummary(track, entries, used, track.budget_hours - used, used > track.budget_hours,
                        list(track.pauses.all()))


def pauses_for(track):
    return list(track.pauses.all()) if track is not None else []


def favourable_decision_for(worker):
    """The worker's active favourable throughflow decision recorded on the Indicering tab, or None."""
    return (Advice.objects.filter(worker=worker, type=AdviceType.THROUGHFLOW_DECISION, favourable=True,
                                  status=AdviceStatus.ACTIVE)
            .order_by("-decision_date", "-id").first())
