"""Coach — no signal in the cellar kitchen (journeys.md, issue #21), on a phone in Chromium's offline mode: the
team screen opens from the device, the week typed without a network waits in the queue, is sent once when the
network is back, a week the coordinator changed meanwhile is shown side by side, and the queue belongs to the
user who typed it."""

import datetime
import re

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone
from playwright.sync_api import expect

from indication.models import ContextProblem, ProblemKind
from pop import rules, services
from pop.models import QueuedFeedback, WeeklyFeedback
from pop.selectors import team_week
from tests.e2e.conftest import ARGS, CHROMIUM, log_in
from tests.e2e.gates import axe_violations, nu_errors
from tests.factories import (
    ActivityFactory,
    CoachAssignmentFactory,
    EmploymentFactory,
    MembershipFactory,
    OrganisationFactory,
    WorkerFactory,
)
from tests.pop.helpers import ensure_catalogue
from trajects.models import CoachAssignment

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "locale": "nl-BE"}
SECRET = "Astma, puffer in de kluis"


def _kitchen(names=(("Yusuf", "Amrani"), ("Nora", "De Smet"), ("Tom", "Claes"))):
    ensure_catalogue()
    org = OrganisationFactory(slug="stroom", name="Buurtwerk Stroom vzw")
    kitchen = ActivityFactory(organisation=org, name="Sociaal restaurant De Kelder")
    coach = MembershipFactory(organisation=org, role="coach", user__first_name="Mehdi",
                              user__email="mehdi@example.org")
    coordinator = MembershipFactory(organisation=org, role="coordinator", user__email="koen@example.org")
    workers = []
    for first, last in names:
        worker = WorkerFactory(organisation=org, first_name=first, last_name=last)
        EmploymentFactory(worker=worker, activity=kitchen, contract_start=datetime.date(2024, 1, 1))
        CoachAssignmentFactory(worker=worker, coach=coach)
        workers.append(worker)
    return org, coach, coordinator, workers


def _phone(browser, live_server):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.set_default_timeout(15000)
    page.base = live_server.url
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    # A refusal or a conflict is an answer the queue shows, and an unreachable portal (the cellar) is kept for
    # later: neither is an error of the page.
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" and "net::" not in m.text
            and not re.search(r"status of (409|422|500)", m.text) else None)
    return context, page, errors


class Cellar:
    """No network. Chromium's offline mode reaches a page a moment after it opens (a new tab, a page coming
    back from the browser's error page or its back-forward cache), and the page then sends its queue, as a
    phone does on a bar of signal. So that nothing is stored before the test says the coach is upstairs, the
    portal answers the queue with a server error meanwhile, which the phone treats as no network."""

    def __init__(self, context, monkeypatch):
        self.context, self.monkeypatch = context, monkeypatch

    def enter(self):
        def unreachable(**kwargs):
            raise ConnectionError("the cellar has no network")

        self.monkeypatch.setattr(services, "feedback_submit_queued", unreachable)
        self.context.set_offline(True)

    def leave(self):
        self.monkeypatch.undo()
        self.context.set_offline(False)


def _open_controlled(page, url):
    """Open `url` and wait until the service worker controls the page and has kept what it was asked to."""
    page.goto(url)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    # Polled in the page by a promise: Playwright's wait_for_function evaluates a string, which the CSP refuses.
    assert page.evaluate("""async () => {
      for (let i = 0; i < 150; i++) {
        const kept = await caches.open("lde-pages").then(c => c.keys());
        if (navigator.serviceWorker.controller && kept.length >= 3) { return true; }
        await new Promise(resolve => setTimeout(resolve, 100));
      }
      return false;
    }""")


def _fill(page, workers, text):
    for worker in workers:
        p = f"#w{worker.pk}-"
        page.select_option(p + "presence", "present")
        page.select_option(p + "punctuality", "on_time")
        page.locator(f"#row-{worker.pk} fieldset.fb-rating").first.locator("label", has_text="3").click()
        page.fill(p + "observation", f"{text} {worker.first_name}")


def _coordinator_changes(coordinator, coach, worker):
    monday = rules.monday_of(timezone.localdate())
    rows, _draft = team_week(coach, monday, worker_id=worker.pk)
    services.feedback_log_week(author=coordinator, week_start=monday, rows=rows, entries={worker.pk: {
        "presence": "sick", "punctuality": "", "ratings": {}, "observation": "Ziek gemeld bij Koen",
        "notable": False, "next_step": ""}})


def _gates(page, findings, directory, name):
    """The page gates on a state the gate walk never reaches (offline, queued, a conflict): axe-core now, the
    Nu HTML checker on the page as the script left it, at the end of the test."""
    findings.extend(f"{name}: {finding}" for finding in axe_violations(page))
    (directory / f"{name}.html").write_text("<!doctype html>\n" + page.evaluate(
        "document.documentElement.outerHTML"), encoding="utf-8")


