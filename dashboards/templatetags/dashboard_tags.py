"""Small helpers to show table cells: a missing rate or median reads "not enough data"."""

from decimal import Decimal

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.html import format_html
from django.utils.translation import gettext as _

from planning.templatetags.money import format_rupiah

register = template.Library()
MONEY_COLUMNS = ("budget", "realised")

# Columns where None means the sample was below the minimum, not "nothing there".
SAMPLED = ("rate", "median", "rating_avg", "value", "absorption", "achievement")


@register.filter
def cell(row: dict, column: str):
    value = row.get(column)
    if value is None:
        if any(part in column for part in SAMPLED):
            return format_html('<span class="text-muted small not-enough">{}</span>', _("not enough data"))
        return "—"
    if isinstance(value, Decimal) and column in MONEY_COLUMNS:
        return format_rupiah(value)
    if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        return intcomma(value)
    return value


@register.filter
def table_value(table, measure: str):
    """The ``value`` of the row whose ``measure`` is given, in a key-figures table."""
    for row in table.rows:
        if row.get("measure") == measure:
            return row
    return {}


@register.filter
def get_links(downloads: dict, key: str):
    return downloads.get(key, {})
