"""A low-vision citizen's walk in forced colours (Windows' high-contrast themes), checked in Debian's chromium with
forced colours emulated: Bootstrap draws the keyboard focus of fields, boxes, selects and buttons with a box-shadow,
which forced colours remove, so nothing showed where the focus was; the progress steps told done, current and not yet
apart by their background only, which forced colours paint alike, and the ID/EN switch showed the page's language
by its colour only."""

from __future__ import annotations

import pytest
from django.utils import timezone

from complaints.models import Status
from tests.e2e.conftest import TIMEOUT_MS, session_cookie
from tests.factories import make_ticket

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# The focused element's outline and box-shadow, as the browser computes them.
RING = """(element) => { const s = getComputedStyle(element);
    return {focused: element.matches(':focus-visible') || element.control?.matches(':focus-visible') || false,
            style: s.outlineStyle, width: s.outlineWidth, colour: s.outlineColor, shadow: s.boxShadow}; }"""


def _page(browser, live_server, user, *, forced: bool = True):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    context.set_default_timeout(TIMEOUT_MS)
    context.add_cookies([session_cookie(user, live_server)])
    page = context.new_page()
    page.emulate_media(forced_colors="active" if forced else "none")
    return page


def _ring_on(page, selector: str, shown: str | None = None) -> dict:
    """Focus ``selector`` from the keyboard's side (a Tab from the element before it) and read the ring on it, or on
    ``shown`` (a visually hidden radio's label)."""
    page.locator(selector).first.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    assert page.evaluate(f"document.activeElement === document.querySelector({selector!r})"), selector
    return page.locator(shown or selector).first.evaluate(RING)


def test_the_keyboard_focus_shows_in_forced_colours_on_fields_boxes_selects_and_buttons(live_server, browser, citizen):
    ticket = make_ticket(reporter=citizen, status=Status.RESOLVED, resolved_at=timezone.now())
    page = _page(browser, live_server, citizen)
    page.goto(f"{live_server.url}/laporan/{ticket.reference}/")
    # A box as the filing form and the queue have them, drawn by the same stylesheets.
    page.evaluate(
        """() => document.querySelector('main').insertAdjacentHTML('beforeend',
            '<div class="form-check"><input class="form-check-input" type="checkbox" id="walk-box">'
            + '<label class="form-check-label" for="walk-box">Box</label></div>')"""
    )
    rings = {
        "text field": _ring_on(page, "#id_comment"),
        "star (radio)": _ring_on(page, "#score-4", shown="label[for=score-4]"),
        "button": _ring_on(page, "#send-rating"),
        "outline button": _ring_on(page, "#reopen-form button[type=submit]"),
        "box": _ring_on(page, "#walk-box"),
    }
    mine = _page(browser, live_server, citizen)
    mine.goto(f"{live_server.url}/laporan-saya/")
    rings["select"] = _ring_on(mine, "#id_status")
    rings["list row"] = _ring_on(mine, "a.my-report")
    for name, ring in rings.items():
        assert ring["shadow"] == "none", name  # forced colours drop Bootstrap's ring: what the walk found
        assert (ring["style"], ring["width"]) == ("solid", "2px"), (name, ring)
        assert ring["colour"] not in ("rgba(0, 0, 0, 0)", "transparent"), (name, ring)

    # The blue bar keeps its own single ring (3 px), not a second one.
    bar = _ring_on(page, "#language-form button[aria-pressed=false]")
    assert (bar["style"], bar["width"]) == ("solid", "3px")

    # Without forced colours Bootstrap's own ring is left as it was.
    plain = _page(browser, live_server, citizen, forced=False)
    plain.goto(f"{live_server.url}/laporan/{ticket.reference}/")
    ring = _ring_on(plain, "#id_comment")
    assert ring["style"] == "none" and ring["shadow"] != "none"


# Each step's border, weight and the mark before its name.
STEP = """(element) => { const s = getComputedStyle(element), mark = getComputedStyle(element, '::before').content;
    return {border: s.borderTopStyle + ' ' + s.borderTopWidth, bold: Number(s.fontWeight) >= 700,
            tick: mark.includes('✓')}; }"""


@pytest.mark.parametrize("forced", [True, False])
def test_done_current_and_not_yet_steps_differ_by_more_than_colour(live_server, browser, citizen, forced):
    ticket = make_ticket(reporter=citizen, status=Status.ACKNOWLEDGED, acknowledged_at=timezone.now())
    page = _page(browser, live_server, citizen, forced=forced)
    page.goto(f"{live_server.url}/laporan/{ticket.reference}/")
    steps = page.locator("#progress-steps .step").evaluate_all(f"steps => steps.map({STEP})")
    done, current, not_yet = steps[0], steps[2], steps[3]
    assert done == {"border": "solid 1px", "bold": False, "tick": True}
    assert current == {"border": "solid 3px", "bold": True, "tick": False}
    assert not_yet == {"border": "dashed 1px", "bold": False, "tick": False}
    # The tick is drawn, not read: the step is still named "Submitted: done" (its hidden text), not "✓ Submitted".
    read = page.locator("#progress-steps").aria_snapshot()
    assert "✓" not in read and 'listitem: "Submitted : done"' in read

    closed = make_ticket(reporter=citizen, status=Status.CLOSED, closed_at=timezone.now())
    page.goto(f"{live_server.url}/laporan/{closed.reference}/")
    last = page.locator("#progress-steps .step").last.evaluate(STEP)
    assert last["tick"] and last["bold"]  # the end of the road: done, and where it is


@pytest.mark.parametrize("forced", [True, False])
def test_the_pages_language_is_bold_and_underlined_not_only_white(live_server, browser, citizen, forced):
    page = _page(browser, live_server, citizen, forced=forced)
    page.goto(f"{live_server.url}/laporan-saya/")
    style = """(element) => { const s = getComputedStyle(element);
        return {bold: Number(s.fontWeight) >= 700, underline: s.textDecorationLine, background: s.backgroundColor}; }"""
    chosen = page.locator("#language-form button[aria-pressed=true]").evaluate(style)
    other = page.locator("#language-form button[aria-pressed=false]").evaluate(style)
    assert chosen["bold"] and chosen["underline"] == "underline"
    assert not other["bold"] and other["underline"] == "none"
    assert chosen["background"] != other["background"]  # in forced colours too: the system's "selected" colours
