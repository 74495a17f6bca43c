"""The gates of test_gates.py fail when a page is broken: a page in the portal's layout, served with the
portal's Content-Security-Policy, with one contrast failure, one invalid attribute, one console error and one
missing image goes through the same checker functions; the same page without those passes them."""

import pytest
from django.conf import settings
from django.template import engines

from tests.e2e.gates import ConsoleWatch, axe_violations, nu_errors

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PAGE = """{% extends "base.html" %}{% block title %}Gate test{% endblock %}{% block content %}
<h1>Gate test</h1>
<p>A page in the portal's layout.</p>
{% if broken %}
<p><span class="badge bg-warning text-white">Te laat</span></p>
<div hx-get="/elsewhere/">An attribute HTML does not know.</div>
<img src="/static/img/no-such-image.png" alt="Logo">
<script src="/gate-test/broken.js"></script>
{% endif %}
{% endblock %}"""
BROKEN_JS = 'console.error("gate test: something went wrong");'
PATH = "/gate-test/page/"


def _html(broken):
    return engines["django"].from_string(PAGE).render({"broken": broken})


def _csp():
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items() if values)


@pytest.fixture
def served(page):
    """Serve the test page (and its script) at the live server's origin with the portal's CSP; everything
    else, the portal's static files included, comes from the live server itself."""
    def _serve(broken):
        page.route(page.base + PATH, lambda route: route.fulfill(
            status=200, body=_html(broken), content_type="text/html; charset=utf-8",
            headers={"Content-Security-Policy": _csp()}))
        page.route(page.base + "/gate-test/broken.js", lambda route: route.fulfill(
            status=200, body=BROKEN_JS, content_type="text/javascript"))
        watch = ConsoleWatch(page)
        page.goto(page.base + PATH)
        watch.settle()
        return watch

    return _serve


def test_axe_gate_names_a_contrast_failure(page, served):
    served(broken=True)
    findings = axe_violations(page)
    contrast = [f for f in findings if f.startswith("color-contrast (serious)")]
    assert contrast, findings
    assert "Te laat" in contrast[0] and "badge bg-warning text-white" in contrast[0]


def test_console_gate_names_the_error_and_the_failed_request(page, served):
    findings = served(broken=True).take()
    assert any("console error: gate test: something went wrong" in f for f in findings), findings
    assert any("HTTP 404" in f and "no-such-image.png" in f for f in findings), findings


def test_nu_gate_names_the_invalid_attribute(tmp_path):
    (tmp_path / "broken.html").write_text(_html(broken=True))
    (tmp_path / "clean.html").write_text(_html(broken=False))
    errors = nu_errors(tmp_path)
    assert list(errors) == ["broken.html"], errors
    assert any("hx-get" in e and "not allowed" in e and "line " in e for e in errors["broken.html"]), errors


def test_the_same_page_without_the_defects_passes_every_gate(page, served):
    watch = served(broken=False)
    assert axe_violations(page) == []
    assert watch.take() == []
