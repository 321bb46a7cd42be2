"""smartcity.form_renderer writes select boxes in Python: the HTML must be exactly what Django's templates write."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates

from complaints.staff_forms import QueueFilterForm
from dashboards.forms import FilterForm
from smartcity.form_renderer import FormRenderer

TEMPLATES = DjangoTemplates()
PYTHON = FormRenderer()


class Everything(forms.Form):
    plain = forms.ChoiceField(choices=[("", "---"), ("a", "Satu"), ("b&c", 'Dua "<b>"')], required=False)
    grouped = forms.ChoiceField(
        choices=[("Kecamatan", [("1", "Banjarmasin Utara"), ("2", "Banjarmasin <Selatan>")]), ("x", "Lain")],
        widget=forms.Select(attrs={"class": "form-select", "disabled": False, "autofocus": True, "data-x": "'q'"}),
    )
    many = forms.MultipleChoiceField(choices=[("1", "Satu"), ("2", "Dua"), ("3", "Tiga")], required=False)
    maybe = forms.NullBooleanField(required=False)


@pytest.mark.parametrize(
    "data",
    [{}, {"plain": "b&c", "grouped": "2", "many": ["1", "3"], "maybe": "true"}, {"plain": "nope", "grouped": "x"}],
)
def test_every_kind_of_select_is_rendered_as_the_templates_render_it(data):
    for name in Everything.base_fields:
        with_templates = Everything(data or None, renderer=TEMPLATES)[name].as_widget()
        in_python = Everything(data or None, renderer=PYTHON)[name].as_widget()
        assert in_python == with_templates, name
    assert "Banjarmasin &lt;Selatan&gt;" in Everything(renderer=PYTHON)["grouped"].as_widget()


@pytest.mark.django_db
def test_the_dashboard_and_queue_filters_are_the_same_html(city, staff_dlh):
    members = [staff_dlh]
    data = {"kelurahan": city.filter(level="kelurahan").first().code, "date_from": "2026-01-01"}
    assert str(FilterForm(data, renderer=PYTHON)) == str(FilterForm(data, renderer=TEMPLATES))
    assert "<option" in str(FilterForm(data, renderer=PYTHON))
    queue = {"status": "routed", "sort": "priority", "assignee": str(staff_dlh.pk)}
    in_python = str(QueueFilterForm(queue, members=members, multi_department=True, renderer=PYTHON))
    assert in_python == str(QueueFilterForm(queue, members=members, multi_department=True, renderer=TEMPLATES))
    assert f'<option value="{staff_dlh.pk}" selected>' in in_python


def test_a_widget_with_its_own_option_template_still_uses_the_templates():
    class Radios(forms.Select):
        option_template_name = "django/forms/widgets/radio_option.html"

    class OneField(forms.Form):
        x = forms.ChoiceField(choices=[("a", "A")], widget=Radios)

    in_python = OneField(renderer=PYTHON)["x"].as_widget()
    assert in_python == OneField(renderer=TEMPLATES)["x"].as_widget()
    assert "<label><input" in in_python
