"""A dashboard's JSON reads the same to a script whatever the reader's language: its keys, the columns' keys, each
row's and the totals' keys are codes, never words. The CSV's and XLSX's headers, the labels, titles and notes follow
the page's language by design (``docs/dashboards.md``); a script that reads the JSON must not break when it is run
from a browser or a server set to English instead of Indonesian."""

import pytest
import time_machine
from django.urls import reverse

from .conftest import NOW

pytestmark = pytest.mark.django_db

FILTERS = {"date_from": "2026-01-01", "date_to": "2026-03-06", "tahun": "2026"}


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _keys(value):
    """The shape of a JSON value: every object's keys, nested, and the columns' ``key``s; no other value."""
    if isinstance(value, dict):
        return {key: value[key] if key == "key" else _keys(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_keys(item) for item in value]
    return None


def _json(client, scope: str, key: str, language: str, **extra) -> dict:
    url = reverse("dashboards:export", args=[scope, key, "json"])
    response = client.get(url, {**FILTERS, **extra}, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200, (scope, key)
    return response.json()


def _assert_same_keys(client, scope: str, tables, **extra) -> None:
    for key in tables:
        indonesian, english = _json(client, scope, key, "id", **extra), _json(client, scope, key, "en", **extra)
        assert indonesian["dataset"]["title"] != english["dataset"]["title"]  # the words did change
        assert _keys(indonesian) == _keys(english), key


def test_every_public_json_has_the_same_keys_in_indonesian_and_english(client, plan, frozen):
    catalogue = client.get(reverse("dashboards:open_data"), FILTERS).json()
    tables = [dataset["key"] for dataset in catalogue["datasets"]]
    assert {"summary", "weekly", "programmes", "activities", "you_asked_we_did"} <= set(tables)
    _assert_same_keys(client, "public", tables)


def test_the_staff_dashboards_json_keys_do_not_follow_the_language_either(client, inspector, plan, frozen):
    client.force_login(inspector)
    for scope, extra in (("department", {"department": "dlh"}), ("city", {})):
        page = client.get(reverse(f"dashboards:{scope}"), {**FILTERS, **extra})
        _assert_same_keys(client, scope, page.context["tables"], **extra)
