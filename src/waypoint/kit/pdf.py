"""PDF documents from fpdf2 with the PT Sans font from PyPI: Cyrillic and Latin text without a
system renderer or system fonts."""

import fontpkg
from fpdf import FPDF

FONT = "PTSans"


def document(orientation: str = "portrait", margin: float = 15) -> FPDF:
    """An empty A4 document with PT Sans regular and bold registered as FONT."""
    pdf = FPDF(format="A4", orientation=orientation)
    pdf.set_auto_page_break(auto=True, margin=margin)
    pdf.add_font(FONT, "", str(fontpkg.path("PT Sans")))
    pdf.add_font(FONT, "B", str(fontpkg.path("PT Sans", weight=700)))
    return pdf
