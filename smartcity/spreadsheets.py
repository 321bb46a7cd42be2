"""Cells the portal writes to CSV and XLSX files, and reads back from them.

Spreadsheet programs run a cell that starts with = + - @ (or a tab or carriage return before one) as a formula: a
report title, a department's SP2D number or an activity's name could then open a link or leak other cells when
the file is opened. A CSV has no cell types: every export writes such text there with a leading apostrophe, which
spreadsheets show as text, and the planning import takes that apostrophe off again, so an exported file can be
edited and imported back. An XLSX cell says itself whether it is text or a formula: such text is a text cell there,
as typed (the apostrophe showed in the cell as a character of the title).
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


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
