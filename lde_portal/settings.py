"""Settings for the LDE portal.

Every knob comes from the environment (django-environ); the defaults are the embedded demo:
SQLite, tasks executed in-process, e-mail printed to the console. The README lists every variable.
"""

from datetime import timedelta
from pathlib import Path

import bootstrap_wrapper
import environ
from celery.schedules import crontab

# Importing the module also registers its system checks, which refuse these demo keys when DEBUG is false.
from lde_portal.checks import DEMO_PSEUDONYM_KEY, DEMO_SECRET_KEY

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A .env file beside manage.py is read when present (docker-compose and servers use real env vars).
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default=DEMO_SECRET_KEY)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
PORTAL_BASE_URL = env.str("PORTAL_BASE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    # One-time recovery codes: the user's own way back in when the phone is lost (accounts.twofactor).
    "django_otp.plugins.otp_static",
    "csp",
    "lde_portal.accounts",
    "lde_portal.audit",
    "lde_portal.files",
    "trajects",
    "indication",
    "lde_portal.documents",
    "pop",
    "inflow",
    "throughflow",
    "lde_portal.privacy",
    "lde_portal.reports",
    "lde_portal.imports",
    # Keep the alerts platform last: its demo seed runs the scan after every domain app seeded its data.
    "lde_portal.alerts",
]

