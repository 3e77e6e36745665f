"""Spreadsheets and CSV files are read in bounded time and memory, or refused before reading
with the rule they break. The workbooks are crafted here, as an attacker would."""

import csv
import io
import signal
import zipfile

import openpyxl
import pytest

from waypoint.kit import tabular
from waypoint.kit.tabular import Row, TableError, read_table

SHEET = "xl/worksheets/sheet1.xml"


@pytest.fixture
def deadline():
    """Fail the test after 10 s instead of letting a runaway read spin for minutes."""

    def stop(signum, frame):
        raise TimeoutError("still reading after 10 s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, 10)
    yield
    signal.setitimer(signal.ITIMER_REAL, 0)
    signal.signal(signal.SIGALRM, previous)


def workbook(rows, *, sheet_xml: bytes | None = None) -> bytes:
    """An .xlsx as openpyxl writes it, with these rows; its sheet may be replaced."""
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    saved = io.BytesIO()
    book.save(saved)
    source = zipfile.ZipFile(io.BytesIO(saved.getvalue()))
    crafted = io.BytesIO()
    with zipfile.ZipFile(crafted, "w", zipfile.ZIP_DEFLATED) as target:
        for part in source.infolist():
            data = source.read(part)
            if part.filename == SHEET and sheet_xml is not None:
                data = sheet_xml
            target.writestr(part.filename, data)
    return crafted.getvalue()


def read_all(data: bytes, filename: str = "people.xlsx"):
    header, rows = read_table(io.BytesIO(data), filename)
    return header, list(rows)


def bare_workbook(sheet_data: str) -> bytes:
    """The smallest workbook Excel and openpyxl open, its one sheet claiming every cell."""
    package = "http://schemas.openxmlformats.org/package/2006"
    office = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    parts = {
        "[Content_Types].xml": f'<Types xmlns="{package}/content-types">'
        '<Default Extension="rels" ContentType="application/'
        'vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        f'<Override PartName="/{SHEET}" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels": f'<Relationships xmlns="{package}/relationships">'
        f'<Relationship Id="rId1" Type="{office}/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>",
        "xl/workbook.xml": f'<workbook xmlns="{main}" xmlns:r="{office}"><sheets>'
        '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{package}/relationships">'
        f'<Relationship Id="rId1" Type="{office}/worksheet" Target="worksheets/sheet1.xml"/>'
        "</Relationships>",
        SHEET: f'<worksheet xmlns="{main}"><dimension ref="A1:XFD1048576"/>'
        f"<sheetData>{sheet_data}</sheetData></worksheet>",
    }
    crafted = io.BytesIO()
    with zipfile.ZipFile(crafted, "w", zipfile.ZIP_DEFLATED) as target:
        for name, text in parts.items():
            target.writestr(name, text.encode())
    return crafted.getvalue()


def cells(row: int, *texts: str, column: str = "") -> str:
    refs = [f"{column or chr(ord('A') + n)}{row}" for n in range(len(texts))]
    inner = "".join(
        f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'
        for ref, text in zip(refs, texts, strict=True)
    )
    return f'<row r="{row}">{inner}</row>'


def test_a_small_file_claiming_every_cell_of_excel_is_refused_in_bounded_time(deadline):
    data = bare_workbook(
        cells(1, "last_name", "first_name")
        + cells(2, "Волков", "Сергей")
        + cells(1048576, "x", column="XFD")
    )
    assert len(data) < 1700
    header, rows = read_table(io.BytesIO(data), "people.xlsx")
    assert header == ["last_name", "first_name"]
    with pytest.raises(TableError, match="more than 250,000 data rows"):
        list(rows)


def test_a_claimed_dimension_adds_no_empty_cells(deadline):
    data = bare_workbook(cells(1, "last_name", "first_name") + cells(2, "Волков", "Сергей"))
    assert read_all(data) == (
        ["last_name", "first_name"],
        [Row(2, {"last_name": "Волков", "first_name": "Сергей"})],
    )


def test_the_row_limit_counts_the_rows_of_the_sheet(deadline, monkeypatch):
    monkeypatch.setattr(tabular, "MAX_ROWS", 1000)
    data = bare_workbook(cells(1, "name") + cells(2, "x") + cells(1002, "y"))
    _header, rows = read_table(io.BytesIO(data), "people.xlsx")
    assert next(rows) == Row(2, {"name": "x"})
    with pytest.raises(TableError, match="more than 1,000 data rows"):
        next(rows)


def test_too_many_columns_are_refused():
    with pytest.raises(TableError, match="names 65 columns; at most 64 are allowed"):
        read_all(workbook([[f"c{n}" for n in range(65)]]))
    with pytest.raises(TableError, match="names 65 columns; at most 64 are allowed"):
        read_all((",".join(f"c{n}" for n in range(65)) + "\n").encode(), "people.csv")


def test_a_zip_bomb_is_refused_before_it_is_inflated(deadline):
    bomb = b"<!-- " + b" " * (8 * 1024 * 1024) + b" -->"  # 8 MiB that zip to a few KiB
    data = workbook([["name"]], sheet_xml=bomb)
    assert len(data) < 100_000
    with pytest.raises(TableError, match=r"xl/worksheets/sheet1\.xml is compressed \d+ to 1"):
        read_all(data)


@pytest.mark.parametrize(
    ("limit", "value", "message"),
    [
        (
            "XLSX_MAX_PART_BYTES",
            15_000,
            r"part xl/worksheets/sheet1\.xml unpacks to 2\d\.\d\sKB; at most 14\.6\sKB",
        ),
        ("XLSX_MAX_TOTAL_BYTES", 15_000, r"the workbook unpacks to 3\d\.\d\sKB; at most 14\.6"),
        ("XLSX_MAX_PARTS", 3, "holds 9 parts; at most 3"),
    ],
)
def test_the_archive_limits(monkeypatch, limit, value, message):
    monkeypatch.setattr(tabular, limit, value)
    with pytest.raises(TableError, match=message):
        read_all(workbook([["name"], *[["x" * 2000]] * 10]))


def test_a_damaged_workbook_is_an_error_not_a_traceback():
    data = bytearray(workbook([["name"], ["Волков"]]))
    data[len(data) // 2 : len(data) // 2 + 200] = b"\0" * 200
    with pytest.raises(TableError, match="workbook cannot be"):
        read_all(bytes(data))


def test_too_many_csv_rows_and_an_unreadable_line(monkeypatch):
    monkeypatch.setattr(tabular, "MAX_ROWS", 3)
    data = ("name\n" + "x\n" * 4).encode()
    with pytest.raises(TableError, match="more than 3 data rows"):
        read_all(data, "people.csv")
    huge = ("name\n" + '"' + "x" * 2000 + '"\n').encode()
    previous = csv.field_size_limit(1000)
    try:
        with pytest.raises(
            TableError, match="line 2: the line cannot be read as CSV: field larger"
        ):
            read_all(huge, "people.csv")
    finally:
        csv.field_size_limit(previous)
