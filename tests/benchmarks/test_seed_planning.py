"""The benchmark's plan seeding (scripts/bench_dashboards.seed_planning, which make bench calls) writes rows the
current schema accepts: a NOT NULL column added to evaluations (achievement_basis) had made it fail on a fresh
database, so make bench measured the dashboards without any activity."""

from __future__ import annotations

import sys

import pytest
from django.db import connection

from benchmarks.common import ROOT
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db


def test_the_plan_seeding_fills_a_fresh_database(city, capsys):
    if connection.vendor != "postgresql":
        pytest.skip("the seeding is set-based SQL for PostgreSQL, as make bench runs it")
    sys.path.insert(0, str(ROOT / "scripts"))
    from bench_dashboards import seed_planning

    from planning.models import Activity, Evaluation

    for _ in range(3):
        make_ticket()
    seed_planning(40)
    assert Activity.objects.count() == 40
    evaluated = Activity.objects.filter(stage="evaluated")
    assert evaluated.exists()
    assert Evaluation.objects.filter(activity__in=evaluated).count() == evaluated.count()
    assert set(Evaluation.objects.values_list("achievement_basis", flat=True)) == {"indicators"}
