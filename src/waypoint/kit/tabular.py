"""Read CSV and XLSX uploads as rows of text, naming the line of anything that is wrong.

Rows stream: memory grows with one row, not with the file. A file is read in bounded time and
memory or refused before reading, naming the rule: at most MAX_ROWS data rows and MAX_COLUMNS
columns, and for a workbook (a zip archive of XML parts) limits on each part's declared
uncompressed size, their total and their compression ratio, checked from the archive's
directory before any part is parsed. A zip reader never inflates a part past its declared
size, so the declared sizes bound the work.
"""

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import BinaryIO

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

XLSX_SIGNATURE = b"PK\x03\x04"
MAX_ROWS = 250_000
MAX_COLUMNS = 64
# A 10 MB workbook of 157,000 rows unpacks to about 100 MB of sheet XML (a ratio of 12); a zip
# bomb unpacks a thousandfold.
XLSX_MAX_PARTS = 1000
XLSX_MAX_PART_BYTES = 256 * 1024 * 1024
XLSX_MAX_TOTAL_BYTES = 320 * 1024 * 1024
XLSX_MAX_RATIO = 100
XLSX_RATIO_FROM_BYTES = 1024 * 1024  # small parts compress oddly and cost nothing to read


class TableError(ValueError):
    """The file as a whole cannot be read: wrong type, broken encoding, no header, too large."""


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

    The header is checked at once; a fault further on (a broken byte, too many rows, a damaged
    workbook) raises TableError while the rows are read.
    """
    if check_kind(stream, filename) == "xlsx":
        return _read_xlsx(stream)
    return _read_csv(stream, encoding)


def _too_many_rows() -> TableError:
    return TableError(
        _("the file has more than %(limit)s data rows; split it into several files")
        % {"limit": f"{MAX_ROWS:,}"}
    )


def _check_header(header: list[str]) -> list[str]:
    while header and not header[-1]:
        header.pop()
    if len(header) > MAX_COLUMNS:
        raise TableError(
            _("the first row names %(count)s columns; at most %(limit)s are allowed")
            % {"count": len(header), "limit": MAX_COLUMNS}
        )
    return header


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
        header = _check_header([cell.strip().lower() for cell in next(reader)])
    except StopIteration:
        raise TableError(_("the file is empty: the first line must name the columns")) from None
    except csv.Error as exc:
        raise TableError(_("line 1: %(error)s") % {"error": exc}) from None
    return header, _csv_rows(reader, header)


def _csv_rows(reader, header: list[str]) -> Iterator[Row]:
    count = 0
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:  # a field beyond the csv module's limit, a stray quote
            raise TableError(
                _("line %(line)s: the line cannot be read as CSV: %(error)s")
                % {"line": reader.line_num, "error": exc}
            ) from None
        if not any(cell.strip() for cell in values):
            continue
        count += 1
        if count > MAX_ROWS:
            raise _too_many_rows()
        yield Row(reader.line_num, _zip(header, values))


def _sniff(text: str) -> type[csv.Dialect] | csv.Dialect:
    first_line = text.split("\n", 1)[0]
    # Russian Excel writes semicolons; everyone else commas.
    if first_line.count(";") > first_line.count(","):
        return _Semicolon
    return csv.excel


class _Semicolon(csv.excel):
    delimiter = ";"


def _check_archive(stream: BinaryIO) -> None:
    """Refuse a workbook whose parts would unpack too large, before reading any of them."""
    try:
        with zipfile.ZipFile(stream) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as exc:
        raise TableError(_("the workbook cannot be opened: %(error)s") % {"error": exc}) from None
    finally:
        stream.seek(0)
    if len(parts) > XLSX_MAX_PARTS:
        raise TableError(
            _("the workbook holds %(count)s parts; at most %(limit)s are allowed")
            % {"count": len(parts), "limit": XLSX_MAX_PARTS}
        )
    for part in parts:
        if part.file_size > XLSX_MAX_PART_BYTES:
            raise TableError(
                _("the workbook part %(part)s unpacks to %(size)s; at most %(limit)s")
                % {
                    "part": part.filename,
                    "size": filesizeformat(part.file_size),
                    "limit": filesizeformat(XLSX_MAX_PART_BYTES),
                }
            )
        if part.file_size > XLSX_RATIO_FROM_BYTES and part.file_size > XLSX_MAX_RATIO * max(
            part.compress_size, 1
        ):
            raise TableError(
                _(
                    "the workbook part %(part)s is compressed %(ratio)s to 1; at most "
                    "%(limit)s to 1 is allowed (a zip bomb?)"
                )
                % {
                    "part": part.filename,
                    "ratio": part.file_size // max(part.compress_size, 1),
                    "limit": XLSX_MAX_RATIO,
                }
            )
    total = sum(part.file_size for part in parts)
    if total > XLSX_MAX_TOTAL_BYTES:
        raise TableError(
            _("the workbook unpacks to %(size)s; at most %(limit)s")
            % {"size": filesizeformat(total), "limit": filesizeformat(XLSX_MAX_TOTAL_BYTES)}
        )


def _read_xlsx(stream: BinaryIO) -> tuple[list[str], Iterator[Row]]:
    import openpyxl

    _check_archive(stream)
    try:
        workbook = openpyxl.load_workbook(stream, read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
    except Exception as exc:  # openpyxl raises many types for a damaged archive
        raise TableError(_("the workbook cannot be opened: %(error)s") % {"error": exc}) from None
    # The sheet's own <dimension> may claim A1:XFD1048576, and a read-only sheet pads every
    # row to it: forget it, and never read past the limits whatever the cells say.
    sheet.reset_dimensions()
    try:
        first = next(sheet.iter_rows(max_row=1, max_col=MAX_COLUMNS + 1, values_only=True), ())
    except Exception as exc:  # a damaged part shows only when it is read
        workbook.close()
        raise TableError(_("the workbook cannot be read: %(error)s") % {"error": exc}) from None
    header = _check_header([_cell_text(cell).lower() for cell in first])
    if not header:
        workbook.close()
        raise TableError(_("the first sheet is empty: its first row must name the columns"))
    return header, _xlsx_rows(workbook, sheet, header)


def _xlsx_rows(workbook, sheet, header: list[str]) -> Iterator[Row]:
    # Rows come numbered, gaps filled with empty ones: a cell in row 1,048,576 is refused after
    # MAX_ROWS cheap empty rows, not read after a million.
    cells = sheet.iter_rows(min_row=2, max_col=len(header), values_only=True)
    try:
        for number, values in enumerate(cells, start=2):
            if number > MAX_ROWS + 1:
                raise _too_many_rows()
            texts = [_cell_text(cell) for cell in values]
            if any(texts):
                yield Row(number, _zip(header, texts))
    except TableError:
        raise
    except Exception as exc:  # a damaged part shows only when it is read
        raise TableError(_("the workbook cannot be read: %(error)s") % {"error": exc}) from None
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
