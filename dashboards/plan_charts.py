"""Chart.js specifications for the planning tables."""

from __future__ import annotations


def build(tables: dict) -> dict:
    return {}