def test_the_week_typed_offline_is_sent_once_and_a_changed_week_is_chosen_side_by_side(browser, live_server,
                                                                                        screenshot, tmp_path,
                                                                                        monkeypatch):
    # Sam's row stays untouched, offline as online: nothing of it is queued or saved.
    org, coach, coordinator, workers = _kitchen(names=(("Yusuf", "Amrani"), ("Nora", "De Smet"), ("Tom", "Claes"),
                                                       ("Sam", "Peeters")))
    workers, idle = workers[:3], workers[3]
    ContextProblem.objects.create(organisation=org, worker=workers[0], kind=ProblemKind.HEALTH, description=SECRET,
                                  noted_on=datetime.date(2026, 1, 5))
    context, page, errors = _phone(browser, live_server)
    cellar = Cellar(context, monkeypatch)
    log_in(page, "mehdi@example.org")
    # Monday at the door: Yusuf's week was saved once already (version 1).
    page.goto(page.base + "/stroom/feedback/")
    page.select_option(f"#w{workers[0].pk}-presence", "present")
    with page.expect_navigation():
        page.click("button[name=save]")
    page.wait_for_load_state()
    assert "Feedback bewaard voor 1 werknemers" in page.content()
    page.goto(page.base + f"/stroom/workers/{workers[0].pk}/confidential/")
    assert SECRET in page.content()
    _open_controlled(page, page.base + "/stroom/feedback/")

    # In the cellar: no network. The screen opens from the phone, and says so.
    cellar.enter()
    page.reload()
    assert page.get_by_role("heading", name="Feedback deze week").is_visible()
    assert page.locator("#offline-banner").is_visible()
    assert "U bent offline" in page.locator("#offline-banner").inner_text()
    _fill(page, workers, "Kelder")
    screenshot(page, "offline-phone-filled")
    page.click("button[name=save]")
    count = page.locator("#offline-count")
    count.wait_for()
    assert count.inner_text() == "3 werknemers wachten om verzonden te worden"
    screenshot(page, "offline-phone-queued")
    findings = []
    _gates(page, findings, tmp_path, "queued")

    # The screen is opened again, still offline: the queue is still on the phone.
    page.goto(live_server.url + "/stroom/")
    page.goto(live_server.url + "/stroom/feedback/")
    assert page.locator("#offline-count").inner_text() == "3 werknemers wachten om verzonden te worden"
    assert not WeeklyFeedback.objects.filter(observation__startswith="Kelder").exists()
    # Yusuf's card opens from the phone too: his competences in focus, with what each level means.
    page.locator(f"#row-{workers[0].pk} .fb-card-link").click()
    expect(page.get_by_role("heading", name="Yusuf Amrani")).to_be_visible()
    assert page.locator(".card-levels li").count() >= 4
    screenshot(page, "offline-phone-card")
    _gates(page, findings, tmp_path, "card")
    page.go_back()

    # Nothing of the confidential tab was kept on the phone, though it was opened online.
    kept = page.evaluate("caches.open('lde-pages').then(c => c.keys()).then(k => k.map(r => r.url))")
    assert not [url for url in kept if "/confidential/" in url or url.endswith(f"/workers/{workers[0].pk}/")]
    with pytest.raises(Exception, match="ERR_FAILED|ERR_INTERNET_DISCONNECTED"):
        page.goto(page.base + f"/stroom/workers/{workers[0].pk}/confidential/")

    # Meanwhile the coordinator corrected Yusuf's week from the office.
    _coordinator_changes(coordinator, coach, workers[0])
    cellar.leave()  # upstairs: the next page the phone opens sends the queue
    page.goto(live_server.url + "/stroom/feedback/")
    expect(page.locator("#offline-sent")).to_have_text("Verzonden en bewaard: 2.")
    # The screen loads again to show what is stored now.
    expect(page.locator(".fb-summary")).to_contain_text("3 van de 4 werknemers hebben feedback")
    expect(page.locator("#offline-attention li")).to_have_count(1)
    conflict = page.locator("#offline-attention li")
    assert conflict.count() == 1
    text = conflict.inner_text()
    assert "Yusuf Amrani" in text and "Ziek gemeld bij Koen" in text and "Kelder Yusuf" in text
    assert page.locator("#offline-count").is_hidden()
    screenshot(page, "offline-phone-conflict")
    _gates(page, findings, tmp_path, "conflict")
    assert WeeklyFeedback.objects.get(worker=workers[0]).observation == "Ziek gemeld bij Koen"
    assert not WeeklyFeedback.objects.filter(worker=idle).exists()

    # Mehdi keeps his own version, having seen Koen's.
    conflict.get_by_role("button", name="Mijn versie houden").click()
    expect(page.locator("#offline-attention li")).to_have_count(0)
    expect(page.locator("#offline-sent")).to_have_text("Verzonden en bewaard: 1.")
    page.reload()
    page.wait_for_timeout(500)
    feedback = {f.worker_id: f for f in WeeklyFeedback.objects.all()}
    assert len(feedback) == 3 and QueuedFeedback.objects.count() == 3
    assert {f.observation for f in feedback.values()} == {f"Kelder {w.first_name}" for w in workers}
    assert feedback[workers[0].pk].version == 3
    assert errors == []
    assert findings == [] and nu_errors(tmp_path) == {}
    context.close()


