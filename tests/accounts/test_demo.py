import pytest
from django.core.management import call_command
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from lde_portal.accounts.models import Membership
from trajects.models import Worker

pytestmark = pytest.mark.django_db


def test_seed_demo_is_idempotent_and_demo_managers_have_the_documented_second_factor(capsys):
    call_command("seed_demo")
    counts = (Worker.objects.count(), Membership.objects.count(), TOTPDevice.objects.count())
    call_command("seed_demo")
    assert (Worker.objects.count(), Membership.objects.count(), TOTPDevice.objects.count()) == counts
    assert 55 <= counts[0] <= 70
    assert set(Worker.objects.values_list("status", flat=True)) == {"recruitment", "active", "suspended", "exited"}
    capsys.readouterr()
    call_command("demo_totp")
    code = capsys.readouterr().out.strip()
    device = TOTPDevice.objects.get(user__email="els@stroom.demo")
    assert code == f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"


def test_demo_workers_have_unique_names_and_notes_that_fit_their_item():
    from collections import Counter

    from indication.demo import ITEM_NOTES
    from indication.models import NeedsScore

    call_command("seed_demo", stdout=None)
    names = Counter(Worker.objects.values_list("first_name", "last_name"))
    assert [name for name, n in names.items() if n > 1] == []
    notes = list(NeedsScore.objects.exclude(note="").select_related("item"))
    assert len(notes) >= 20
    # A note is one a coach would write about that very item, never a sentence about something else.
    misplaced = [(s.item.label, s.note) for s in notes if s.note not in ITEM_NOTES.get(s.item.code or s.item.label, ())]
    assert misplaced == []
