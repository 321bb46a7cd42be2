"""A planning import reads no further than a file may go: a 1.5 KB XLSX with one cell at ZZ8000 took the web process
from 173 MB to 1.2 GB (openpyxl made up every empty cell), and a zip bomb in its shared strings would do worse. An
honest file with a stray cell far below its data is refused saying so; blank lines under a CSV's data are no rows."""

from __future__ import annotations

import io
import tracemalloc
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from openpyxl import Workbook

from planning import imports


def _xlsx(cells: dict) -> bytes:
    workbook = Workbook()
    for address, value in cells.items():
        workbook.active[address] = value
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_one_cell_far_to_the_right_and_below_costs_no_memory():
    content = _xlsx({"A1": "activity_code", "A2": "KEG-1", "ZZ8000": "x"})
    assert len(content) < 10_000
    tracemalloc.start()
    try:
        rows = imports.read_table(content, "xlsx")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert rows[0][0] == "activity_code" and rows[1][0] == "KEG-1"
    assert max(len(row) for row in rows) == imports.MAX_COLUMNS
    assert peak < 40 * 2**20, f"{peak / 2**20:.0f} MB"  # 8,000 rows of 702 cells were hundreds of MB


def test_a_stray_cell_below_the_row_limit_refuses_the_file_saying_so():
    content = _xlsx({"A1": "activity_code", "A2": "KEG-1", f"A{imports.MAX_ROWS + 50}": "x"})
    with translation.override("en"), pytest.raises(ValidationError) as refusal:
        imports.read_table(content, "xlsx")
    with translation.override("en"):
        assert "at most 20,000 rows" in refusal.value.messages[0]
        assert f"down to row {imports.MAX_ROWS + 50:,}" in refusal.value.messages[0]  # where the stray cell is


def test_a_zip_bomb_is_refused_before_it_is_unpacked(monkeypatch):
    monkeypatch.setattr(imports, "MAX_UNPACKED_BYTES", 2**20)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings.xml", b"<sst>" + b"a" * (3 * 2**20) + b"</sst>")
    assert len(buffer.getvalue()) < 20_000
    with translation.override("en"), pytest.raises(ValidationError) as refusal:
        imports.read_table(buffer.getvalue(), "xlsx")
    with translation.override("en"):
        assert "too large once unpacked" in refusal.value.messages[0]


def test_csv_blank_lines_under_the_data_are_no_rows_but_too_many_rows_are_refused():
    blank_tail = "activity_code;amount\nKEG-1;1.000\n" + "\n" * (imports.MAX_ROWS + 10)
    assert imports.read_table(blank_tail.encode(), "csv") == [["activity_code", "amount"], ["KEG-1", "1.000"]]
    too_many = "activity_code;amount\n" + "KEG-1;1.000\n" * (imports.MAX_ROWS + 1)
    with pytest.raises(ValidationError):
        imports.read_table(too_many.encode(), "csv")
    exactly = "activity_code;amount\n" + "KEG-1;1.000\n" * imports.MAX_ROWS
    assert len(imports.read_table(exactly.encode(), "csv")) == imports.MAX_ROWS + 1


def test_a_file_over_the_size_limit_is_refused(monkeypatch):
    monkeypatch.setattr(imports, "MAX_FILE_BYTES", 2**20)
    with translation.override("en"), pytest.raises(ValidationError) as refusal:
        imports.read_table(b"activity_code\n" + b"KEG-1\n" * 200_000, "csv")
    assert refusal.value.messages == ["The file is too large (at most 1 MB)."]
