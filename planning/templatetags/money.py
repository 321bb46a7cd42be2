"""Rupiah and percentages on the planning pages (the dashboards' tables show money with ``format_rupiah`` too).

``{{ amount|rupiah }}`` → "Rp 1.250.000" in every language: rupiah with a dot thousands separator is how the city
writes money, also on its English pages; cents only when an amount has them ("Rp 1.250.000,50", never rounded
into a rupiah that was not paid). A no-break space joins "Rp" to the number so an amount never
wraps across two lines in a narrow table column.

``{{ value|pct }}`` → "87,5%" on an Indonesian page and "87.5%" on an English one: a percentage is an ordinary
number and follows the page's language, like every other number on the site.
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.utils.formats import number_format

from planning.money import rupiah_digits

register = template.Library()

NO_BREAK_SPACE = "\u00a0"


def format_rupiah(value) -> str:
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return ""
    sign = "-" if amount < 0 else ""
    return f"{sign}Rp{NO_BREAK_SPACE}{rupiah_digits(abs(amount))}"


def one_decimal(value) -> Decimal | None:
    """A percentage rounded as the planning figures are shown (one decimal, half up); None when not a number."""
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        return None


@register.filter
def rupiah(value) -> str:
    return format_rupiah(value)


@register.filter
def pct(value) -> str:
    """A percentage with one decimal in the page's language: 87,5% (Indonesian), 87.5% (English)."""
    number = one_decimal(value)
    if number is None:
        return "–"
    return f"{number_format(number, decimal_pos=1)}%"
