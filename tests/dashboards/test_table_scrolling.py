"""A dashboard table wider than the screen can be scrolled from the keyboard: its scrolling box takes the focus and
is named after the table, so a screen reader says which table the arrow keys move."""

import re

import pytest
from django.urls import reverse

from .test_views import FILTERS, frozen  # noqa: F401 - a fixture

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


def test_every_table_box_is_focusable_and_named(client, dataset):
    page = client.get(reverse("dashboards:public"), FILTERS).content.decode()
    boxes = re.findall(r'<div class="table-responsive"[^>]*>', page)
    assert len(boxes) >= 3
    for box in boxes:
        assert 'tabindex="0"' in box and 'role="region"' in box, box
        assert re.search(r'aria-label="[^"]{3,}"', box), box
