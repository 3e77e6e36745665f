"""Read CSV and XLSX uploads as rows of text, naming the line of anything that is wrong.

Rows stream: memory grows with one row, not with the file.
"""

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import BinaryIO

from django.utils.translation import gettext as _

XLSX_SIGNATURE = b"PK\x03\x04"


class TableError(ValueError):
    """The file as a whole cannot be read: wrong type, broken encoding, no header."""


@dataclass(frozen=True)
class Row:
    line: int  # 1-based line (CSV) or sheet row (XLSX), as a spreadsheet program shows it
    values: dict[str, str]


def check_kind(stream: BinaryIO, filename: str) -> str:
    """The file's kind ("csv" or "xlsx") when its name and first bytes agree; else TableError.

    Cheap (it reads 4 KiB), so a page can refuse a wrong file at once.
    """
    head = stream.read(4096)
    stream.seek(0)
    suffix = Path(filename).suffix.lower()
    if suffix == ".xlsx":
        if not head.startswith(XLSX_SIGNATURE):
            raise TableError(
                _("%(file)s: the file is not an Excel .xlsx workbook") % {"file": filename}
            )
        return "xlsx"
    if suffix == ".csv":
        if head.startswith(XLSX_SIGNATURE) or b"\x00" in head:
            raise TableError(_("%(file)s: the file is not a CSV text file") % {"file": filename})
        return "csv"
    raise TableError(_("%(file)s: only .csv and .xlsx files can be imported") % {"file": filename})


def read_table(
    stream: BinaryIO, filename: str, encoding: str = "utf-8"
) -> tuple[list[str], Iterator[Row]]:
    """Return the header and the data rows of a .csv or .xlsx file, one at a time.

    The header is checked at once; a fault further on (a damaged workbook) raises while the
    rows are read.
    """
    if check_kind(stream, filename) == "xlsx":
        return _read_xlsx(stream)
    return _read_csv(stream, encoding)


def _read_csv(stream: BinaryIO, encoding: str) -> tuple[list[str], Iterator[Row]]:
    raw = stream.read()
    try:
        text = raw.decode("utf-8-sig" if encoding.lower() in {"utf-8", "utf8"} else encoding)
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise TableError(
            _(
                "line %(line)s: the file is not valid %(encoding)s (byte 0x%(byte)02x); "
                "save it as UTF-8 or choose its encoding (for example Windows-1251)"
            )
            % {"line": line, "encoding": encoding, "byte": raw[exc.start]}
        ) from None
    except LookupError:
        raise TableError(_("unknown encoding %(name)s") % {"name": encoding}) from None
    del raw
    dialect = _sniff(text)
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        header = [cell.strip().lower() for cell in next(reader)]
    except StopIteration:
        raise TableError(_("the file is empty: the first line must name the columns")) from None
    return header, _csv_rows(reader, header)


def _csv_rows(reader, header: list[str]) -> Iterator[Row]:
    for values in reader:
        if any(cell.strip() for cell in values):
            yield Row(reader.line_num, _zip(header, values))


def _sniff(text: str) -> type[csv.Dialect] | csv.Dialect:
    first_line = text.split("\n", 1)[0]
    # Russian Excel writes semicolons; everyone else commas.
    if first_line.count(";") > first_line.count(","):
        return _Semicolon
    return csv.excel


class _Semicolon(csv.excel):
    delimiter = ";"


def _read_xlsx(stream: BinaryIO) -> tuple[list[str], Iterator[Row]]:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(stream, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged archive
        raise TableError(_("the workbook cannot be opened: %(error)s") % {"error": exc}) from None
    sheet = workbook.worksheets[0]
    cells = sheet.iter_rows(values_only=True)
    try:
        header = [_cell_text(cell).lower() for cell in next(cells)]
    except StopIteration:
        workbook.close()
        raise TableError(
            _("the first sheet is empty: its first row must name the columns")
        ) from None
    return header, _xlsx_rows(workbook, cells, header)


def _xlsx_rows(workbook, cells, header: list[str]) -> Iterator[Row]:
    try:
        for number, values in enumerate(cells, start=2):
            texts = [_cell_text(cell) for cell in values]
            if any(texts):
                yield Row(number, _zip(header, texts))
    finally:
        workbook.close()


def _cell_text(cell: object) -> str:
    if cell is None:
        return ""
    if isinstance(cell, datetime):
        return cell.date().isoformat()
    if isinstance(cell, date):
        return cell.isoformat()
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def _zip(header: list[str], values: list[str]) -> dict[str, str]:
    return {name: (values[i].strip() if i < len(values) else "") for i, name in enumerate(header)}
