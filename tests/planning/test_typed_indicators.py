"""Inspektorat/BPKAD year-end walk: the demo typed an outcome "Pengaduan warga terkait per bulan" 12 → 6 on every
activity, while the same page computed the reports in the area from the tickets (0.7 → 0.4 a month), and the typed
figure made half of the evaluation's score. The demo now types what each kind of activity delivers and changes;
typing an indicator about complaints or reports (the activity page, the admin) warns that the portal computes them
from the tickets, without refusing it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation

from planning import demo
from planning.forms import complaint_indicator_warning
from planning.models import Indicator

pytestmark = pytest.mark.django_db

COMPLAINT_NAMES = [
    "Pengaduan warga terkait per bulan",
    "Jumlah laporan banjir",
    "Keluhan warga",
    "Complaints per month",
    "Reports of blocked drains",
]


@pytest.mark.parametrize("name", COMPLAINT_NAMES)
def test_an_indicator_about_complaints_is_warned_of(name):
    with translation.override("en"):
        warning = complaint_indicator_warning(name)
    assert f"“{name}” looks like a count of complaints or reports" in warning
    assert "computes those from citizens' reports" in warning


def test_the_demo_types_outputs_and_outcomes_never_complaint_counts():
    suffixes = [spec[0] for spec in demo.ACTIVITIES]
    assert set(demo.INDICATORS) == set(suffixes)  # every activity has its own pair
    names = [item[0] for pair in demo.INDICATORS.values() for item in pair]
    assert len(set(names)) == len(names)  # different per activity, not one line for all
    assert not [name for name in names if complaint_indicator_warning(name)]
    drains = dict(zip(("output", "outcome"), demo.INDICATORS["0001"], strict=True))
    assert drains["output"][:2] == ("Panjang saluran drainase dinormalisasi", "m")
    lights = demo.INDICATORS["0013"][0]
    assert lights[:2] == ("Lampu PJU tenaga surya terpasang", "titik")


def test_the_demo_records_output_delivered_and_outcome_between_baseline_and_target():
    output = Indicator(level="output", baseline=Decimal("0"), target=Decimal("1800"), direction="increase")
    assert demo._output_value(output, 50) == 900
    shorter = Indicator(level="outcome", baseline=Decimal("6"), target=Decimal("2"), direction="decrease")
    values = [demo._outcome_value(shorter, suffix) for suffix in ("0004", "0001", "0002", "0003")]
    assert values == [Decimal("2"), Decimal("2.2"), Decimal("2.4"), Decimal("2.6")]  # the whole way, then less


def test_the_activity_page_saves_a_complaint_indicator_with_a_warning(client, budgeted_activity, planner):
    client.force_login(planner)
    url = reverse("planning:activity_action", args=[budgeted_activity.pk, "indicator"])
    data = {
        "indicator-level": "outcome",
        "indicator-description": "Pengaduan warga terkait per bulan",
        "indicator-unit": "laporan",
        "indicator-baseline": "12",
        "indicator-target": "6",
        "indicator-direction": "decrease",
    }
    response = client.post(url, data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302
    assert budgeted_activity.indicators.filter(description="Pengaduan warga terkait per bulan").exists()
    (warning,) = [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "warning"]
    assert "looks like a count of complaints or reports" in warning
    # The form says what to type before anyone does.
    page = client.get(reverse("planning:activity", args=[budgeted_activity.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert "metres of drain normalised" in page.content.decode()

    data["indicator-description"] = "Panjang saluran drainase dinormalisasi"
    data["indicator-level"], data["indicator-direction"] = "output", "increase"
    quiet = client.post(url, data, HTTP_ACCEPT_LANGUAGE="en")
    assert quiet.status_code == 302
    assert not [m for m in get_messages(quiet.wsgi_request) if m.level_tag == "warning"]


def test_the_admin_saves_a_complaint_indicator_with_a_warning(client, budgeted_activity):
    from tests.conftest import make_user

    client.force_login(make_user("super@banjarmasinkota.go.id", is_staff=True, is_superuser=True))
    url = reverse("admin:planning_indicator_add")
    form = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert "metres of drain normalised" in form.content.decode()
    data = {
        "activity": budgeted_activity.pk,
        "level": "outcome",
        "description": "Jumlah keluhan warga",
        "unit": "laporan",
        "baseline": "12",
        "target": "6",
        "direction": "decrease",
        "values-TOTAL_FORMS": "0",
        "values-INITIAL_FORMS": "0",
        "values-MIN_NUM_FORMS": "0",
        "values-MAX_NUM_FORMS": "1000",
    }
    response = client.post(url, data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Indicator.objects.filter(description="Jumlah keluhan warga").exists()
    warnings = [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "warning"]
    assert len(warnings) == 1 and "“Jumlah keluhan warga” looks like a count of complaints" in warnings[0]
