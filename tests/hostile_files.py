"""Hostile uploads, generated (none is committed): decompression and image bombs, a 10,000-page
PDF, password-protected PDF and Word files, RTF nested too deeply or making LibreOffice spin, a ZIP
that is not a Word document, executables named .pdf; and a normal one-page resume to parse after.
The sandbox's tests (tests/candidates/test_parsing_hostile.py) and the worker drill use them."""

import binascii
import functools
import hashlib
import io
import struct
import zipfile
import zlib
from collections.abc import Callable

import phonenumbers

from devtools.scans import scanned_copy

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


def many_pages_pdf(
    pages: int, declared_count: int, content: bytes = b"BT /F1 12 Tf 72 720 Td (Page) Tj ET"
) -> bytes:
    kids = b" ".join(b"%d 0 R" % (4 + index) for index in range(pages))
    page = (
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 3 0 R"
        b" /Resources << /Font << /F1 %d 0 R >> >> >>" % (4 + pages)
    )
    return pdf_document(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Count %d /Kids [%s] >>" % (declared_count, kids),
            pdf_stream(content),
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


PASSWORD_PADDING = bytes.fromhex("28bf4e5e4e758a4164004e56fffa01082e2e00b6d0683e802f0ca9fe6453697a")


def rc4(key: bytes, data: bytes) -> bytes:
    state, j = list(range(256)), 0
    for i in range(256):
        j = (j + state[i] + key[i % len(key)]) % 256
        state[i], state[j] = state[j], state[i]
    out, i, j = bytearray(), 0, 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + state[i]) % 256
        state[i], state[j] = state[j], state[i]
        out.append(byte ^ state[(state[i] + state[j]) % 256])
    return bytes(out)


def password_protected_pdf(password: bytes = b"secret") -> bytes:
    """NORMAL_RESUME's page behind a user password (standard security handler, revision 2)."""
    file_id, permissions = bytes(range(16)), -4
    padded = (password + PASSWORD_PADDING)[:32]
    owner = rc4(hashlib.md5(padded).digest()[:5], padded)
    key = hashlib.md5(padded + owner + struct.pack("<i", permissions) + file_id).digest()[:5]
    user = rc4(key, PASSWORD_PADDING)
    encrypt = b"<< /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P %d >>" % (
        owner.hex().encode(),
        user.hex().encode(),
        permissions,
    )
    document = NORMAL_RESUME.replace(
        b"trailer\n<< /Size 6 /Root 1 0 R >>",
        b"trailer\n<< /Size 6 /Root 1 0 R /Encrypt %s /ID [<%s> <%s>] >>"
        % (encrypt, file_id.hex().encode(), file_id.hex().encode()),
    )
    assert document != NORMAL_RESUME
    return document


def deeply_nested_rtf() -> bytes:
    return b"{\\rtf1 " + b"{" * 200_000 + b"Jane Roe" + b"}" * 200_000 + b"}"


def spinning_rtf() -> bytes:
    """9 MB of empty paragraphs: LibreOffice needs longer than the sandbox allows, or crashes."""
    return b"{\\rtf1 " + b"\\par x" * 1_500_000 + b"}"


def encrypted_word_document() -> bytes:
    """What Word saves for a password-protected .docx: an OLE container, the package encrypted."""
    return OLE_HEADER + bytes(1024) + "EncryptedPackage".encode("utf-16-le") + bytes(1024)


OLE_HEADER = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


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


FULL_PAGE_OF_TEXT = pdf_text(
    *(f"{line:02d} Delivered reporting pipelines for regional sales teams" for line in range(44))
)


@functools.cache
def slow_scan() -> bytes:
    """Three scanned pages full of text: OCR reads them for seconds, so a timeout of a fraction of
    one stops it on any machine (NORMAL_RESUME parses in about 15 ms: too fast to time out)."""
    return scanned_copy(many_pages_pdf(3, 3, content=FULL_PAGE_OF_TEXT), dpi=200)


def is_expected_reason(expected: str | tuple[str, ...], reason: str) -> bool:
    """Whether `reason` contains the expected text (or one of them, for a race of limits)."""
    return any(text in reason for text in ((expected,) if isinstance(expected, str) else expected))


# (name, build, upload name, the reason shown, or part of it; a tuple when limits race)
HOSTILE_FILES: list[tuple[str, Callable[[], bytes], str, str | tuple[str, ...]]] = [
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
        "image-bomb.pdf",
        image_bomb_pdf,
        "resume.pdf",
        "Page 1 of the PDF holds an image of 65,000 × 65,000 pixels, too large to read",
    ),
    (
        "password-protected.pdf",
        password_protected_pdf,
        "resume.pdf",
        "The PDF is password-protected; please upload an unprotected copy.",
    ),
    (
        "password-protected.docx",
        encrypted_word_document,
        "resume.docx",
        "The Word document is password-protected; please upload an unprotected copy.",
    ),
    (
        "deeply-nested.rtf",
        deeply_nested_rtf,
        "resume.rtf",
        "The RTF document is nested too deeply to read",
    ),
    (
        "spinning.rtf",
        spinning_rtf,
        "resume.rtf",
        (
            "Parsing took longer than",
            "Parsing needed more than",
            "This document could not be opened for reading",
        ),
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
