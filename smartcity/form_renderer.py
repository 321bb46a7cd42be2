"""The form renderer (settings.FORM_RENDERER): Django's, except that select boxes are rendered in Python.

Filter forms on the dashboards and the staff queue hold select boxes with every kelurahan, service and
department: a few hundred options per page. Django renders each option through two included templates, about a
sixth of a dashboard's CPU on a cold cache. The output here is the same HTML, byte for byte, as Django's
``select.html``, ``select_option.html`` and ``attrs.html`` (tests/smartcity/test_form_renderer.py compares them);
a widget or option with another template goes through the templates as before.
"""

from __future__ import annotations

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape

SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"


def _attrs(attrs: dict) -> str:
    # attrs.html: False leaves the attribute out, True writes its bare name, anything else name="value".
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            out.append(f" {conditional_escape(name)}")
        else:
            out.append(f' {conditional_escape(name)}="{conditional_escape(str(value))}"')
    return "".join(out)


def _option(option: dict) -> str:
    return (
        f'<option value="{conditional_escape(str(option["value"]))}"{_attrs(option["attrs"])}>'
        f"{conditional_escape(option['label'])}</option>"
    )


def render_select(widget: dict) -> str | None:
    """``select.html`` for this widget context, or None when an option uses another template."""
    parts = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in group_choices:
            if option.get("template_name") != OPTION:
                return None
            # The option template ends with a newline, which the include keeps.
            parts.append("\n  " + _option(option) + "\n")
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


class FormRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        if template_name == SELECT:
            html = render_select(context["widget"])
            if html is not None:
                return html
        return super().render(template_name, context, request=request)
