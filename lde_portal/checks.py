"""The portal refuses to run in production on a secret anyone can read (issue #24, finding 4).

The demo keys below are in the repository, so they are public: signing cookies, password-reset links and
attestation hashes with `SECRET_KEY`, or pseudonyms with `PORTAL_PSEUDONYM_KEY`, protects nothing when either is
one of them. An INSZ has only about 10^8 plausible values, so a pseudonym made with a known key gives the INSZ
back by brute force in about a second.

How the refusal happens:

- `check_known_secrets` is an ordinary (not deploy-only) system check with Error level, so every management
  command that runs the checks (`runserver`, `migrate`, `check`, `check --deploy`, ...) stops when DEBUG is
  false. It is not raised from settings.py because the test suite runs with DEBUG false on the demo keys.
- `check --deploy` also reports the same errors when DEBUG is true (`check_known_secrets_deploy`), so the
  deploy check never looks clean on a configuration that would be refused once DEBUG is switched off.
- gunicorn and the Celery worker and beat do not run system checks: `lde_portal/wsgi.py` and
  `lde_portal/celery.py` call `refuse_known_secrets()`, which raises ImproperlyConfigured on the same errors.
"""

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.core.exceptions import ImproperlyConfigured

DEMO_SECRET_KEY = "insecure-demo-key-change-me-in-production-0123456789abcdef"  # noqa: S105 (public on purpose)
DEMO_PSEUDONYM_KEY = "insecure-demo-pseudonym-key-never-use-in-production"
# The placeholder in .env.example is just as public as the demo key.
PUBLISHED_SECRET_KEYS = {DEMO_SECRET_KEY, "change-me-to-a-long-random-string-of-at-least-50-characters"}
PSEUDONYM_KEY_MIN_LENGTH = 32

_GENERATE = "python -c 'import secrets; print(secrets.token_urlsafe(48))'"


def known_secret_errors() -> list[Error]:
    errors = []
    if settings.SECRET_KEY in PUBLISHED_SECRET_KEYS:
        errors.append(Error(
            "SECRET_KEY is a demo value published in the repository.",
            hint=f"Set SECRET_KEY to a long random value ({_GENERATE}); for a local demo set DEBUG=true.",
            id="lde_portal.E001",
        ))
    key = settings.PORTAL_PSEUDONYM_KEY
    if not key or key == DEMO_PSEUDONYM_KEY or key in PUBLISHED_SECRET_KEYS:
        errors.append(Error(
            "PORTAL_PSEUDONYM_KEY is not set: pseudonymised INSZ numbers would be keyed with the demo key "
            "published in the repository.",
            hint=f"Set PORTAL_PSEUDONYM_KEY to its own random value of at least {PSEUDONYM_KEY_MIN_LENGTH} "
                 f"characters ({_GENERATE}), keep it secret and stable.",
            id="lde_portal.E002",
        ))
    elif len(key) < PSEUDONYM_KEY_MIN_LENGTH:
        errors.append(Error(
            f"PORTAL_PSEUDONYM_KEY is shorter than {PSEUDONYM_KEY_MIN_LENGTH} characters.",
            hint=f"Use a random value ({_GENERATE}).",
            id="lde_portal.E003",
        ))
    elif key == settings.SECRET_KEY:
        errors.append(Error(
            "PORTAL_PSEUDONYM_KEY is the same as SECRET_KEY.",
            hint="Use a separate random value: SECRET_KEY may be rotated, and whoever learns one must not "
                 "learn the other.",
            id="lde_portal.E004",
        ))
    return errors


@register(Tags.security)
def check_known_secrets(app_configs=None, **kwargs):
    return [] if settings.DEBUG else known_secret_errors()


@register(Tags.security, deploy=True)
def check_known_secrets_deploy(app_configs=None, **kwargs):
    # With DEBUG false the ordinary check above already reports them; report them once.
    return known_secret_errors() if settings.DEBUG else []


def refuse_known_secrets() -> None:
    """For the processes that start without running the system checks (gunicorn, Celery worker and beat)."""
    if settings.DEBUG:
        return
    errors = known_secret_errors()
    if errors:
        raise ImproperlyConfigured("Refusing to start: " + " ".join(f"{e.msg} {e.hint}" for e in errors))