MIDDLEWARE = [
    "lde_portal.middleware.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After the static files (which it leaves alone) and around everything else, so that responses made
    # without a view (CSRF failures, two-factor redirects, lock-outs) get no-store too.
    "lde_portal.middleware.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "lde_portal.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # django-otp marks request.user as verified when the session holds a confirmed device; the next
    # middleware keeps managers and org admins on the two-factor pages until it does.
    "django_otp.middleware.OTPMiddleware",
    "lde_portal.accounts.twofactor.TwoFactorRequiredMiddleware",
    "lde_portal.middleware.IdleTimeoutMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # One confidential-read audit entry per request and worker, written once the response shows the page.
    "lde_portal.audit.confidential.ConfidentialReadMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # django-axes must come last so it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "lde_portal.urls"
WSGI_APPLICATION = "lde_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "lde_portal.accounts.context_processors.portal",
                "lde_portal.alerts.context_processors.alerts",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The demo database is written by the web process and in-process tasks at once.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# PostgreSQL in production: DATABASE_URL is the application's own role, which `manage.py db_roles` (run as the
# owner after migrate) creates with these values; it holds only SELECT and INSERT on the audit trail (README).
PORTAL_DB_APP_ROLE = env.str("PORTAL_DB_APP_ROLE", default="")
PORTAL_DB_APP_PASSWORD = env.str("PORTAL_DB_APP_PASSWORD", default="")

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Argon2id for every new or changed password (OWASP's first choice: memory-hard). The others only check the
# hashes stored before it (Django's default PBKDF2 and its own fallbacks); such a hash is replaced by an
# Argon2 one at the user's next successful login.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT", default=3 * 24 * 3600)

# Sessions expire after a period of inactivity: the portal holds health data and runs on shared PCs.
# The expiry is pushed forward by lde_portal.middleware.IdleTimeoutMiddleware at most once a minute
# instead of writing the session on every request.
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=4 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Reverse proxies in front of the portal that append the client's address to X-Forwarded-For (the TLS
# proxy the README recommends is one). 0 = the portal is reached directly and the header is ignored;
# lde_portal.client_ip explains why only a known number of proxies can be trusted.
PORTAL_TRUSTED_PROXY_COUNT = env.int("PORTAL_TRUSTED_PROXY_COUNT", default=0)

# Login throttling (django-axes): lock a username+IP pair after repeated failures.
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Django's login form posts the e-mail address in a field called "username".
AXES_USERNAME_FORM_FIELD = "username"
# E-mail addresses log in case-insensitively, so the lock-out must count Els@… and ELS@… as one account;
# the login form normalises the same way (accounts.forms.normalise_login).
AXES_USERNAME_CALLABLE = "lde_portal.accounts.forms.axes_username"
AXES_CLIENT_IP_CALLABLE = "lde_portal.client_ip.client_ip"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

# Security headers. Secure cookies default to on outside DEBUG; TLS redirect and HSTS are for the
# server behind HTTPS and are switched on by environment (docker-compose sets them).
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SESSION_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
if env.bool("SECURE_PROXY_SSL_HEADER", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp 4): everything from the portal's own origin, no inline script or
# style anywhere (templates use static/js and static/css only), no framing, forms post only to us.
# Violations can be reported to an endpoint of the operator's choice (CSP_REPORT_URI).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}
if env.str("CSP_REPORT_URI", default=""):
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["report-uri"] = [env.str("CSP_REPORT_URI")]

# Two-factor authentication (django-otp, TOTP). Managers and org admins see aggregates of every worker
# and manage accounts, so a stolen password alone must not open the portal for them (issue #11).
PORTAL_2FA_ROLES = env.list("PORTAL_2FA_ROLES", default=["manager", "org_admin"])
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="LDE-portaal")
# django-otp slows down repeated wrong codes per device (exponential back-off in seconds).
OTP_TOTP_THROTTLE_FACTOR = 1

LANGUAGE_CODE = "nl"
# Not marked for translation: {% get_available_languages %} translates the names itself (Django's
# catalogue shows "English" as "Engels" in Dutch), and "Nederlands" stays as written so a Dutch reader
# recognises it in the English interface.
LANGUAGES = [("nl", "Nederlands"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["lde_portal.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
# Bootstrap comes from the bootstrap-wrapper wheel and htmx from django-htmx: no CDN, works offline.
STATICFILES_DIRS = [BASE_DIR / "static", ("bootstrap", str(bootstrap_wrapper.get_bootstrap_dir()))]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env.str("STATICFILES_BACKEND", default="django.contrib.staticfiles.storage.StaticFilesStorage")
    },
}
WHITENOISE_USE_FINDERS = env.bool("WHITENOISE_USE_FINDERS", default=True)
# Uploaded files are private (decision letters, certificates): they are never served from a public
# URL, only through permission-checked views, so there is no MEDIA_URL route.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "/media-not-public/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="LDE-portaal <noreply@lde-portaal.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery: with no broker configured (the embedded demo) tasks run in-process and the portal still works.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
if not CELERY_BROKER_URL:
    CELERY_BROKER_URL = "memory://"
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default="") or None
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A page that starts a job publishes while the user waits: with Redis down or unreachable it must give up
# within seconds (lde_portal/queue.py marks the job failed and offers a retry), not hang on the connection.
PORTAL_BROKER_TIMEOUT_SECONDS = env.float("PORTAL_BROKER_TIMEOUT_SECONDS", default=2.0)
CELERY_BROKER_CONNECTION_TIMEOUT = PORTAL_BROKER_TIMEOUT_SECONDS
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": PORTAL_BROKER_TIMEOUT_SECONDS}
# A task still running after the soft limit is stuck (a lock wait, a hung connection): SoftTimeLimitExceeded is
# raised inside it, so an export or attestation batch is marked failed and offers a retry; the hard limit
# kills the worker process if the task ignores that. The hard limit stays below PORTAL_JOB_STALE_MINUTES so a
# killed job is shown as failed by then. Only prefork workers enforce them (the in-process demo does not).
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=15 * 60)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=20 * 60)
CELERY_TASK_PUBLISH_RETRY = True
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
# A job still waiting after this long was lost (its message or the worker that held it): shown as failed
# with a retry button instead of "waiting" forever.
PORTAL_JOB_STALE_MINUTES = env.int("PORTAL_JOB_STALE_MINUTES", default=30)
CELERY_BEAT_SCHEDULE = {
    # 05:15 Brussels: roll the stored trajectory deadlines (next_due) forward to today for the scan below.
    "trajects-refresh-deadlines": {"task": "trajects.refresh_deadlines", "schedule": crontab(hour=5, minute=15)},
    # 05:30 Brussels: refresh the stored POP due dates (first POP, yearly review) for the scan below.
    "pop-refresh-due": {"task": "pop.refresh_due", "schedule": crontab(hour=5, minute=30)},
    # 06:00 Brussels, before the working day: the deadline scan, one task per organisation. A missed
    # run is harmless: the next one derives everything from the database state (lde_portal/alerts).
    "alerts-scan-all": {"task": "alerts.scan_all", "schedule": crontab(hour=6, minute=0)},
    # 07:00, after the scan: the daily e-mail digests, and the weekly ones on Mondays.
    "alerts-send-digests": {"task": "alerts.send_digests", "schedule": crontab(hour=7, minute=0)},
    # Retention (docs/domain.md §7, issue #11): every night, after the working day and before backups,
    # remove or pseudonymise what each organisation's RetentionPolicy no longer allows to keep. The
    # org admin reads the same list beforehand on the retention dry-run page.
    "retention-nightly": {
        "task": "lde_portal.privacy.tasks.apply_retention",
        "schedule": crontab(hour=3, minute=30),
    },
    # 03:45: delete generated files (exports, attestation batch ZIPs, subject-access files) whose days have
    # passed (they hold personal data outside the dossier; the download already answers 404 after expiry,
    # this frees the disk).
    "files-cleanup": {"task": "files.cleanup", "schedule": crontab(hour=3, minute=45)},
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}, "weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}

