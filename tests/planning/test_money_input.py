"""Finance types Rupiah as they write it; what is not an amount comes back with a clear message and their text."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from planning import forms
from planning.imports import parse_amount
from planning.models import Realisation
from planning.money import parse_rupiah, rupiah_digits


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("1500000", "1500000"),
        ("1.500.000", "1500000"),
        ("Rp 1.500.000", "1500000"),
        ("Rp. 1.500.000", "1500000"),
        ("Rp\u00a01.500.000", "1500000"),
        ("rp1.500.000,50", "1500000.50"),
        ("1,500,000", "1500000"),
        ("1,500,000.5", "1500000.5"),
        ("1.500", "1500"),
        ("1500,75", "1500.75"),
        (" 2.000.000.000 ", "2000000000"),
    ],
)
def test_amounts_as_people_write_them(typed, amount):
    assert parse_rupiah(typed) == Decimal(amount)
    assert parse_amount(typed) == Decimal(amount)  # the imports read text cells the same way


@pytest.mark.parametrize("typed", ["satu juta", "1.50.000", "1.500,000.00", "1,500.000", "Rp", "", "1e6", "--5"])
def test_what_is_not_an_amount_is_not_guessed(typed):
    with pytest.raises(ValueError):
        parse_rupiah(typed)


def test_a_sign_is_read_so_the_caller_can_refuse_it_by_name():
    assert parse_rupiah("-Rp 1.500.000") == Decimal("-1500000")


def _realisation(client, activity, amount: str):
    return client.post(
        reverse("planning:activity_action", args=[activity.pk, "realisation"]),
        {
            "realisation-date": "2026-11-03",
            "realisation-amount": amount,
            "realisation-document_number": "SP2D-7",
            "realisation-description": "Termin pertama",
        },
    )


@pytest.mark.django_db
def test_finance_records_a_payment_typed_with_thousands_separators(client, budgeted_activity, finance):
    client.force_login(finance)
    response = _realisation(client, budgeted_activity, "Rp 150.000.000")
    assert response.status_code == 302
    assert Realisation.objects.get().amount == Decimal("150000000")


@pytest.mark.django_db
def test_an_amount_in_words_is_refused_with_an_example_and_kept(client, budgeted_activity, finance):
    client.force_login(finance)
    response = _realisation(client, budgeted_activity, "seratus lima puluh juta")
    assert response.status_code == 400
    assert response.context["forms"]["realisation"]["amount"].errors == [
        "Masukkan jumlah dalam Rupiah, misalnya 1.500.000."
    ]
    assert 'value="seratus lima puluh juta"' in response.content.decode()
    assert Realisation.objects.count() == 0


@pytest.mark.django_db
def test_an_amount_in_scientific_notation_is_not_an_amount(client, budgeted_activity, finance):
    client.force_login(finance)
    response = _realisation(client, budgeted_activity, "1e6")
    assert response.status_code == 400 and 'value="1e6"' in response.content.decode()
    assert Realisation.objects.count() == 0


@pytest.mark.django_db
def test_cents_are_shown_as_paid_not_rounded_into_a_rupiah(client, budgeted_activity, finance):
    client.force_login(finance)
    assert _realisation(client, budgeted_activity, "Rp. 1.400.000,50").status_code == 302
    html = client.get(reverse("planning:activity", args=[budgeted_activity.pk])).content.decode()
    assert "Rp\u00a01.400.000,50" in html and "Rp\u00a01.400.001" not in html
    assert parse_rupiah(rupiah_digits(Decimal("1400000.50"))) == Decimal("1400000.50")
    assert rupiah_digits(Decimal("1500000.00")) == "1.500.000"


@pytest.mark.django_db
def test_a_review_offers_the_estimated_cost_as_the_city_writes_it_and_a_recommendation_needs_an_amount(
    client, fiscal_year, planner
):
    from planning.models import ProposalReview
    from tests.planning.conftest import bridge_proposal

    proposal = bridge_proposal(fiscal_year, planner, estimated_cost=1_500_000_000)
    client.force_login(planner)
    html = client.get(reverse("planning:proposal", args=[proposal.pk])).content.decode()
    assert 'value="1.500.000.000"' in html
    response = client.post(
        reverse("planning:proposal_review", args=[proposal.pk]), {"decision": "recommend", "amount": "", "note": ""}
    )
    assert response.status_code == 400 and response.context["review_form"]["amount"].errors
    assert not ProposalReview.objects.exists()


@pytest.mark.django_db
def test_an_amount_too_long_is_refused_with_the_real_limit_and_the_summary_reads_as_sentences(
    client, budgeted_activity, finance
):
    client.force_login(finance)
    with translation.override("en"):
        response = client.post(
            reverse("planning:activity_action", args=[budgeted_activity.pk, "realisation"]),
            {"realisation-date": "2026-03-02", "realisation-amount": "12345678901234567"},
            HTTP_ACCEPT_LANGUAGE="en",
        )
    assert response.status_code == 400
    limit = "An amount has at most 16 digits before the cents: up to Rp 9.999.999.999.999.999."
    with translation.override("en"):
        assert response.context["forms"]["realisation"]["amount"].errors == [limit]
    assert "18" not in limit
    # The largest amount the limit names is accepted by the form (the budget then refuses it, by name).
    form = forms.RealisationForm(
        {"date": "2026-03-02", "amount": "9.999.999.999.999.999,99", "document_number": "SP2D-1"}
    )
    assert form.is_valid(), form.errors
    # Above the page, one sentence per field: never "….; …".
    summary = response.context["error"]
    assert ".;" not in summary
    assert summary.startswith(f"Amount (Rp): {limit} Payment document number (SP2D): ")
