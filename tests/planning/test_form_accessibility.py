"""The planning pages for a screen reader (WCAG 2.1 AA): a refused field says so and is described by its message and
help text under the ids Django's aria-describedby names (they named ids that no element carried), the refused form
takes the focus, and the activity's stage stepper says in words which stages are passed and which are to come (it
told it by colour alone)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.aria import Page
from tests.planning.conftest import bridge_proposal

pytestmark = pytest.mark.django_db


def _refused(response) -> Page:
    assert response.status_code == 400
    page = Page(response.content.decode())
    assert page.unresolved_references() == []
    return page


def _message_of(page: Page, field) -> str:
    assert field.get("aria-invalid") == "true", field
    (message,) = [e for e in page.described_by(field) if e["id"] == f"{field['id']}_error"]
    assert message.get("role") == "alert"
    return message.text


def _takes_the_focus(page: Page, form_id: str) -> None:
    form = page.by_id[form_id]
    assert "data-refused" in form
    assert any(script.get("src", "").endswith("js/refused-form.js") for script in form.find_all("script"))


def test_a_refused_realisation_is_described_by_its_message_and_takes_the_focus(client, budgeted_activity, finance):
    client.force_login(finance)
    response = client.post(
        reverse("planning:activity_action", args=[budgeted_activity.pk, "realisation"]),
        {"realisation-date": "2026-11-03", "realisation-amount": "150000000", "realisation-document_number": ""},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    page = _refused(response)
    assert _message_of(page, page.by_id["id_realisation-document_number"]) == "This field is required."
    for fine in ("id_realisation-date", "id_realisation-amount", "id_realisation-description"):
        assert "aria-invalid" not in page.by_id[fine]
    _takes_the_focus(page, "form-realisation")
    # The other forms of the page were not refused.
    assert all("data-refused" not in form for form in page.find_all("form") if form.get("id") != "form-realisation")


def test_a_refused_field_with_help_text_is_described_by_both(client, fiscal_year, planner):
    proposal = bridge_proposal(fiscal_year, planner)
    client.force_login(planner)
    response = client.post(
        reverse("planning:proposal_link_tickets", args=[proposal.pk]),
        {"link-references": ""},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    page = _refused(response)
    field = page.by_id["id_link-references"]
    assert field["aria-describedby"].split() == ["id_link-references_helptext", "id_link-references_error"]
    assert "Separated by commas" in page.by_id["id_link-references_helptext"].text
    assert _message_of(page, field) == "This field is required."
    _takes_the_focus(page, "form-link")


def test_the_pages_with_forms_name_only_ids_that_are_there(client, budgeted_activity, finance, fiscal_year, planner):
    """Before anything is refused, a field's help text is tied to it too."""
    client.force_login(finance)
    page = Page(client.get(reverse("planning:activity", args=[budgeted_activity.pk])).content.decode())
    assert page.unresolved_references() == []
    client.force_login(planner)
    proposal = bridge_proposal(fiscal_year, planner)
    page = Page(client.get(reverse("planning:proposal", args=[proposal.pk])).content.decode())
    assert page.unresolved_references() == []
    assert "id_link-references_helptext" in page.by_id["id_link-references"]["aria-describedby"].split()


def test_the_stage_stepper_says_in_words_what_is_done_and_what_is_to_come(client, budgeted_activity, finance):
    client.force_login(finance)
    html = client.get(reverse("planning:activity", args=[budgeted_activity.pk]), HTTP_ACCEPT_LANGUAGE="en")
    page = Page(html.content.decode())
    stepper = page.by_id["stage"]
    assert stepper.tag == "ol" and stepper.get("aria-label") == "Stage"
    steps = stepper.find_all("li")
    (current,) = [step for step in steps if step.get("aria-current") == "step"]
    position = steps.index(current)
    assert position > 0 and position < len(steps) - 1  # budgeted: stages behind it and ahead of it
    for step in steps[:position]:
        assert step.text.endswith(": done")
    for step in steps[position + 1 :]:
        assert step.text.endswith(": not yet")
    assert not current.text.endswith((": done", ": not yet"))


def test_the_years_calendar_says_in_words_what_is_done_and_what_is_to_come(client, fiscal_year, planner):
    client.force_login(planner)
    html = client.get(reverse("planning:board") + "?tahun=2026", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    steps = Page(html).by_id["calendar"].find_all("li")
    assert steps
    for step in steps:
        classes = step["class"].split()
        said = [text for text in (": done", ": not yet") if text in step.text]
        if "done" in classes:
            assert said == [": done"]
        elif "current" in classes:
            assert said == [] and step.get("aria-current") == "step"
        else:
            assert said == [": not yet"]


def test_a_refused_value_in_an_indicators_row_is_marked_and_described_by_the_reason_above(
    client, budgeted_activity, planner
):
    """The small forms in the activity's rows have no room for their message: the refused input names the page's
    message above (``action-error``), and only the input that was refused says so."""
    from planning import actions

    indicator = actions.add_indicator(
        actor=planner,
        activity=budgeted_activity,
        level="output",
        description="Panjang saluran",
        unit="m",
        baseline=0,
        target=1200,
        direction="up",
    )
    client.force_login(planner)
    response = client.post(
        reverse("planning:activity_action", args=[budgeted_activity.pk, "indicator_value"]),
        {
            "indicator_value-indicator": indicator.pk,
            "indicator_value-period": "2026-06-30",
            "indicator_value-value": "x",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    page = _refused(response)
    (value,) = page.find_all("input", name="indicator_value-value")
    (period,) = page.find_all("input", name="indicator_value-period")
    assert value.get("aria-invalid") == "true" and "autofocus" in value
    assert [e["id"] for e in page.described_by(value)] == ["action-error"]
    assert page.by_id["action-error"].get("role") == "alert" and "Value" in page.by_id["action-error"].text
    assert "aria-invalid" not in period and "autofocus" not in period
