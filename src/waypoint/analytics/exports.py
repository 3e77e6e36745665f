"""Every table to CSV (UTF-8 with BOM, for spreadsheet programs) and XLSX, as shown: the same
suppressed figures, the same column titles, the definition underneath."""

import csv
import io

from openpyxl import Workbook

from waypoint.analytics.tables import Table


def to_csv(table: Table) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([column.label for column in table.columns])
    writer.writerows(table.values())
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(table: Table) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(table.name[:31])
    sheet.append([table.title])
    sheet.append([column.label for column in table.columns])
    for values in table.values():
        sheet.append(values)
    if table.definition:
        sheet.append([])
        sheet.append([table.definition])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
