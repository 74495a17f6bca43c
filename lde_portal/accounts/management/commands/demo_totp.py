from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from lde_portal.accounts.demo import DEMO_TOTP_KEY


class Command(BaseCommand):
    help = "Print the current two-factor code of the demo accounts (managers, org admins, superuser)."
    # The README runs it beside `make demo` without that target's DEBUG=true, where the checks would refuse the
    # demo secrets; it only ever prints the code of the key that is public already.
    requires_system_checks = []

    def handle(self, *args, **options):
        # Only the shared demo key is ever printed: real devices have their own keys and stay secret.
        if not TOTPDevice.objects.filter(key=DEMO_TOTP_KEY, confirmed=True).exists():
            raise CommandError("No demo accounts here: run `manage.py seed_demo` first.")
        device = TOTPDevice(key=DEMO_TOTP_KEY)
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        self.stdout.write(f"{totp.token():06d}")
