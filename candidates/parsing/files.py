"""File type sniffing, which names fit which contents, and the plain text of a resume file."""

import struct
from pathlib import PurePath

from candidates.parsing.docx import extract_docx_text
from candidates.parsing.limits import MAX_PDF_PAGES, MAX_TEXT_CHARS
from candidates.parsing.office import extract_office_text
from candidates.parsing.pdf import extract_pdf_text
from candidates.parsing.result import ParseError

PROGRAM_MAGIC = (
    b"\x7fELF",  # Linux and BSD executables
    b"MZ",  # Windows executables
    b"\xfe\xed\xfa",  # Mach-O, big-endian
    b"\xce\xfa\xed\xfe",  # Mach-O 32-bit, little-endian
    b"\xcf\xfa\xed\xfe",  # Mach-O 64-bit, little-endian
    b"\xca\xfe\xba\xbe",  # Mach-O universal binaries, Java classes
    b"#!",  # scripts
)
IMAGE_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"II*\x00", b"MM\x00*")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


def sniff_kind(data: bytes) -> str:
    """pdf, odt, zip (.docx among others), ole (.doc), rtf, program, image, archive, text or
    binary, from the first bytes."""
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        return "odt" if first_zip_member(data) == (b"mimetype", ODT_MIMETYPE) else "zip"
    if data.startswith(OLE_MAGIC):
        return "ole"
    if data.startswith(b"{\\rtf"):
        return "rtf"
    if data.startswith(PROGRAM_MAGIC):
        return "program"
    if data.startswith(IMAGE_MAGIC) or data[8:12] == b"WEBP":
        return "image"
    if data.startswith((b"\x1f\x8b", b"BZh", b"\xfd7zXZ", b"7z\xbc\xaf", b"Rar!")):
        return "archive"
    return "text" if looks_like_text(data) else "binary"


def first_zip_member(data: bytes) -> tuple[bytes, bytes]:
    """Name and stored content of the first member: OpenDocument puts its media type there."""
    if len(data) < 30:
        return b"", b""
    size, name_length, extra_length = struct.unpack("<I4xHH", data[18:30])
    name_end = 30 + name_length
    return data[30:name_end], data[name_end + extra_length : name_end + extra_length + size]


def looks_like_text(data: bytes) -> bool:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    sample = data[:8192]
    if b"\x00" in sample:
        return False
    control = sum(1 for byte in sample if byte < 32 and byte not in b"\t\n\r\f")
    return control <= len(sample) // 100


WORD_PROCESSOR_KINDS = frozenset({"zip", "ole", "rtf", "odt"})
# Which contents each resume file name may hold. Word processors save any of their formats under
# any of these names (and people rename them), so those are read by their content.
RESUME_KINDS = {
    ".pdf": frozenset({"pdf"}),
    ".docx": WORD_PROCESSOR_KINDS,
    ".doc": WORD_PROCESSOR_KINDS,
    ".odt": WORD_PROCESSOR_KINDS,
    ".rtf": WORD_PROCESSOR_KINDS,
    ".txt": frozenset({"text"}),
}
KIND_NAMES = {
    "pdf": "a PDF",
    "zip": "a ZIP archive",
    "odt": "an OpenDocument text (.odt)",
    "ole": "an older Word document (.doc)",
    "rtf": "an RTF document",
    "program": "a program",
    "image": "an image",
    "archive": "a compressed archive",
    "text": "plain text",
    "binary": "not a document we recognise",
}
KIND_DESCRIPTIONS = {kind: f"it looks like {name}" for kind, name in KIND_NAMES.items()} | {
    "zip": "it is a ZIP archive",
    "binary": "its content is not recognised",
}


def content_mismatch(extension: str, kind: str) -> str:
    """Why a file named `extension` cannot hold `kind` contents, in plain words; "" if it can."""
    if extension not in RESUME_KINDS or kind in RESUME_KINDS[extension]:
        return ""
    reason = f"This file is named {extension} but its contents are {KIND_NAMES[kind]}"
    if kind == "pdf":
        return reason + "; rename it to .pdf and upload it again."
    return reason + "."


def extract_text(data: bytes, filename: str, *, max_pages: int = MAX_PDF_PAGES) -> str:
    """Plain text of a resume, read by its content; the file name must fit the content."""
    if not data:
        raise ParseError("The file is empty.")
    kind = sniff_kind(data)
    extension = PurePath(filename).suffix.lower()
    if extension == ".pdf" and kind != "pdf":
        raise ParseError(f"The file is not a valid PDF ({KIND_DESCRIPTIONS[kind]}).")
    if RESUME_KINDS.get(extension) == WORD_PROCESSOR_KINDS and kind not in WORD_PROCESSOR_KINDS:
        raise ParseError(
            f"This {extension} file is not a Word document ({KIND_DESCRIPTIONS[kind]})."
        )
    if kind == "pdf":
        return extract_pdf_text(data, max_pages=max_pages)
    if kind == "zip":
        return extract_docx_text(data, extension)
    if kind in ("ole", "rtf", "odt"):
        return extract_office_text(data, kind)[:MAX_TEXT_CHARS]
    if kind == "text":
        return decode_text(data)[:MAX_TEXT_CHARS]
    raise ParseError(
        f"Unsupported file type ({KIND_DESCRIPTIONS[kind]}); "
        "please upload a PDF, Word, OpenDocument, RTF or text file."
    )


def decode_text(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")
