"""Rupiah formatting: ``{{ amount|rupiah }}`` → "Rp 1.250.000" (whole rupiah, dot thousands separator)."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template

register = template.Library()


def format_rupiah(value) -> str:
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(str(value)).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        return ""
    sign = "-" if amount < 0 else ""
    return f"{sign}Rp {abs(amount):,.0f}".replace(",", ".")


@register.filter
def rupiah(value) -> str:
    return format_rupiah(value)


@register.filter
def pct(value) -> str:
    """A percentage with one decimal and a comma, as Indonesians write it: 87,5%."""
    if value is None or value == "":
        return "–"
    try:
        number = Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        return "–"
    return f"{number}%".replace(".", ",")
