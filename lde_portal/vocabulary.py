"""Shared interface words whose portal wording differs from Django's own Dutch catalogues.

Django looks a msgid up in LOCALE_PATHS first, then in the catalogues of INSTALLED_APPS in order, and
django.contrib.* comes before the portal's apps: django.contrib.admin translates "Save" as "Opslaan", and
that would win over an app catalogue's "Bewaren". Marking the words here puts them in the top-level
`locale/` catalogue, which outranks every app, so any app can write {% translate "Save" %} and get the
portal's wording. tests/test_locale.py fails when an app catalogue's translation is shadowed this way.
"""

from django.utils.translation import gettext_noop

SHARED_WORDS = (
    gettext_noop("Save"),
    gettext_noop("History"),
)
