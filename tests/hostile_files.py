"""Hostile uploads, generated (none is committed): decompression bombs, a 10,000-page PDF, a ZIP
that is not a Word document, executables named .pdf; and a normal one-page resume to parse after.
The sandbox's tests (tests/candidates/test_parsing_hostile.py) and the worker drill use them."""

import binascii
import io
import struct
import zipfile
import zlib
from collections.abc import Callable

import phonenumbers

ONE_MIB = 2**20
BOMB_MIB = 1100  # inflates to more than 1 GB


def pdf_document(objects: list[bytes], root: int = 1) -> bytes:
    """A PDF whose object n is objects[n - 1] (object `root` is the catalog), with a valid xref
    table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref_offset = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\n" % (len(objects) + 1, root)
    out += b"startxref\n%d\n%%%%EOF\n" % xref_offset
    return bytes(out)


def pdf_stream(data: bytes, filters: bytes = b"") -> bytes:
    return b"<< /Length %d %s >>\nstream\n%s\nendstream" % (len(data), filters, data)


FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def one_page_pdf(content: bytes, filters: bytes = b"") -> bytes:
    return pdf_document(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Count 1 /Kids [3 0 R] >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
            b" /Resources << /Font << /F1 5 0 R >> >> >>",
            pdf_stream(content, filters),
            FONT,
        ]
    )


def many_pages_pdf(pages: int, declared_count: int) -> bytes:
    kids = b" ".join(b"%d 0 R" % (4 + index) for index in range(pages))
    page = (
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 3 0 R"
        b" /Resources << /Font << /F1 %d 0 R >> >> >>" % (4 + pages)
    )
    return pdf_document(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Count %d /Kids [%s] >>" % (declared_count, kids),
            pdf_stream(b"BT /F1 12 Tf 72 720 Td (Page) Tj ET"),
            *[page] * pages,
            FONT,
        ]
    )


def zeros_deflated(mebibytes: int) -> bytes:
    """zlib data inflating to `mebibytes` MiB of zero bytes, built in well under a second.

    After a full flush deflate starts again from an empty window, so compressing the same chunk
    again gives the same bytes: compress it twice, repeat the second copy, then close the stream
    with an empty final block and the Adler-32 of everything.
    """
    chunk = bytes(ONE_MIB)
    compressor = zlib.compressobj(9)
    first = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    repeated = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    checksum = 1
    for _ in range(mebibytes):
        checksum = zlib.adler32(chunk, checksum)
    empty_final_block = b"\x03\x00"
    return first + repeated * (mebibytes - 1) + empty_final_block + struct.pack(">I", checksum)


def flate_bomb_pdf() -> bytes:
    return one_page_pdf(zeros_deflated(BOMB_MIB), b"/Filter /FlateDecode")


def hex_wrapped_flate_bomb_pdf() -> bytes:
    # The hex layer hides the zlib data from the parser's own bomb check: the memory limit stops it.
    hex_data = binascii.hexlify(zeros_deflated(BOMB_MIB)) + b">"
    return one_page_pdf(hex_data, b"/Filter [/ASCIIHexDecode /FlateDecode]")


def image_bomb_pdf() -> bytes:
    """A page without text drawing a JPEG that declares 65,000 × 65,000 pixels (4 gigapixels)."""
    side = 65_000
    start_of_frame = b"\xff\xc0\x00\x0b\x08" + struct.pack(">HH", side, side) + b"\x01\x01\x11\x00"
    jpeg = b"\xff\xd8" + start_of_frame + b"\xff\xd9"
    return pdf_document(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Count 1 /Kids [3 0 R] >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
            b" /Resources << /XObject << /Scan 5 0 R >> >> >>",
            pdf_stream(b"q 612 0 0 792 0 0 cm /Scan Do Q"),
            b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray"
            b" /BitsPerComponent 8 /Filter /DCTDecode /Length %d >>\nstream\n%s\nendstream"
            % (side, side, len(jpeg), jpeg),
        ]
    )


def zip_bomb_docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            chunk = bytes(ONE_MIB)
            for _ in range(BOMB_MIB):
                member.write(chunk)
    return buffer.getvalue()


def zip_without_word_document() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "Not a document")
        archive.writestr("photo.xml", "<photo/>")
    return buffer.getvalue()


def elf_executable() -> bytes:
    return b"\x7fELF\x02\x01\x01\x00" + bytes(56) + b"\x90" * 4096


def windows_executable() -> bytes:
    return b"MZ\x90\x00\x03\x00\x00\x00" + bytes(56) + b"This program cannot be run in DOS mode."


def pdf_text(*lines: str) -> bytes:
    escaped = [line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") for line in lines]
    shows = b" 0 -16 Td ".join(b"(%s) Tj" % line.encode("latin-1") for line in escaped)
    return b"BT /F1 12 Tf 72 720 Td " + shows + b" ET"


VALID_PHONE = phonenumbers.format_number(
    phonenumbers.example_number("US"), phonenumbers.PhoneNumberFormat.INTERNATIONAL
)
NORMAL_RESUME = one_page_pdf(
    pdf_text(
        "Jane Roe",
        f"jane.roe@example.com | {VALID_PHONE}",
        "Experience",
        "Acme Corp, Software Engineer",
        "Jan 2020 - Present",
    )
)


HOSTILE_FILES: list[tuple[str, Callable[[], bytes], str, str]] = [
    (
        "flate-bomb.pdf",
        flate_bomb_pdf,
        "resume.pdf",
        "The PDF contains compressed data that expands to an unreasonable size",
    ),
    (
        "hex-wrapped-flate-bomb.pdf",
        hex_wrapped_flate_bomb_pdf,
        "resume.pdf",
        "memory",
    ),
    ("zip-bomb.docx", zip_bomb_docx, "resume.docx", "too large to read"),
    (
        "10000-pages.pdf",
        lambda: many_pages_pdf(10_000, declared_count=10_000),
        "resume.pdf",
        "The PDF has 10000 pages; the limit is 50.",
    ),
    (
        "10000-pages-declaring-1.pdf",
        lambda: many_pages_pdf(10_000, declared_count=1),
        "resume.pdf",
        "The PDF has more than 50 pages; the limit is 50.",
    ),
    (
        "zip-without-word-document.docx",
        zip_without_word_document,
        "resume.docx",
        "This .docx file is not a Word document.",
    ),
    (
        "elf.pdf",
        elf_executable,
        "resume.pdf",
        "The file is not a valid PDF (it looks like a program).",
    ),
    (
        "mz.pdf",
        windows_executable,
        "resume.pdf",
        "The file is not a valid PDF (it looks like a program).",
    ),
]
