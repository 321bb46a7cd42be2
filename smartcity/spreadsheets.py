"""Cells the portal writes to CSV and XLSX files, and reads back from them.

Spreadsheet programs run a cell that starts with = + - @ (or a tab or carriage return before one) as a formula: a
report title, a department's SP2D number or an activity's name could then open a link or leak other cells when
the file is opened. A CSV has no cell types: every export writes such text there with a leading apostrophe, which
spreadsheets show as text, and the planning import takes that apostrophe off again, so an exported file can be
edited and imported back. An XLSX cell says itself whether it is text or a formula: such text is a text cell there,
as typed (the apostrophe showed in the cell as a character of the title).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.translation import gettext_lazy

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# How every CSV writes a time: WITA "YYYY-MM-DD HH:MM", which sorts as text.
CSV_TIME_FORMAT = "%Y-%m-%d %H:%M"
# The last column of the open-data files (the dashboards', the public activities list's): when their figures were
# computed. A file saved from a page cached up to CACHE_SECONDS could not be dated. A column rather than a line above
# the header: a line there would be read as a row (``csv.DictReader``, a spreadsheet's filter), and a column at the
# end leaves the others where they were. Lazy: read at import it was in the server's default language whatever the
# download's (an English CSV ended in "Dihitung pada (WITA)" once the Indonesian existed).
COMPUTED_AT_HEADER = gettext_lazy("Computed at (WITA)")


def as_text_cell(value):
    """``value`` as it may be written to a cell: text that would start a formula gets an apostrophe first."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def from_text_cell(text: str) -> str:
    """A cell's text as the portal had it before ``as_text_cell`` (the apostrophe it added taken off)."""
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


def as_xlsx_cell(sheet, value):
    """``value`` for a row of a write-only XLSX ``sheet``: text that would start a formula as a text cell, as typed
    (openpyxl would store it as a formula); anything else as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        from openpyxl.cell import WriteOnlyCell  # loaded by an XLSX export only

        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell
    return value


# Excel has no time zones: a time is written as the clock in Banjarmasin showed it, and its column says WITA.
WITA = ZoneInfo("Asia/Makassar")
XLSX_TIME_FORMAT = "yyyy-mm-dd hh:mm"
XLSX_DATE_FORMAT = "yyyy-mm-dd"
# Whole Rupiah with the reader's thousands separator (Excel in Indonesian: "Rp 4.992.000.000").
XLSX_RUPIAH_FORMAT = '"Rp" #,##0'
XLSX_PERCENT_FORMAT = "0.0"  # a percentage as the number the header's "(%)" says: 73.7, read "73,7" in Indonesian
SHEET_TITLE_FORBIDDEN = str.maketrans({character: " " for character in "[]:*?/\\"})


def in_wita(value: dt.datetime) -> dt.datetime:
    """A stored time as the clock in Banjarmasin showed it, without a zone, to the second (a fraction showed in the
    cell's formula bar, "17:52:39.029", and sorts nothing apart)."""
    return timezone.localtime(value, WITA).replace(tzinfo=None, microsecond=0)


def xlsx_formatted(sheet, value, number_format: str):
    """``value`` as a cell of a write-only ``sheet`` shown with ``number_format``."""
    from openpyxl.cell import WriteOnlyCell  # loaded by an XLSX export only

    cell = WriteOnlyCell(sheet, value=value)
    cell.number_format = number_format
    return cell


def as_xlsx_time(sheet, value: dt.datetime):
    """An aware time as a date-time cell in WITA, which Excel and LibreOffice sort and filter as one."""
    return xlsx_formatted(sheet, in_wita(value), XLSX_TIME_FORMAT)


def as_xlsx_date(sheet, value: dt.date):
    """A calendar day as a date cell (an ISO text in a CSV)."""
    return xlsx_formatted(sheet, value, XLSX_DATE_FORMAT)


def write_xlsx(
    target,
    *,
    title: str,
    headers: list[str],
    rows: Iterable[list],
    widths: list[int] | None = None,
    cell: Callable | None = None,
    progress: Callable[[int], None] | None = None,
    progress_every: int = 500,
) -> int:
    """One sheet named ``title`` with ``headers`` in its first row, kept in view while scrolling and with sort and
    filter buttons, then ``rows``; each value written as ``cell(sheet, index, value)`` gives it (default:
    ``as_xlsx_cell``, never a formula). ``widths``: each column's width in characters, at least its header's.
    Saves to ``target`` (a path or a binary stream) and returns how many rows were written. The staff queue's
    export and the dashboards' downloads write through here."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    write = cell or (lambda sheet, _index, value: as_xlsx_cell(sheet, value))
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=str(title).translate(SHEET_TITLE_FORBIDDEN).strip()[:31] or "Sheet")
    # A write-only sheet takes its column widths before the first row.
    for index, label in enumerate(headers, start=1):
        width = widths[index - 1] if widths else 12
        sheet.column_dimensions[get_column_letter(index)].width = max(width, len(label) + 2)
    sheet.freeze_panes = "A2"
    sheet.append(headers)
    count = 0
    for count, row in enumerate(rows, start=1):
        sheet.append([write(sheet, index, value) for index, value in enumerate(row)])
        if progress and count % progress_every == 0:
            progress(count)
    sheet.auto_filter.ref = f"A1:{get_column_letter(max(len(headers), 1))}{count + 1}"
    workbook.save(target)
    return count
