"""A planning write refuses a body field it does not take by name (400), as the ticket writes do, instead of
dropping it: a payment sent with ``amount_idr`` was saved as a payment of Rp 0 (201), the amount thrown away."""
# ruff: noqa: F811

import pytest

from planning.models import Evaluation, Indicator, ProgressReport, Proposal, Realisation
from tests.planning.conftest import budgeted_activity, fiscal_year, planned_activity  # noqa: F401

pytestmark = pytest.mark.django_db


def errors(response) -> dict:
    assert response.status_code == 400, response.content
    return {e["field"]: e["message"] for e in response.json()["errors"]}


def test_a_payment_sent_with_a_made_up_amount_field_is_refused_naming_it(as_user, finance, budgeted_activity):
    payment = {"activity": budgeted_activity.pk, "date": "2026-03-31", "document_number": "SP2D-0042"}
    api = as_user(finance)
    refused = api.post("/api/v1/planning/realisations/", payment | {"amount_idr": "50000000"}, format="json")
    assert errors(refused) == {
        "amount_idr": "Kolom tidak dikenal: permintaan ini hanya menerima activity, date, amount, document_number, "
        "description."
    }
    english = api.post(
        "/api/v1/planning/realisations/",
        payment | {"amount": "50000000", "amount_idr": "50000000"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert errors(english) == {
        "amount_idr": "Unknown field: this request takes only activity, date, amount, document_number, description."
    }
    assert not Realisation.objects.exists()

    saved = api.post("/api/v1/planning/realisations/", payment | {"amount": "50000000"}, format="json")
    assert saved.status_code == 201, saved.content
    assert Realisation.objects.get().amount == 50_000_000


@pytest.mark.parametrize(
    ("endpoint", "body", "model"),
    [
        (
            "proposals",
            {
                "source": "musrenbang_kelurahan",
                "title": "Normalisasi drainase",
                "problem": "Genangan.",
                "area": "63.71.05.1003",
                "department": "pupr",
                "status": "accepted",  # the review's to set, not the proposer's
            },
            Proposal,
        ),
        ("progress-reports", {"month": "2026-03-01", "physical_pct": "35", "verified": True}, ProgressReport),
        (
            "indicators",
            {"level": "outcome", "description": "Genangan", "unit": "%", "baseline": "1", "target": "2", "weight": 1},
            Indicator,
        ),
        ("evaluations", {"findings": "Baik.", "score": "99"}, Evaluation),
    ],
)
def test_every_planning_write_refuses_an_unknown_field(as_user, planner, budgeted_activity, endpoint, body, model):
    body = body | ({"fiscal_year": 2026} if endpoint == "proposals" else {"activity": budgeted_activity.pk})
    refused = as_user(planner).post(f"/api/v1/planning/{endpoint}/", body, format="json", HTTP_ACCEPT_LANGUAGE="en")
    unknown = {"proposals": "status", "progress-reports": "verified", "indicators": "weight", "evaluations": "score"}
    assert errors(refused)[unknown[endpoint]].startswith("Unknown field: this request takes only ")
    assert not model.objects.exists()


def test_closing_the_year_and_verifying_progress_refuse_unknown_fields(as_user, planner, budgeted_activity):
    api = as_user(planner)
    close = api.post(
        f"/api/v1/planning/activities/{budgeted_activity.pk}/close-year/",
        {"outcome": "lapsed", "reason": "-", "next_year": 2027},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert errors(close) == {
        "next_year": "Unknown field: this request takes only outcome, reason, start_date, end_date."
    }
    report = ProgressReport.objects.create(activity=budgeted_activity, month="2026-03-01", physical_pct=35)
    url = f"/api/v1/planning/progress-reports/{report.pk}/verify/"
    verify = api.post(url, {"physical_pct": "40"}, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert errors(verify) == {"physical_pct": "Unknown field: this request takes no body."}
    report.refresh_from_db()
    assert report.verified_at is None and report.physical_pct == 35
    assert api.post(url, {}, format="json").status_code == 200
