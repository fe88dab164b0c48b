"""File type sniffing, and the plain text of a PDF, DOCX or text file."""

from pathlib import PurePath

from candidates.parsing.docx import extract_docx_text
from candidates.parsing.limits import MAX_PDF_PAGES, MAX_TEXT_CHARS
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


def sniff_kind(data: bytes) -> str:
    """pdf, zip, ole, rtf, program, image, archive, text or binary, from the first bytes."""
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        return "zip"
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


def looks_like_text(data: bytes) -> bool:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    sample = data[:8192]
    if b"\x00" in sample:
        return False
    control = sum(1 for byte in sample if byte < 32 and byte not in b"\t\n\r\f")
    return control <= len(sample) // 100


KIND_DESCRIPTIONS = {
    "program": "it looks like a program",
    "image": "it looks like an image",
    "archive": "it looks like a compressed archive",
    "zip": "it is a ZIP archive",
    "ole": "it looks like an old-style Office file",
    "rtf": "it looks like an RTF document",
    "text": "it looks like plain text",
    "binary": "its content is not recognised",
}


def extract_text(data: bytes, filename: str, *, max_pages: int = MAX_PDF_PAGES) -> str:
    """Plain text of a PDF, DOCX or text resume, read by content; the extension must agree."""
    if not data:
        raise ParseError("The file is empty.")
    kind = sniff_kind(data)
    extension = PurePath(filename).suffix.lower()
    if extension == ".pdf" and kind != "pdf":
        raise ParseError(f"The file is not a valid PDF ({KIND_DESCRIPTIONS[kind]}).")
    if extension == ".docx" and kind != "zip":
        raise ParseError(f"This .docx file is not a Word document ({KIND_DESCRIPTIONS[kind]}).")
    if kind == "pdf":
        return extract_pdf_text(data, max_pages=max_pages)
    if kind == "zip":
        return extract_docx_text(data, extension)
    if kind == "text":
        return decode_text(data)[:MAX_TEXT_CHARS]
    if kind == "ole":
        raise ParseError("Old Word (.doc) files are not supported; please save it as .docx or PDF.")
    raise ParseError(
        f"Unsupported file type ({KIND_DESCRIPTIONS[kind]}); "
        "please upload a PDF, DOCX or text file."
    )


def decode_text(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")
