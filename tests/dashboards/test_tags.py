"""Table cells: the fast number formatting of ``table_body`` shows exactly what ``intcomma`` and the template
would show, in both languages."""

from decimal import Decimal

import pytest
from django.contrib.humanize.templatetags.humanize import intcomma
from django.template import Context, Template
from django.utils import translation

from dashboards.queries.base import Table
from dashboards.templatetags.dashboard_tags import number_grouper

NUMBERS = [0, 7, 999, 1000, 1234567, -1234567, Decimal("34.8"), Decimal("0.0"), Decimal("-0.5"), Decimal("1234567.5")]


@pytest.mark.parametrize("language", ["id", "en"])
def test_grouped_numbers_equal_intcomma(language):
    with translation.override(language):
        grouped = number_grouper()
        assert [grouped(n) for n in NUMBERS] == [intcomma(n) for n in NUMBERS]
        assert grouped(1234567) == ("1.234.567" if language == "id" else "1,234,567")
        assert grouped(Decimal("1234567.5")) == ("1.234.567,5" if language == "id" else "1,234,567.5")


@pytest.mark.parametrize("language", ["id", "en"])
def test_table_body_renders_every_cell_as_the_cell_filter_in_a_template_loop(language):
    rows = [
        {
            "name": "<b>Kayu Tangi</b>",
            "n": 12345,
            "budget": Decimal("1500000.00"),
            "rate": None,
            "share": Decimal("7.5"),
        },
        {"name": "Mawar", "n": 0, "budget": None, "rate": Decimal("87.5"), "share": 3.25},
    ]
    table = Table("t", "T", [(key, key) for key in rows[0]], rows)
    fast = Template("{% load dashboard_tags %}{% table_body table %}")
    loops = Template(
        "{% load dashboard_tags %}{% for row in table.rows %}<tr>{% for key, label in table.columns %}"
        "<td>{{ row|cell:key }}</td>{% endfor %}</tr>{% endfor %}"
    )
    with translation.override(language):
        html = fast.render(Context({"table": table}))
        assert html == loops.render(Context({"table": table}))
    assert "&lt;b&gt;Kayu Tangi&lt;/b&gt;" in html and "<b>" not in html
    assert ("12.345" if language == "id" else "12,345") in html and "Rp\u00a01.500.000" in html
