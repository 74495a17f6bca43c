import os

from celery import Celery
from celery.signals import beat_init, celeryd_init
from django.core.exceptions import ImproperlyConfigured

from lde_portal.checks import refuse_known_secrets

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lde_portal.settings")

app = Celery("lde_portal")
# Every CELERY_* setting in settings.py configures the app (broker, eager mode, beat schedule).
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@celeryd_init.connect
@beat_init.connect
def _refuse_known_secrets(**kwargs):
    # `celery worker` and `celery beat` run no system checks; the tasks pseudonymise workers and sign links,
    # so they must not start on a key published in the repository either (lde_portal/checks.py).
    try:
        refuse_known_secrets()
    except ImproperlyConfigured as exc:
        # Celery logs an exception from a signal handler and carries on; only leaving the process stops it.
        raise SystemExit(str(exc)) from exc
