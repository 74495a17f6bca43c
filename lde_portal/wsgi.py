import gc
import os

from django.core.wsgi import get_wsgi_application

from lde_portal.checks import refuse_known_secrets

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lde_portal.settings")
application = get_wsgi_application()
# gunicorn runs no system checks: refuse to serve on a secret published in the repository (lde_portal/checks.py).
refuse_known_secrets()
# What is loaded at start-up lives as long as the process: move it out of the collector's generations, so a
# full collection during a request only walks the request's own objects (the Python docs' advice for
# pre-forked servers; it also keeps those pages shared between gunicorn workers). Issue #10: full
# collections over the start-up heap were 100+ ms pauses in the benchmark's 95th percentiles.
gc.freeze()