def _queue(page):
    return page.evaluate("idbKeyval.values(idbKeyval.createStore('lde-offline-queue', 'entries'))")


def test_the_queue_belongs_to_its_user_and_logging_out_wipes_the_phone(browser, live_server, screenshot,
                                                                      monkeypatch):
    org, coach, coordinator, workers = _kitchen(names=(("Yusuf", "Amrani"),))
    MembershipFactory(organisation=org, role="coach", user__email="sara@example.org")
    context, page, errors = _phone(browser, live_server)
    cellar = Cellar(context, monkeypatch)
    log_in(page, "mehdi@example.org")
    _open_controlled(page, page.base + "/stroom/feedback/")
    cellar.enter()
    page.reload()
    _fill(page, workers, "Kelder")
    page.click("button[name=save]")
    page.locator("#offline-count").wait_for()

    # The session ends while the phone is offline: the entry waits for Mehdi to log in again.
    Session.objects.all().delete()
    cellar.leave()
    login_note = page.locator("#offline-login")
    login_note.wait_for()
    assert "meld u opnieuw aan" in login_note.inner_text()
    assert not WeeklyFeedback.objects.exists()

    # Sara picks up the same phone: she sees nothing of Mehdi's.
    log_in(page, "sara@example.org")
    assert page.locator("#offline-status").is_hidden()
    assert page.locator("#offline-queue").is_hidden() and page.locator("#offline-attention li").count() == 0
    context.clear_cookies()

    log_in(page, "mehdi@example.org")
    expect(page.locator("#offline-sent")).to_have_text("Verzonden en bewaard: 1.")
    assert WeeklyFeedback.objects.get(worker=workers[0]).observation == "Kelder Yusuf"
    assert _queue(page) == []

    # Another week typed offline, for a worker handed to another coach meanwhile: refused, kept until discarded.
    _open_controlled(page, page.base + "/stroom/feedback/")
    cellar.enter()
    page.reload()
    page.fill(f"#w{workers[0].pk}-observation", "Tweede keer")
    page.click("button[name=save]")
    page.locator("#offline-count").wait_for()
    CoachAssignment.objects.filter(coach=coach).update(end=timezone.localdate() - datetime.timedelta(days=1))
    cellar.leave()
    refused = page.locator("#offline-attention li")
    refused.wait_for()
    assert "niet meer aan u toegewezen" in refused.inner_text()
    screenshot(page, "offline-phone-refused")

    # Logging out asks first; saying no keeps everything.
    logout = page.locator("form[data-offline-logout] button")
    assert logout.inner_text() == "Afmelden"
    page.once("dialog", lambda dialog: dialog.dismiss())
    logout.evaluate("button => button.click()")  # in the collapsed menu of the phone
    page.wait_for_timeout(500)
    assert len(_queue(page)) == 1 and "/accounts/login/" not in page.url
    messages = []
    page.once("dialog", lambda dialog: (messages.append(dialog.message), dialog.accept()))
    logout.evaluate("button => button.click()")
    page.wait_for_url("**/accounts/login/**")
    assert "1 invullingen op dit toestel zijn nog niet verzonden" in messages[0]
    assert _queue(page) == []
    kept = page.evaluate("caches.open('lde-pages').then(c => c.keys()).then(k => k.map(r => r.url))")
    assert kept == []
    assert WeeklyFeedback.objects.get(worker=workers[0]).observation == "Kelder Yusuf"
    assert errors == []
    context.close()


def test_the_queue_outlives_closing_the_browser(browser, live_server, tmp_path, monkeypatch):
    """The phone's browser is closed in the cellar and opened again upstairs: the kept screen and the queue are in
    the browser's profile on the device, the session cookie is not, so the week is sent after logging in again."""
    org, coach, coordinator, workers = _kitchen()
    profile = tmp_path / "profile"

    def reopen():
        context = browser.browser_type.launch_persistent_context(
            profile, executable_path=CHROMIUM, args=ARGS, **PHONE)
        page = context.pages[0] if context.pages else context.new_page()
        page.set_default_timeout(15000)
        page.base = live_server.url
        return context, page

    context, page = reopen()
    log_in(page, "mehdi@example.org")
    _open_controlled(page, page.base + "/stroom/feedback/")
    context.close()

    context, page = reopen()
    cellar = Cellar(context, monkeypatch)
    cellar.enter()
    page.goto(page.base + "/stroom/feedback/")
    assert page.locator("#offline-banner").is_visible()
    _fill(page, workers, "Kelder")
    page.click("button[name=save]")
    page.locator("#offline-count").wait_for()
    assert page.locator("#offline-count").inner_text() == "3 werknemers wachten om verzonden te worden"
    context.close()

    monkeypatch.undo()  # upstairs, in a browser opened afresh: online from its first page
    context, page = reopen()
    log_in(page, "mehdi@example.org")
    expect(page.locator("#offline-sent")).to_have_text("Verzonden en bewaard: 3.")
    assert WeeklyFeedback.objects.filter(observation__startswith="Kelder").count() == 3
    assert QueuedFeedback.objects.count() == 3
    context.close()
