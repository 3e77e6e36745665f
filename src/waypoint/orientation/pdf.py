"""The career plan as a PDF: fpdf2 and the PT Sans font, both from PyPI, so no system
renderer. The words are the page's (plans.readable), so page and PDF say the same."""

from io import BytesIO

from django.utils import translation
from django.utils.translation import gettext as _

from waypoint.kit.dates import local_date
from waypoint.orientation.models import CareerPlan
from waypoint.orientation.plans import changes_of, readable, signatories, work_text


def render_plan(plan: CareerPlan, language: str) -> bytes:
    """The plan as a PDF, in `language`."""
    from waypoint.kit.pdf import document  # fpdf2 loads only when a PDF is asked for

    content = plan.content
    words = readable(content, language)
    with translation.override(language):
        pdf = document()
        pdf.add_page()
        pdf.set_title(_("Individual career plan"))

        def heading(text: str, size: int = 13) -> None:
            pdf.ln(3)
            pdf.set_font("PTSans", "B", size)
            pdf.multi_cell(0, 7, text, new_x="LMARGIN", new_y="NEXT")
            pdf.set_font("PTSans", "", 11)

        def line(text: str) -> None:
            pdf.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")

        heading(_("Individual career plan"), 18)
        line(
            f"{content['veteran']['name']} · "
            + _("version %(v)s of %(d)s") % {"v": plan.version, "d": local_date(plan.created_at)}
        )
        heading(_("What changed in this version"))
        for text in changes_of(plan, language):
            line(f"• {text}")
        heading(_("Profile"))
        for s in content["veteran"]["service"]:
            line(
                _("Military service: %(s)s, %(a)s–%(b)s")
                % {"s": s["specialty"], "a": s["from"], "b": s["to"] or "…"}
            )
        for j in content["veteran"]["jobs"]:
            line(
                _("Civilian job: %(t)s, %(a)s–%(b)s")
                % {"t": j["title"], "a": j["from"], "b": j["to"] or "…"}
            )
        if content["veteran"]["licences"]:
            line(_("Driving licences: %(l)s") % {"l": ", ".join(content["veteran"]["licences"])})
        if content.get("work"):
            line(work_text(content["work"]))
        heading(_("Occupations"))
        for o in words["occupations"]:
            line(f"• {o['label']} (ISCO-08 {o['isco_group']}) — {o['status_text']}")
            if o["sentences"]:
                pdf.set_x(pdf.l_margin + 4)
                pdf.multi_cell(
                    0, 6, " ".join(o["sentences"]), align="L", new_x="LMARGIN", new_y="NEXT"
                )
        heading(_("Steps"))
        for step in words["steps"]:
            pdf.cell(DATE_COLUMN, 6, step["due"])
            pdf.multi_cell(0, 6, step["text"], align="L", new_x="LMARGIN", new_y="NEXT")
        coordinator = content["coordinator"]
        heading(_("Coordinator"))
        line(" · ".join(v for v in (coordinator or {}).values() if v) or _("not assigned"))
        _signatures(pdf, content)
        buffer = BytesIO()
        pdf.output(buffer)
    return buffer.getvalue()


DATE_COLUMN = 28  # mm: the steps' dates, "07.12.2026" or "17 Dec 2026", on one line


def _signatures(pdf, content: dict) -> None:
    """Side by side: each signatory's role and name, a line to sign on and a line for the
    date, with what goes there printed under the line (and a line for the name when no
    coordinator is assigned). Kept whole on one page."""
    if pdf.get_y() + 66 > pdf.page_break_trigger:
        pdf.add_page()
    pdf.ln(6)
    pdf.set_font("PTSans", "B", 13)
    pdf.cell(0, 7, _("Signatures"), new_x="LMARGIN", new_y="NEXT")
    column = (pdf.w - pdf.l_margin - pdf.r_margin) / 2
    top = bottom = pdf.get_y() + 2
    for index, (role, name) in enumerate(signatories(content)):
        x = pdf.l_margin + index * column
        pdf.set_xy(x, top)
        pdf.set_font("PTSans", "B", 11)
        pdf.cell(column - 10, 6, role, new_x="LEFT", new_y="NEXT")
        pdf.set_font("PTSans", "", 11)
        if name:
            pdf.cell(column - 10, 6, name, new_x="LEFT", new_y="NEXT")
        for label in ((_("full name"),) if not name else ()) + (_("signature"), _("date")):
            pdf.ln(10)
            y = pdf.get_y()
            pdf.line(x, y, x + column - 10, y)
            pdf.set_xy(x, y + 0.5)
            pdf.set_font("PTSans", "", 8)
            pdf.cell(column - 10, 4, label, new_x="LEFT", new_y="NEXT")
            pdf.set_font("PTSans", "", 11)
        bottom = max(bottom, pdf.get_y())
    pdf.set_xy(pdf.l_margin, bottom + 4)
