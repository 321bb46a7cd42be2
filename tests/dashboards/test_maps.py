"""The choropleth legend: every colour its own range of whole numbers, whatever the data."""

from __future__ import annotations

import pytest
from django.utils import translation

from dashboards.maps import COLOURS, classes


def _ranges(found):
    return [(c["low"], c["high"]) for c in found]


def _check(found, top):
    """Classes start at 0 alone, cover 1..top without gaps or overlaps, and differ in label and colour."""
    assert found[0] == {"low": 0, "high": 0, "label": "0", "colour": COLOURS[0]}
    expected_low = 1
    for c in found[1:]:
        assert c["low"] == expected_low and c["low"] <= c["high"]
        expected_low = c["high"] + 1
    assert found[-1]["high"] == top
    assert len({c["label"] for c in found}) == len(found)
    assert len({c["colour"] for c in found}) == len(found)
    assert len(found) <= len(COLOURS)
    if top:
        assert found[-1]["colour"] == COLOURS[-1]  # the largest value is always the darkest


def test_the_reported_case_small_counts():
    """DLH's hotspots (largest count 4) read 0, 1+, 1+, 2+, 3+, 4+: now one class per count."""
    found = classes([0, 1, 4, 2, 1])
    assert [c["label"] for c in found] == ["0", "1", "2", "3", "4"]
    _check(found, 4)


def test_all_zero_and_no_data():
    assert classes([0, 0, 0]) == [{"low": 0, "high": 0, "label": "0", "colour": COLOURS[0]}]
    assert classes([]) == classes([0])


def test_all_equal():
    found = classes([7, 7, 7])
    assert _ranges(found) == [(0, 0), (1, 1), (2, 2), (3, 4), (5, 5), (6, 7)]
    _check(found, 7)
    assert classes([1, 1]) == [classes([1])[0], {"low": 1, "high": 1, "label": "1", "colour": COLOURS[-1]}]


def test_large_counts_in_equal_ranges_with_grouping():
    found = classes([100, 3])
    assert _ranges(found) == [(0, 0), (1, 20), (21, 40), (41, 60), (61, 80), (81, 100)]
    with translation.override("id"):
        assert classes([5000])[-1]["label"] == "4.001–5.000"
    with translation.override("en"):
        assert classes([5000])[-1]["label"] == "4,001–5,000"


@pytest.mark.parametrize("top", [*range(0, 40), 99, 101, 997, 12345])
def test_any_maximum(top):
    _check(classes([top]), top)


def test_fractions_round_up():
    _check(classes([2.5]), 3)