# Portal behaviour.
PORTAL_WORKERS_PER_PAGE = env.int("PORTAL_WORKERS_PER_PAGE", default=25)
# Weekly hours of a full-time job, used to suggest the FTE fraction of a contract (sector PC 329/337: 38 h).
PORTAL_FULL_TIME_HOURS = env.float("PORTAL_FULL_TIME_HOURS", default=38.0)
# Largest decision letter (PDF/PNG/JPEG) accepted on an advice, in bytes.
PORTAL_LETTER_MAX_BYTES = env.int("PORTAL_LETTER_MAX_BYTES", default=5 * 1024 * 1024)
# Look-ahead of the organisation list "Indicering" (advices expiring, evaluations due), in days.
PORTAL_INDICATION_HORIZON_DAYS = env.int("PORTAL_INDICATION_HORIZON_DAYS", default=90)
# An alert overdue by more than this many days no longer escalates to the coordinators (and loses an
# earlier escalation): a deadline missed that long ago is history to clean up, not this week's emergency.
PORTAL_ALERT_ESCALATION_HORIZON_DAYS = env.int("PORTAL_ALERT_ESCALATION_HORIZON_DAYS", default=90)

# Documents (docs/documents.md): the font embedded in every PDF, and lookups per IP per minute on the
# public check page (it must not be usable to enumerate numbers).
DOCUMENTS_FONT_DIR = env.str("DOCUMENTS_FONT_DIR", default="/usr/share/fonts/truetype/dejavu")
DOCUMENTS_VERIFY_RATE_PER_MINUTE = env.int("DOCUMENTS_VERIFY_RATE_PER_MINUTE", default=30)
# Privacy (issue #11). Retention defaults for new organisations; each org admin can change their own.
PORTAL_RETENTION_CONFIDENTIAL_MONTHS = env.int("PORTAL_RETENTION_CONFIDENTIAL_MONTHS", default=12)
PORTAL_RETENTION_PSEUDONYMISE_MONTHS = env.int("PORTAL_RETENTION_PSEUDONYMISE_MONTHS", default=24)
PORTAL_RETENTION_SUBSIDY_YEARS = env.int("PORTAL_RETENTION_SUBSIDY_YEARS", default=10)
# Key of the HMAC that replaces the INSZ after pseudonymisation (trajects/privacy.py). Its own secret, never
# SECRET_KEY: the INSZ space is small enough to brute-force a stub whose key is known. Keep it stable
# (changing it only affects stubs made afterwards); the demo default is refused when DEBUG is false.
PORTAL_PSEUDONYM_KEY = env.str("PORTAL_PSEUDONYM_KEY", default="") or DEMO_PSEUDONYM_KEY
# Subject-access ZIPs are kept this many days, then deleted by the nightly retention job.
PORTAL_SUBJECT_ACCESS_KEEP_DAYS = env.int("PORTAL_SUBJECT_ACCESS_KEEP_DAYS", default=14)
# Reports (docs/reports.md): exports with more rows than this run as a background job and land in a
# generated file that is kept this many days.
PORTAL_EXPORT_ASYNC_ROWS = env.int("PORTAL_EXPORT_ASYNC_ROWS", default=5000)
PORTAL_GENERATED_FILE_DAYS = env.int("PORTAL_GENERATED_FILE_DAYS", default=7)
# Dashboard panels are kept in the cache (CACHE_URL) this many seconds, keyed on the organisation's latest
# audit entry: every edit through the portal is audited, so an edit shows at once; changes made by the nightly
# jobs (which are not edits) show within this time. 0 turns the cache off.
PORTAL_DASHBOARD_CACHE_SECONDS = env.int("PORTAL_DASHBOARD_CACHE_SECONDS", default=300)
# Largest accepted upload, in bytes: evidence and documents (lde_portal.uploads, kind "document"), and the
# spreadsheets to import (kind "spreadsheet"; a workbook of some thousand rows is well under 10 MB).
PORTAL_UPLOAD_MAX_BYTES = env.int("PORTAL_UPLOAD_MAX_BYTES", default=5 * 1024 * 1024)
# Imports (docs/imports.md). A workbook is a zip: its size on disk, what it unpacks to and its compression
# ratio are checked before a byte of it is parsed, so a zip bomb is refused without being unpacked.
PORTAL_IMPORT_MAX_BYTES = env.int("PORTAL_IMPORT_MAX_BYTES", default=20 * 1024 * 1024)
PORTAL_IMPORT_MAX_UNPACKED_BYTES = env.int("PORTAL_IMPORT_MAX_UNPACKED_BYTES", default=400 * 1024 * 1024)
PORTAL_IMPORT_MAX_ZIP_RATIO = env.int("PORTAL_IMPORT_MAX_ZIP_RATIO", default=200)
PORTAL_IMPORT_MAX_ROWS = env.int("PORTAL_IMPORT_MAX_ROWS", default=200_000)
# Files with more data rows than this run in the background with a progress bar; smaller ones at once.
PORTAL_IMPORT_ASYNC_ROWS = env.int("PORTAL_IMPORT_ASYNC_ROWS", default=2000)
# An uploaded file is kept this many days (a generated file of kind "imports.file") for the confirmation after
# its dry run and for the error file; then the nightly files.cleanup deletes it. The run's result stays.
PORTAL_IMPORT_FILE_DAYS = env.int("PORTAL_IMPORT_FILE_DAYS", default=30)
