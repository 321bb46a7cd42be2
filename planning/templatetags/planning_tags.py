"""Small helpers for the planning templates."""

from django import template

from planning.actions import proposing_departments

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
