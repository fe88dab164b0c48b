"""The text of a PDF (pdfminer.six), refusing decompression bombs and overlong page trees."""

import io
import logging
import re
import zlib

from pdfminer.converter import PDFPageAggregator, TextConverter
from pdfminer.layout import LAParams
from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import resolve1

from candidates.parsing import ocr
from candidates.parsing.limits import MAX_INFLATED_PDF_BYTES, MAX_PDF_PAGES, MAX_TEXT_CHARS
from candidates.parsing.pdf_layout import page_text
from candidates.parsing.result import ParseError

logger = logging.getLogger(__name__)


def extract_pdf_text(data: bytes, *, max_pages: int = MAX_PDF_PAGES) -> str:
    reject_decompression_bombs(data)
    try:
        document = open_pdf(data)
        check_page_count(document, max_pages)
        text = render_pdf_pages(document, max_pages)
        return ocr.with_text_of_scanned_pages(data, document, text)
    except ParseError:
        raise
    except MemoryError as error:
        reason = "The PDF needs too much memory to read; it may be a decompression bomb."
        raise ParseError(reason) from error
    except PDFPasswordIncorrect as error:
        reason = "The PDF is password-protected; please upload an unprotected copy."
        raise ParseError(reason) from error
    except PDFEncryptionError as error:
        raise ParseError("The PDF is encrypted in a way that cannot be read.") from error
    except RecursionError as error:
        reason = "The PDF structure is too deeply nested to read; the file may be damaged."
        raise ParseError(reason) from error
    # pdfminer signals broken input with many exception types (PSEOF, KeyError, TypeError, ...).
    except Exception as error:
        logger.info("pdfminer failed: %r", error)
        raise ParseError("The file is damaged or truncated.") from error


def open_pdf(data: bytes) -> PDFDocument:
    parser = PDFParser(io.BytesIO(data))
    return PDFDocument(parser, password="")


def check_page_count(document: PDFDocument, max_pages: int) -> None:
    """Reject long documents from the declared page count, before any page is interpreted."""
    pages = resolve1(document.catalog.get("Pages"))
    declared = resolve1(pages.get("Count")) if isinstance(pages, dict) else None
    if isinstance(declared, int) and declared > max_pages:
        raise ParseError(f"The PDF has {declared} pages; the limit is {max_pages}.")


def render_pdf_pages(document: PDFDocument, max_pages: int) -> str:
    """Each page's text in reading order (pdf_layout: columns and sidebars read in turn)."""
    resources = PDFResourceManager(caching=True)
    device = PDFPageAggregator(resources, laparams=LAParams(boxes_flow=None))
    interpreter = PDFPageInterpreter(resources, device)
    pages: list[str] = []
    length = 0
    # The declared /Count can lie, so the limit is enforced while walking the page tree too.
    for page_number, page in enumerate(PDFPage.create_pages(document), start=1):
        if page_number > max_pages:
            raise ParseError(f"The PDF has more than {max_pages} pages; the limit is {max_pages}.")
        interpreter.process_page(page)
        pages.append(page_text(device.get_result()))
        length += len(pages[-1])
        if length > MAX_TEXT_CHARS:
            break
    # Each page ends with a form feed, as pdfminer's own text output does (ocr.py counts on it).
    return "".join(f"{page}\n\f" for page in pages)[:MAX_TEXT_CHARS]


def render_pdf_pages_in_stream_order(document: PDFDocument, max_pages: int) -> str:
    output = io.StringIO()
    resources = PDFResourceManager(caching=True)
    # boxes_flow=None keeps the top-to-bottom order, which puts the name above the contact line.
    with TextConverter(resources, output, laparams=LAParams(boxes_flow=None)) as device:
        interpreter = PDFPageInterpreter(resources, device)
        # The declared /Count can lie, so the limit is enforced while walking the page tree too.
        for page_number, page in enumerate(PDFPage.create_pages(document), start=1):
            if page_number > max_pages:
                raise ParseError(
                    f"The PDF has more than {max_pages} pages; the limit is {max_pages}."
                )
            interpreter.process_page(page)
            if output.tell() > MAX_TEXT_CHARS:
                break
    return output.getvalue()[:MAX_TEXT_CHARS]


STREAM_START = re.compile(rb"(?<!end)stream(?:\r\n|\n|\r)")


def reject_decompression_bombs(data: bytes) -> None:
    """Inflate each zlib stream in bounded chunks, to refuse a bomb before pdfminer inflates it."""
    budget = MAX_INFLATED_PDF_BYTES
    for match in STREAM_START.finditer(data):
        budget -= inflated_size(data, match.end(), budget + 1)
        if budget < 0:
            raise ParseError(
                "The PDF contains compressed data that expands to an unreasonable size "
                "(a decompression bomb)."
            )


def inflated_size(data: bytes, start: int, limit: int) -> int:
    """Bytes a zlib stream at `start` inflates to, counting at most `limit`; 0 if it is not zlib."""
    inflater = zlib.decompressobj()
    view = memoryview(data)
    position, total, pending = start, 0, b""
    while total < limit and not inflater.eof:
        if not pending:
            pending = view[position : position + 65536]
            position += len(pending)
            if not pending:
                break
        try:
            total += len(inflater.decompress(pending, 1 << 20))
        except zlib.error:
            break
        pending = inflater.unconsumed_tail
    return total
