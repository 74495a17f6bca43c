import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lde_portal.settings")

app = Celery("lde_portal")
# Every CELERY_* setting in settings.py configures the app (broker, eager mode, beat schedule).
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
