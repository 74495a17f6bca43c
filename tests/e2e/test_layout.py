"""Every dossier tab is reachable, and visibly so, on a phone and on a 1366 px laptop; no page is wider than
the screen; the members page shows its role selects and buttons whole."""

import io

import pytest
from django.core.files.base import ContentFile
from PIL import Image

from tests.e2e.conftest import log_in
from tests.e2e.conftest import stroom as journeys_organisation
from tests.factories import MembershipFactory, coached_worker

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 900}

TAB_GEOMETRY = """() => {
  const row = document.querySelector('.dossier-tabs');
  const frame = row.closest('[data-scroll-hint]');
  const after = getComputedStyle(frame, '::after'), before = getComputedStyle(frame, '::before');
  return {scrollWidth: row.scrollWidth, clientWidth: row.clientWidth, overflowX: getComputedStyle(row).overflowX,
          hintAfter: after.content !== 'none' && after.opacity === '1',
          hintBefore: before.content !== 'none' && before.opacity === '1',
          rowLeft: row.getBoundingClientRect().left, rowRight: row.getBoundingClientRect().right,
          tabs: [...row.querySelectorAll('a')].map(a => {
            const r = a.getBoundingClientRect();
            return {label: a.textContent.trim(), left: r.left, right: r.right, current: a.hasAttribute('aria-current')};
          })};
}"""


def _page_width(page):
    return page.evaluate("document.documentElement.scrollWidth")


@pytest.fixture
def stroom():
    org, activity = journeys_organisation()
    coach = MembershipFactory(organisation=org, role="coach", user__first_name="Sara",
                              user__last_name="Verstraete", user__email="sara@stroom.example")
    MembershipFactory(organisation=org, role="coordinator", user__first_name="Koen", user__last_name="De Smet",
                      user__email="koen@stroom.example")
    MembershipFactory(organisation=org, role="org_admin", user__first_name="Griet", user__last_name="Maes",
                      user__email="admin@stroom.example")
    MembershipFactory(organisation=org, role="manager", user__first_name="Els", user__last_name="Van Damme",
                      user__email="els@stroom.example")
    return org, coached_worker(activity, coach, first_name="Jamal", last_name="Benali")


def _context_page(browser, live_server, viewport):
    context = browser.new_context(viewport=viewport, locale="nl-BE")
    page = context.new_page()
    page.set_default_timeout(15000)
    page.base = live_server.url
    return context, page


def test_on_a_phone_every_dossier_tab_is_reachable_and_no_page_is_wider_than_the_screen(
        browser, live_server, stroom, screenshot):
    org, worker = stroom
    context, page = _context_page(browser, live_server, PHONE)
    log_in(page, "koen@stroom.example")
    dossier = f"{page.base}/{org.slug}/workers/{worker.pk}/"
    for url in (f"{page.base}/{org.slug}/", f"{page.base}/{org.slug}/workers/", dossier):
        page.goto(url)
        assert _page_width(page) <= PHONE["width"], url

    page.goto(dossier)
    tabs = page.evaluate(TAB_GEOMETRY)
    assert len(tabs["tabs"]) >= 9
    # More tabs than the screen holds: the row scrolls, and the side where they wait says so.
    assert tabs["scrollWidth"] > tabs["clientWidth"] and tabs["overflowX"] == "auto"
    assert tabs["hintAfter"] and not tabs["hintBefore"]
    screenshot(page, "layout-phone-dossier-first-tab")
    labels = [t["label"] for t in tabs["tabs"]]
    for label in labels:
        link = page.locator(".dossier-tabs a", has_text=label)
        link.scroll_into_view_if_needed()
        box = link.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], label

    # Opening a tab far to the right shows that tab without scrolling, with a hint that more lie before it.
    link = page.locator(".dossier-tabs a", has_text=labels[-1])
    page.goto(page.base + link.get_attribute("href"))
    tabs = page.evaluate(TAB_GEOMETRY)
    current = next(t for t in tabs["tabs"] if t["current"])
    assert current["label"] == labels[-1]
    assert current["left"] >= tabs["rowLeft"] and current["right"] <= tabs["rowRight"] <= PHONE["width"]
    assert tabs["hintBefore"]
    assert _page_width(page) <= PHONE["width"]
    screenshot(page, "layout-phone-dossier-last-tab")
    context.close()


def test_on_a_laptop_the_coordinator_sees_every_dossier_tab_including_the_audit_trail(
        browser, live_server, stroom, screenshot):
    org, worker = stroom
    context, page = _context_page(browser, live_server, LAPTOP)
    log_in(page, "koen@stroom.example")
    page.goto(f"{page.base}/{org.slug}/workers/{worker.pk}/")
    tabs = page.evaluate(TAB_GEOMETRY)
    assert "Audittrail" in [t["label"] for t in tabs["tabs"]]
    assert tabs["scrollWidth"] <= tabs["clientWidth"]
    for tab in tabs["tabs"]:
        assert tabs["rowLeft"] <= tab["left"] and tab["right"] <= tabs["rowRight"], tab["label"]
    assert _page_width(page) <= LAPTOP["width"]
    screenshot(page, "layout-laptop-dossier")
    context.close()


ROLE_CONTROLS = """() => [...document.querySelectorAll('form.member-role, td form')].flatMap(form => {
  const out = [];
  const select = form.querySelector('select');
  if (select) {
    const style = getComputedStyle(select);
    const ctx = document.createElement('canvas').getContext('2d');
    ctx.font = style.font;
    const widest = Math.max(...[...select.options].map(o => ctx.measureText(o.text).width));
    const room = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    out.push({what: 'select ' + select.id, fits: widest <= room + 0.5});
  }
  form.querySelectorAll('button').forEach(b => out.push({what: b.textContent.trim(), fits: b.scrollWidth <= b.clientWidth}));
  return out;
})"""


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["1366", "390"])
def test_the_members_page_shows_role_selects_and_buttons_whole(browser, live_server, stroom, screenshot,
                                                                viewport):
    org, _worker = stroom
    context, page = _context_page(browser, live_server, viewport)
    log_in(page, "admin@stroom.example")
    page.goto(f"{page.base}/{org.slug}/members/")
    controls = page.evaluate(ROLE_CONTROLS)
    assert len(controls) >= 8
    assert [c["what"] for c in controls if not c["fits"]] == []
    wrapper = page.evaluate("(() => { const w = document.querySelector('.table-responsive');"
                            " return [w.scrollWidth, w.clientWidth]; })()")
    assert wrapper[0] <= wrapper[1]
    assert _page_width(page) <= viewport["width"]
    screenshot(page, f"layout-members-{viewport['width']}")
    context.close()


def test_the_current_logo_link_on_the_organisation_page_answers(browser, live_server, stroom):
    org, _worker = stroom
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "teal").save(buffer, "PNG")
    org.logo.save("logo.png", ContentFile(buffer.getvalue()))
    context, page = _context_page(browser, live_server, LAPTOP)
    log_in(page, "admin@stroom.example")
    page.goto(f"{page.base}/{org.slug}/organisation/")
    link = page.locator("#div_id_logo a").first
    response = page.request.get(page.base + link.get_attribute("href"))
    assert response.status == 200 and response.headers["content-type"] == "image/png"
    context.close()
