"""The account forms' widgets get Bootstrap's class for their kind: a select keeps its arrow (form-select)."""

from __future__ import annotations

import re

import pytest
from django import forms

from accounts.templatetags.portal_forms import bootstrap


class _Sample(forms.Form):
    name = forms.CharField()
    language = forms.ChoiceField(choices=[("id", "Bahasa Indonesia"), ("en", "English")])
    agree = forms.BooleanField()


def _classes(html: str) -> list[str]:
    return re.search(r'class="([^"]*)"', html).group(1).split()


def test_a_select_gets_form_select_in_the_size_asked_and_a_text_box_form_control():
    """form-control on a select sets ``appearance: none``: the language choice showed as a box with no arrow."""
    form = _Sample()
    assert _classes(bootstrap(form["language"], "form-control form-control-lg")) == ["form-select", "form-select-lg"]
    assert _classes(bootstrap(form["name"], "form-control form-control-lg")) == ["form-control", "form-control-lg"]
    assert _classes(bootstrap(form["agree"], "form-check-input")) == ["form-check-input"]


def test_a_refused_select_is_marked_invalid():
    form = _Sample(data={"name": "x", "language": "fr", "agree": "on"})
    html = str(bootstrap(form["language"], "form-control form-control-lg"))
    assert _classes(html) == ["form-select", "form-select-lg", "is-invalid"] and 'aria-invalid="true"' in html


@pytest.mark.django_db
def test_the_profiles_language_choice_is_a_select_with_its_arrow(client, citizen):
    client.force_login(citizen)
    html = client.get("/akun/profil/").content.decode()
    select = re.search(r"<select[^>]*>", html).group(0)
    assert "form-select" in select and "form-control" not in select
