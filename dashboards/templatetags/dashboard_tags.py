"""Small helpers to show table cells (a missing rate or median reads "not enough data") and department pickers."""

import datetime as dt
from decimal import Decimal

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.template.base import render_value_in_context
from django.utils.formats import date_format, get_format, localize
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from planning.templatetags.money import format_rupiah

from .. import departments
from ..queries.base import BASE_SUFFIX, COUNT_SUFFIX, MONEY_COLUMNS, SAMPLE_SUFFIX

register = template.Library()

# Columns where None means the sample was below the minimum, not "nothing there".
SAMPLED = ("rate", "median", "rating_avg", "value", "absorption", "achievement")
# An activity's physical progress: None is no progress report yet, and a report nobody has verified is the department's
# own claim. Both said as the plan's pages say them (``planning/_physical_progress.html``), not as 0 or a bare 100.
PHYSICAL = "physical"


def _is_number(value) -> bool:
    return isinstance(value, (int, Decimal)) and not isinstance(value, bool)


def number_grouper():
    """``intcomma`` for the active language with its separators looked up once, not once per number (~15 µs
    a cell); ``intcomma`` itself where the language does not group by threes."""
    if get_format("NUMBER_GROUPING") != 3:
        return intcomma
    separators = str.maketrans({",": get_format("THOUSAND_SEPARATOR"), ".": get_format("DECIMAL_SEPARATOR")})

    def grouped(value) -> str:
        return (f"{value:,}" if isinstance(value, int) else f"{value:,f}").translate(separators)

    return grouped


@register.filter
def department_choice(department) -> str:
    """A department as the pickers name it, said to be no longer active once switched off."""
    return departments.choice_label(department)


@register.filter
def cell(row: dict, column: str, grouped=intcomma):
    shown = _value(row, column, grouped)
    base = row.get(f"{column}{BASE_SUFFIX}")
    sample = row.get(f"{column}{SAMPLE_SUFFIX}")
    if base:
        # A rate with the counts it is made of ("73.7 (210 of 285)", "not enough data (3 of 5)"): a percentage alone
        # cannot be checked nor cited.
        counts = _("(%(count)s of %(base)s)") % {
            "count": grouped(row.get(f"{column}{COUNT_SUFFIX}") or 0),
            "base": grouped(base),
        }
    elif sample:  # an average with how many values it averages ("4.2 n = 12")
        counts = _("n = %(n)s") % {"n": grouped(sample)}
    else:  # not a rate nor an average, or nothing counted: no "(0 of 0)", no "n = 0"
        return shown
    if not isinstance(shown, str):  # a rate (a float): written in the page's language, as a template would
        shown = localize(shown)
    return format_html('{} <span class="text-muted small rate-base">{}</span>', shown, counts)


def _value(row: dict, column: str, grouped):
    value = row.get(column)
    if column == PHYSICAL and column in row:  # an activity's row (a total has none)
        return _physical(value, verified=row.get("physical_verified"), grouped=grouped)
    if value is None:
        if any(part in column for part in SAMPLED):
            return format_html('<span class="text-muted small not-enough">{}</span>', _("not enough data"))
        return "—"
    if isinstance(value, Decimal) and column in MONEY_COLUMNS:
        return format_rupiah(value)
    if _is_number(value):
        return grouped(value)
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return date_format(value)  # the site's DATE_FORMAT (smartcity/formats), as every other date
    return value


def _physical(value, *, verified: bool | None, grouped):
    if value is None:
        return format_html('<span class="text-muted small no-report">{}</span>', _("No report yet"))
    if verified is False:
        return format_html(
            '{}<div class="small text-muted physical-unverified">{}</div>', grouped(value), _("not yet verified")
        )
    return grouped(value)


@register.simple_tag(takes_context=True)
def table_body(context, table, limit: int = 150):
    """The first ``limit`` rows of a table as ``<tr>`` elements.

    Built here instead of with two nested template loops: a dashboard shows up to 150 rows in several
    tables, and at ~2,700 cells per page the template nodes cost more than the page's SQL. Each cell is
    rendered exactly as ``{{ row|cell:key }}`` would be (localized, escaped unless already safe).
    """
    keys = [key for key, _label in table.columns]
    grouped = number_grouper()

    def shown(row: dict, key: str) -> str:
        value = row.get(key)
        if _is_number(value):
            return cell(row, key, grouped)  # digits, separators and "Rp": nothing to localize or escape
        return render_value_in_context(cell(row, key), context)

    def cells(row: dict) -> str:
        links = row.get("links")  # column -> URL, for the viewer (``dashboards.links``)
        if not links:
            return "".join(f"<td>{shown(row, key)}</td>" for key in keys)
        return "".join(f"<td>{_linked(shown(row, key), links.get(key))}</td>" for key in keys)

    rows = [f"<tr>{cells(row)}</tr>" for row in table.rows[:limit]]
    return mark_safe("".join(rows))  # noqa: S308 - numbers formatted here, everything else through render_value_in_context


def _linked(cell_html: str, url: str | None) -> str:
    """A rendered cell, as a link to ``url`` when there is one."""
    return f'<a href="{escape(url)}">{cell_html}</a>' if url else cell_html


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
