"""Admin › Areas tells kecamatan and kelurahan apart: each row's level and a kelurahan's kecamatan, a filter on the
level, and the kecamatan read with the rows (not once per row)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from services.models import Area

pytestmark = pytest.mark.django_db


def test_each_area_shows_its_level_and_a_kelurahans_kecamatan(client, administrator):
    client.force_login(administrator)
    response = client.get("/admin/services/area/", HTTP_ACCEPT_LANGUAGE="en")
    changelist = response.context["cl"]
    assert {"level", "parent"} <= set(changelist.list_display)
    assert any(spec.field_path == "level" for spec in changelist.filter_specs)
    page = response.content.decode()
    mantuil = Area.objects.get(code="63.71.01.1001")
    row = page.split(f">{mantuil.code}</a>", 1)[1].split("</tr>", 1)[0]
    assert '<td class="field-level">Kelurahan</td>' in row
    assert f'<td class="field-parent nowrap">{mantuil.parent.name}</td>' in row
    with CaptureQueriesContext(connection) as every_area:
        client.get("/admin/services/area/")
    with CaptureQueriesContext(connection) as kecamatan_only:
        client.get("/admin/services/area/", {"level__exact": "kecamatan"})
    assert len(every_area) == len(kecamatan_only)  # 57 rows or 5: the kecamatan come with the rows
