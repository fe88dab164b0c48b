"""The text of scanned PDF pages (pages without a text layer), recognised by Tesseract.

Each such page is rasterised by poppler's pdftoppm and read by the tesseract program, in English
first and again in the language its words suggest. Image and page sizes are checked before
anything is rasterised, so that an image bomb is refused instead of decoded.
"""

import logging
import math
import tempfile
from pathlib import Path

from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdfpage import PDFPage
from pdfminer.pdftypes import PDFStream, resolve1
from pdfminer.psparser import literal_name

from candidates.parsing.language import guess_language
from candidates.parsing.limits import (
    MAX_OCR_PAGES,
    MAX_PDF_IMAGE_PIXELS,
    MAX_SCAN_PAGE_PIXELS,
    OCR_DPI,
)
from candidates.parsing.result import ParseError
from candidates.parsing.tools import run_tool

logger = logging.getLogger(__name__)

SCANNED_REASON = (
    "This file is a scanned image without text, and no text could be recognised in it. "
    "Please upload a copy with selectable text (a PDF or Word file)."
)
# A page with fewer characters than this has no text layer worth the name (a stray page number).
MIN_PAGE_CHARACTERS = 20
MIN_OCR_DPI = 72
MAX_XOBJECTS = 500


def with_text_of_scanned_pages(data: bytes, document: PDFDocument, text: str) -> str:
    """`text` (pages separated by form feeds) with each page that has none read by OCR."""
    page_texts = text.split("\f")  # pdfminer ends every page with a form feed
    if not any(map(is_blank, page_texts[:-1])) and not is_blank(text):
        return text
    pages = list(PDFPage.create_pages(document))
    if len(page_texts) - 1 != len(pages):  # no page breaks to go by
        if not is_blank(text):
            return text
        page_texts = [""] * (len(pages) + 1)
    blank = [number for number, page in enumerate(page_texts[:-1]) if is_blank(page)]
    to_read = blank[:MAX_OCR_PAGES]
    for number in to_read:
        check_scan_size(pages[number], number + 1)
    recognised = recognise_pages(data, [(number + 1, pages[number]) for number in to_read])
    for number, page_text in zip(to_read, recognised, strict=True):
        page_texts[number] = page_text
    combined = "\f".join(page_texts)
    if is_blank(combined):
        raise ParseError(SCANNED_REASON)
    return combined


def is_blank(text: str) -> bool:
    return len("".join(text.split())) < MIN_PAGE_CHARACTERS


def check_scan_size(page: PDFPage, number: int) -> None:
    """Refuse a page whose images or own size would need an unreasonable number of pixels."""
    for width, height in page_image_sizes(resolve1(page.resources)):
        if width * height > MAX_PDF_IMAGE_PIXELS:
            raise ParseError(
                f"Page {number} of the PDF holds an image of {width:,} × {height:,} pixels, "
                "too large to read; the file may be damaged or an image bomb."
            )
    if ocr_dpi(page) < MIN_OCR_DPI:
        raise ParseError(
            f"Page {number} of the PDF is too large to read as a scan; "
            "the file may be damaged or an image bomb."
        )


def page_image_sizes(resources: object) -> list[tuple[int, int]]:
    """Declared pixel sizes of the images a page draws, including those inside forms (each
    XObject counted once, MAX_XOBJECTS at most: forms may name one another in circles)."""
    sizes: list[tuple[int, int]] = []
    pending, seen = [resources], set()
    while pending and len(seen) < MAX_XOBJECTS:
        current = resolve1(pending.pop())
        xobjects = resolve1(current.get("XObject")) if isinstance(current, dict) else None
        for value in xobjects.values() if isinstance(xobjects, dict) else ():
            key = getattr(value, "objid", None)  # streams are always indirect objects
            stream = resolve1(value)
            if not isinstance(stream, PDFStream) or key is None or key in seen:
                continue
            seen.add(key)
            subtype = resolve1(stream.attrs.get("Subtype"))
            kind = literal_name(subtype) if subtype is not None else ""
            width, height = (
                resolve1(stream.attrs.get("Width")),
                resolve1(stream.attrs.get("Height")),
            )
            if kind == "Image" and isinstance(width, int) and isinstance(height, int):
                sizes.append((width, height))
            elif kind == "Form":
                pending.append(stream.attrs.get("Resources"))
            if len(seen) >= MAX_XOBJECTS:
                break
    return sizes


def ocr_dpi(page: PDFPage) -> int:
    """OCR_DPI, or less when the page is so large that it would exceed the pixel budget."""
    x0, y0, x1, y1 = (float(value) for value in page.cropbox)
    square_inches = max(abs(x1 - x0) * abs(y1 - y0), 1.0) / 72**2
    return min(OCR_DPI, math.floor(math.sqrt(MAX_SCAN_PAGE_PIXELS / square_inches)))


def recognise_pages(data: bytes, pages: list[tuple[int, PDFPage]]) -> list[str]:
    """Each page's text; the first page read tells the language used for the others."""
    texts: list[str] = []
    languages = ""
    with tempfile.TemporaryDirectory(prefix="ocr-") as directory:
        home = Path(directory)
        (home / "scan.pdf").write_bytes(data)
        for number, page in pages:
            image = rasterise(home, number, ocr_dpi(page))
            if image is None:
                texts.append("")
            elif languages:
                texts.append(tesseract(home, image, languages))
            else:
                text, languages = read_in_its_language(home, image)
                texts.append(text)
    return texts


def rasterise(home: Path, number: int, dpi: int) -> str | None:
    image = f"page-{number}"
    rasterised = run_tool(
        [
            "pdftoppm",
            "-r",
            str(dpi),
            "-f",
            str(number),
            "-l",
            str(number),
            "-gray",
            "-singlefile",
            "scan.pdf",
            image,
        ],
        home=home,
    )
    return f"{image}.pgm" if rasterised else None


def read_in_its_language(home: Path, image: str) -> tuple[str, str]:
    """The page's text, read in English and again in the language its words suggest; and that
    language ("" until a page had words)."""
    text = tesseract(home, image, "eng")
    language = guess_language(text)
    if language == "eng":
        return text, "eng" if text.strip() else ""
    return tesseract(home, image, f"{language}+eng") or text, f"{language}+eng"


def tesseract(home: Path, image: str, languages: str) -> str:
    # One thread: the sandbox's CPU limit counts every thread, and the machine serves others.
    read = run_tool(
        ["tesseract", image, "stdout", "-l", languages],
        home=home,
        environment={"OMP_THREAD_LIMIT": "1"},
    )
    return read.stdout.decode(errors="replace") if read else ""
