"""A long, valid resume PDF that genuinely takes the parser seconds: 30 pages of dense text that
pdfminer lays out character by character (about 4 s in the sandbox on a 2-core machine), so that
a drill can kill the worker while it is parsing."""

from tests.hostile_files import pdf_document

CONTACT = ["Jane Roe", "jane.roe@example.com | +44 20 7946 0958 | London", "", "Experience", ""]
ROLE = "Senior Engineer at Company {0}, 2015 - 2020: built distributed systems and data pipelines"
LINES_PER_PAGE = 70


def long_resume_pdf(pages: int = 30) -> bytes:
    body = [ROLE.format(n) for n in range(LINES_PER_PAGE)]
    return _pdf([CONTACT + body] + [body] * (pages - 1))


def _pdf(pages: list[list[str]]) -> bytes:
    """PDF 1.4 with one Helvetica text block per page (a standard font: nothing to embed)."""
    objects = [b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    pages_ref = 1 + 2 * len(pages) + 1  # after the font, each page's content and page objects
    kids = []
    for lines in pages:
        stream = _text_stream(lines)
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
        objects.append(
            b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] "
            b"/Resources << /Font << /F1 1 0 R >> >> /Contents %d 0 R >>"
            % (pages_ref, len(objects))
        )
        kids.append(b"%d 0 R" % len(objects))
    objects.append(b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), len(kids)))
    objects.append(b"<< /Type /Catalog /Pages %d 0 R >>" % pages_ref)
    return pdf_document(objects, root=len(objects))


def _text_stream(lines: list[str]) -> bytes:
    escaped = (line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") for line in lines)
    operators = ["BT /F1 9 Tf 11 TL 40 800 Td", *(f"({line}) '" for line in escaped), "ET"]
    return "\n".join(operators).encode("latin-1")
