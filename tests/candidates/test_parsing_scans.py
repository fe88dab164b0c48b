"""Scanned resumes (PDF pages without a text layer) are read by OCR in the sandbox; when nothing
can be recognised, the reason says the file is a scanned image without text."""

import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from candidates.parsing import ParseError, ocr, parse_resume, tools
from candidates.parsing.ocr import SCANNED_REASON
from candidates.parsing.pdf import open_pdf, render_pdf_pages
from candidates.sandbox import parse_in_subprocess
from devtools.scans import scanned_copy
from tests.hostile_files import NORMAL_RESUME, image_bomb_pdf, pdf_document, pdf_stream

WIN_ANSI_FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"


def typed_pages(*pages: list[str]) -> bytes:
    """A PDF with a text layer, one page per list of 14 pt lines (cp1252 text)."""
    count = len(pages)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Count %d /Kids [%s] >>"
        % (count, b" ".join(b"%d 0 R" % (4 + 2 * index) for index in range(count))),
        WIN_ANSI_FONT,
    ]
    for index, lines in enumerate(pages):
        escaped = [line.replace("(", "\\(").replace(")", "\\)") for line in lines]
        shows = b" 0 -22 Td ".join(b"(%s) Tj" % line.encode("cp1252") for line in escaped)
        objects += [
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R"
            b" /Resources << /Font << /F1 3 0 R >> >> >>" % (5 + 2 * index),
            pdf_stream(b"BT /F1 14 Tf 60 780 Td " + shows + b" ET"),
        ]
    return pdf_document(objects)


def test_a_scanned_resume_is_read_by_ocr_in_the_sandbox():
    scan = scanned_copy(NORMAL_RESUME, dpi=150)
    assert render_pdf_pages(open_pdf(scan), max_pages=1).strip() == ""  # no text layer

    started = time.monotonic()
    parsed = parse_in_subprocess(scan, "scan.pdf")

    assert time.monotonic() - started < 10
    assert (parsed.full_name, parsed.email) == ("Jane Roe", "jane.roe@example.com")
    assert parsed.experience[0]["employer"] == "Acme Corp"


def test_a_german_scan_keeps_its_umlauts():
    german = typed_pages(
        ["Jürgen Müller", "juergen.mueller@example.de", "Berufserfahrung",
         "Bäckerei Schäfer und Söhne, Verkäufer, seit 2019 bis heute",
         "Ausbildung", "Universität Köln, Studium der Betriebswirtschaft"],
    )  # fmt: skip
    parsed = parse_resume(scanned_copy(german, dpi=200), "lebenslauf.pdf")
    assert parsed.full_name == "Jürgen Müller"
    assert "Universität Köln" in parsed.text


def test_only_the_page_without_text_is_read_by_ocr():
    typed = typed_pages(["Jane Roe", "jane.roe@example.com"], ["References on request"])
    scanned = scanned_copy(typed_pages(["Referee: Anna Smith, Globex"]), dpi=150)
    text = parse_resume(first_page_then(typed, scanned), "cv.pdf").text
    assert "jane.roe@example.com" in text and "Anna Smith" in text
    assert "References on request" not in text


def first_page_then(typed: bytes, scanned: bytes) -> bytes:
    """The first page of `typed`, then the pages of `scanned` (poppler's pdfseparate, pdfunite)."""
    with tempfile.TemporaryDirectory() as directory:
        folder = Path(directory)
        (folder / "typed.pdf").write_bytes(typed)
        (folder / "scanned.pdf").write_bytes(scanned)
        run = {"cwd": folder, "check": True, "capture_output": True}
        subprocess.run(["pdfseparate", "-l", "1", "typed.pdf", "first.pdf"], **run)
        subprocess.run(["pdfunite", "first.pdf", "scanned.pdf", "both.pdf"], **run)
        return (folder / "both.pdf").read_bytes()


def test_a_blank_scan_says_it_is_a_scanned_image_without_text():
    blank = scanned_copy(typed_pages([" "]), dpi=100)
    with pytest.raises(ParseError) as raised:
        parse_in_subprocess(blank, "scan.pdf")
    assert raised.value.reason == SCANNED_REASON


def test_without_tesseract_a_scan_says_it_is_a_scanned_image_without_text(monkeypatch):
    scan = scanned_copy(NORMAL_RESUME, dpi=100)
    assert parse_resume(scan, "scan.pdf").full_name == "Jane Roe"

    monkeypatch.setattr(tools, "SYSTEM_PATH", "/nonexistent")
    with pytest.raises(ParseError) as raised:
        parse_resume(scan, "scan.pdf")
    assert raised.value.reason.startswith("This file is a scanned image without text")


def test_an_image_bomb_is_refused_before_it_is_rasterised():
    started = time.monotonic()
    with pytest.raises(ParseError) as raised:
        parse_in_subprocess(image_bomb_pdf(), "scan.pdf")
    assert time.monotonic() - started < 5
    assert "holds an image of 65,000 × 65,000 pixels" in raised.value.reason


def test_a_page_too_large_to_rasterise_is_refused():
    huge_page = scanned_copy(NORMAL_RESUME, dpi=72).replace(
        b"/MediaBox [0 0 612.00 792.00]", b"/MediaBox [0 0 99999 99999]"
    )
    with pytest.raises(ParseError, match="too large to read as a scan"):
        parse_resume(huge_page, "scan.pdf")


def test_the_first_page_read_tells_the_language_of_the_next_ones(monkeypatch):
    page = ["Jürgen Müller", "Berufserfahrung", "Bäckerei Schäfer und Söhne, seit 2019 bis heute"]
    languages = []
    read = ocr.tesseract

    def recording(home, image, language):
        languages.append(language)
        return read(home, image, language)

    monkeypatch.setattr(ocr, "tesseract", recording)
    text = parse_resume(scanned_copy(typed_pages(page, page), dpi=150), "cv.pdf").text
    assert text.count("Müller") == 2
    assert languages == ["eng", "deu+eng", "deu+eng"]


def test_an_image_bomb_inside_forms_that_name_one_another_is_refused_quickly():
    side = 65_000
    jpeg = b"\xff\xd8\xff\xc0\x00\x0b\x08" + side.to_bytes(2) * 2 + b"\x01\x01\x11\x00\xff\xd9"
    names = b"".join(b"/Inner%d 5 0 R " % number for number in range(100))  # 100 ways in, each
    circular = pdf_document(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Count 1 /Kids [3 0 R] >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
            b" /Resources << /XObject << /Outer 5 0 R >> >> >>",
            pdf_stream(b"/Outer Do"),
            b"<< /Type /XObject /Subtype /Form /BBox [0 0 612 792] /Length 13"
            b" /Resources << /XObject << %s /Bomb 6 0 R >> >> >>\nstream\nq /Bomb Do Q\nendstream"
            % names,
            b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray"
            b" /BitsPerComponent 8 /Filter /DCTDecode /Length %d >>\nstream\n%s\nendstream"
            % (side, side, len(jpeg), jpeg),
        ]
    )
    started = time.monotonic()
    with pytest.raises(ParseError, match="holds an image of 65,000 × 65,000 pixels"):
        parse_in_subprocess(circular, "scan.pdf")
    assert time.monotonic() - started < 5
