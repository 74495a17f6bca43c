"""Shared pieces of the form fuzz tests (issue #11: "Hypothesis fuzzes the main forms: never a 500, nothing
saved on invalid input").

Every example is posted through the real view with the test client inside a savepoint that is rolled
back afterwards, so each example starts from the same fixture (an exit that succeeded once does not turn
every later example into "already exited"). The property checked by `post_and_check`:

- the answer is a redirect (accepted) or the form again (refused), never a server error;
- when refused, no row of the domain tables, the alerts or the audit trail changed (a full snapshot of
  the small fixture's rows, so a partial update is caught, not only a new row);
- when refused, what the user typed in the free-text fields is on the page again (escaped).
"""

import datetime

from django.apps import apps
from django.db import connection, transaction
from django.utils.html import escape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

FUZZ = settings(max_examples=60, deadline=None, derandomize=False,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

SNAPSHOT_APPS = ("trajects", "indication", "pop", "inflow", "throughflow", "audit", "alerts", "privacy", "documents")
# Large reference tables that no fuzzed form writes: counted, not copied.
COUNTED_ONLY = {"trajects.RegimeRule", "pop.Competence", "pop.CompetenceLevel"}

SPECIAL_TEXT = [
    "", " ", "\x00", "a\x00b", "<script>alert(1)</script>", "\"'><img src=x>", "=cmd|' /C calc'!A0", "+32 470",
    "Ĳsbrand Ørsted-Çelik", "مرحبا", "👩🏽‍🔧🚲", "e\u0301\u0301\u0301", "\u202eRTL", "line\r\nbreak", "\t",
    "x" * 301, "é" * 5000, "0", "-1", "NaN",
]
# Plain text most of the time, so that the examples also reach the services behind the form.
plain = st.text(st.characters(codec="utf-8", categories=["L", "N", "Zs", "P"]), min_size=1, max_size=40)
text = st.one_of(plain, plain, st.text(max_size=80), st.text(min_size=250, max_size=600),
                 st.sampled_from(SPECIAL_TEXT))

MALFORMED_DATES = ["", "31/02/2025", "29/02/2023", "00/00/0000", "2025-13-01", "1/1/1", "99/99/99999",
                   "01/01/0000", "32/01/2025", "01-01-2025", "yesterday", "\x00", "01/01/2025\x00", "٠١/٠١/٢٠٢٥"]


def _fmt(d: datetime.date, style: int) -> str:
    return d.strftime("%d/%m/%Y") if style == 0 else f"{d.day:02d}/{d.month:02d}/{d.year:04d}" if style == 1 \
        else d.isoformat()


def dates(around: datetime.date | None = None):
    """Dates as typed: near the fixture's dates, anywhere in 0001–9999, or malformed strings."""
    any_day = st.dates(datetime.date(1, 1, 1), datetime.date(9999, 12, 31))
    near = any_day if around is None else st.integers(-4000, 4000).map(
        lambda n: around + datetime.timedelta(days=n))
    return st.one_of(
        st.tuples(near, st.integers(0, 2)).map(lambda t: _fmt(*t)),
        st.tuples(near, st.integers(0, 2)).map(lambda t: _fmt(*t)),
        st.tuples(any_day, st.integers(0, 2)).map(lambda t: _fmt(*t)),
        st.sampled_from(MALFORMED_DATES), st.text(max_size=12),
    )


def numbers(low=-10, high=200):
    return st.one_of(
        st.integers(low, high).map(str), st.integers(low, high).map(str), st.integers().map(str),
        st.decimals(allow_nan=True, allow_infinity=True, places=3).map(str),
        st.sampled_from(["", "1e9", "1e999", "-0", "0,5", "1.5", "inf", "NaN", "9" * 40, "٣", "1_000", " 3 "]),
        st.text(max_size=8),
    )


def choices(valid, *extra):
    """A valid choice value most of the time, otherwise a wrong one."""
    return st.one_of(st.sampled_from(list(valid)), st.sampled_from(list(valid)),
                     st.sampled_from(["", "bogus", "0", "-1", *extra]), text)


# "current" is resolved at post time: the version the record has right then.
versions = st.one_of(st.just("current"), st.just("current"), st.sampled_from(["current", "stale", "future", "missing", "", "abc", "-1", "99999999999999999999999",
                            "1.5", "\x00"]))


def resolve_version(choice, current: int):
    return {"current": current, "stale": max(current - 1, 0), "future": current + 7}.get(choice, choice)


def day(around: datetime.date, spread=2000):
    """A well-formed dd/mm/yyyy date near `around`."""
    return st.integers(-spread, spread).map(lambda n: (around + datetime.timedelta(days=n)).strftime("%d/%m/%Y"))


@st.composite
def form_data(draw, valid: dict, junk: dict | None = None):
    """A post that is well-formed field by field (`valid` strategies), with none, one or a few fields then
    replaced by junk or left out: the valid ones reach the services, the broken ones the form checks."""
    junk = junk or {}
    data = {name: draw(strategy) for name, strategy in valid.items()}
    broken = draw(st.one_of(st.just([]), st.lists(st.sampled_from(list(valid)), min_size=1, max_size=3,
                                                  unique=True)))
    for name in broken:
        if draw(st.integers(0, 3)) == 0:
            data.pop(name)
        else:
            data[name] = draw(junk.get(name, text))
    return data


def _tables():
    tables = []
    for label in SNAPSHOT_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            tables.append((model._meta.db_table, model._meta.label in COUNTED_ONLY))
    return tables


def snapshot():
    """Every row of the tables the forms could write (raw SQL: the ORM per model would dominate the run)."""
    state = {}
    with connection.cursor() as cursor:
        for table, count_only in _tables():
            name = connection.ops.quote_name(table)
            cursor.execute(f"SELECT COUNT(*) FROM {name}" if count_only else f"SELECT * FROM {name} ORDER BY 1")  # noqa: S608 — table names from the app registry
            state[table] = cursor.fetchone()[0] if count_only else cursor.fetchall()
    return state


def _diff(before, after):
    return {k: (len(before[k]) if isinstance(before[k], list) else before[k],
                len(after[k]) if isinstance(after[k], list) else after[k])
            for k in before if before[k] != after[k]}


def post_and_check(client, url, data, *, echo=(), accepted=None):
    """Post `data` and check the property above; returns the response. The database is rolled back
    afterwards whatever happened. `accepted(response)` says whether the post was taken, for views that
    redirect either way (the POP workflow buttons); by default a redirect means accepted."""
    with transaction.atomic():
        before = snapshot()
        response = client.post(url, data)
        assert response.status_code in (200, 302), f"{response.status_code} for {data!r}"
        taken = accepted(response) if accepted else response.status_code == 302
        if not taken:
            after = snapshot()
            assert after == before, f"a refused form changed {_diff(before, after)} for {data!r}"
        if response.status_code == 200:
            html = response.content.decode()
            for name in echo:
                value = data.get(name)
                if isinstance(value, str) and value.strip():
                    assert escape(value) in html, f"the page lost what was typed in {name}: {value!r}"
        transaction.set_rollback(True)
    return response


def fuzz_form(client, url, posts, *, echo=(), current_version=None, accepted=None):
    """Post every example `posts` draws (usually `form_data`) to `url` and check the property above on each.
    For a form that carries a version, `current_version()` reads the one the record has when the example is
    posted: "current", "stale" and "future" are taken relative to it."""

    @FUZZ
    @given(data=posts)
    def run(data):
        if current_version is not None and "version" in data:
            data = {**data, "version": resolve_version(data["version"], current_version())}
        post_and_check(client, url, data, echo=echo, accepted=accepted)

    run()
