"""The server-side timeline: lanes and positions (percent of the drawn period)."""

import datetime

import pytest

from trajects import services, timeline
from trajects.selectors import trajectory_dossier

pytestmark = pytest.mark.django_db
D = datetime.date


def test_timeline_lanes_positions_and_today(personas):
    trajectory = services.trajectory_start(worker=personas.worker, actor=None, regime="LDE", start=D(2021, 3, 1))
    services.trajectory_suspend(trajectory=trajectory, actor=None, reason="illness", start=D(2022, 1, 10),
                                end=D(2022, 2, 15))
    services.milestone_add(trajectory=trajectory, actor=None, date=D(2022, 5, 2), label="Heftruckattest")
    services.sine_status_add(worker=personas.worker, actor=None, start=D(2021, 3, 1))
    d = trajectory_dossier(personas.coordinator, personas.worker.pk)
    tl = timeline.build(d.trajectories, D(2024, 1, 1), d.sine_statuses)
    # Drawn from 01/01/2021 to 01/01/2027 (the year after the planned end 06/04/2026).
    assert (tl.start, tl.end) == (D(2021, 1, 1), D(2027, 1, 1))
    assert [lane.key for lane in tl.lanes] == ["regime", "sine", "phases", "suspensions", "milestones", "deadlines"]
    total = (tl.end - tl.start).days
    assert tl.today_x == pytest.approx((D(2024, 1, 1) - tl.start).days * 100 / total, abs=0.001)
    suspension = tl.lanes[3].bars[0]
    assert suspension.x == pytest.approx((D(2022, 1, 10) - tl.start).days * 100 / total, abs=0.001)
    assert suspension.width == pytest.approx(37 * 100 / total, abs=0.002)
    assert "37 d" in suspension.title
    deadlines = tl.lanes[-1].markers
    assert [m.label for m in deadlines] == ["Eerste POP bij VDAB registreren", "Einde traject"]
    assert "tl-deadline-end" in deadlines[1].css and "tl-past" in deadlines[0].css
    assert all(0 <= item.x <= 100 for lane in tl.lanes for item in lane.bars + lane.markers)
    assert timeline.build([], D(2024, 1, 1)) is None


def test_today_label_stays_inside_the_drawing():
    assert timeline.Timeline(D(2020, 1, 1), D(2021, 1, 1), 95.0, [], []).today_anchor == "end"
    assert timeline.Timeline(D(2020, 1, 1), D(2021, 1, 1), 3.0, [], []).today_anchor == "start"
    assert timeline.Timeline(D(2020, 1, 1), D(2021, 1, 1), 50.0, [], []).today_anchor == "middle"
