"""Reading Rupiah as people write it, for the planning forms and the budget and realisation imports, and writing
it the way the city does (``rupiah_digits``).

"1.500.000", "Rp 1.500.000", "Rp. 1.500.000", "1,500,000" and "1500000" are all Rp 1.500.000; cents follow the
other mark ("1.500.000,50", "1,500,000.50") or a lone one ("1500000,50"). Three digits after a single mark are
thousands ("1.500" is Rp 1.500): nobody writes Rupiah with three decimals. The dash for "no cents" that invoices
and SP2D letters write ("Rp 1.500.000,-") is read as no cents. Anything else is not guessed at.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

_GROUPED_BY = {
    ".": re.compile(r"^(?P<whole>\d{1,3}(?:\.\d{3})+)(?:,(?P<cents>\d{1,2}))?$"),
    ",": re.compile(r"^(?P<whole>\d{1,3}(?:,\d{3})+)(?:\.(?P<cents>\d{1,2}))?$"),
}
_UNGROUPED = re.compile(r"^(?P<whole>\d+)(?:[.,](?P<cents>\d{1,2}))?$")


def parse_rupiah(text: str) -> Decimal:
    """The amount written in ``text``, to the cent; ValueError when it is not an amount of Rupiah."""
    compact = re.sub(r"\s", "", str(text))
    sign = ""
    if compact.startswith("-"):
        sign, compact = "-", compact[1:]
    if compact[:2].lower() == "rp":
        compact = compact[2:].removeprefix(".")
    # ",-" stands where the cents would and says there are none: after whole Rupiah only ("1.500.000,50,-" says
    # both, and "-" or ",-" alone says no amount).
    no_cents = compact.endswith(",-")
    compact = compact.removesuffix(",-")
    for mark, pattern in _GROUPED_BY.items():
        if (match := pattern.match(compact)) and not (no_cents and match["cents"]):
            return _amount(sign, match["whole"].replace(mark, ""), match["cents"])
    if (match := _UNGROUPED.match(compact)) and not (no_cents and match["cents"]):
        return _amount(sign, match["whole"], match["cents"])
    raise ValueError(f"not an amount of Rupiah: {text!r}")


def whole_rupiah(amount) -> int:
    """``amount`` in whole Rupiah, half up, as the open-data files write money (the dashboards' and the public
    activities list's)."""
    return int(Decimal(amount).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def rupiah_digits(amount: Decimal) -> str:
    """``amount`` as the city writes it, without "Rp": dots between thousands, and a comma before the cents only when
    there are any ("1.400.000", "1.400.000,50"); ``parse_rupiah`` reads it back to the same amount."""
    amount = Decimal(amount).quantize(Decimal("0.01"))
    whole, cents = divmod(abs(amount), 1)
    digits = f"{whole:,.0f}".replace(",", ".")
    if cents:
        digits += f",{int(cents * 100):02d}"
    return f"-{digits}" if amount < 0 else digits


def _amount(sign: str, whole: str, cents: str | None) -> Decimal:
    return Decimal(f"{sign}{whole}.{cents or '0'}").quantize(Decimal("0.01"))
