"""Form widgets the browser's own pickers need."""

from __future__ import annotations

from django import forms


class DatePicker(forms.DateInput):
    """The browser's date picker, which reads and writes only YYYY-MM-DD: a date put in the form by the server
    (an initial value) is written that way too. Django writes it in the page's language otherwise ("02-01-2026"
    in Indonesian), and the picker shows an empty field."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")
