"""The language switch in the navigation bar for a screen reader: each button is named by its language in that
language (it was "ID" / "EN") and says which is the page's language in words (aria-pressed); the page's language was
shown only by a filled button against an outlined one."""

from __future__ import annotations

import pytest

from tests.aria import Page

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["id", "en"])
def test_each_language_button_is_named_in_its_language_and_says_whether_it_is_current(client, language):
    page = Page(client.get("/", HTTP_ACCEPT_LANGUAGE=language).content.decode())
    buttons = page.by_id["language-form"].find_all("button", name="language")
    named = [(b["value"], b["lang"], " ".join(b.text.split()), b["aria-pressed"]) for b in buttons]
    assert named == [
        ("id", "id", "ID Bahasa Indonesia", "true" if language == "id" else "false"),
        ("en", "en", "EN English", "true" if language == "en" else "false"),
    ]
    # The full name is for a screen reader; the bar still shows the code (which stays first in the name).
    for button in buttons:
        (hidden,) = button.find_all("span")
        assert hidden["class"] == "visually-hidden" and hidden.get("lang") is None  # the button's lang covers it
