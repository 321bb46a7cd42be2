"""Small helpers for the planning templates."""

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import gettext as _

from dashboards.queries.base import NOT_ENOUGH_DATA
from planning.actions import proposing_departments

from .money import pct

register = template.Library()


@register.filter
def bs(field):
    """Render a bound field's widget with Bootstrap's class."""
    kind = getattr(field.field.widget, "input_type", "")
    css = {"select": "form-select form-select-sm", "checkbox": "form-check-input"}.get(
        kind, "form-control form-control-sm"
    )
    attrs = {"class": css}
    if field.errors:
        # The first refused field takes the focus, so the browser scrolls a long page down to the form.
        attrs.update({"class": f"{css} is-invalid", "aria-invalid": "true", "autofocus": True})
    return field.as_widget(attrs=attrs)


@register.filter
def may_propose(user) -> bool:
    return proposing_departments(user).exists()


@register.filter
def get(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def refused_for(form, pk):
    """The activity page's small per-row form (its hidden field names the row) when it was refused for this row,
    else None: that row's inputs then show what was typed. A bound form on the page is always a refused one."""
    if form is None or not form.is_bound:
        return None
    row = form.hidden_fields()[0]
    return form if str(row.value()) == str(pk) else None


@register.simple_tag
def from_reports(value, n, kind: str = "number"):
    """A figure of the reports in an activity's area (``planning.queries.ticket_stats``) with how many reports it is
    computed from beside it: "66,7% (n = 12)"; "not enough data (n = 4)", as the dashboards say it, where the query
    left it out for too small a sample. ``kind`` "pct" writes a percentage, else a number with one decimal."""
    if value is None:
        shown = format_html('<span class="text-muted not-enough">{}</span>', NOT_ENOUGH_DATA)
    else:
        shown = pct(value) if kind == "pct" else number_format(value, decimal_pos=1)
    sample = _("n = %(n)s") % {"n": number_format(n, force_grouping=True)}
    return format_html('{} <span class="text-muted sample-size">({})</span>', shown, sample)
