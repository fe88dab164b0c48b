"""The text of a Word (.docx) file: headers first, then the body, text boxes included."""

import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from xml.etree import ElementTree

from candidates.parsing.limits import MAX_DOCX_XML_BYTES, MAX_TEXT_CHARS
from candidates.parsing.result import ParseError

WORD_NAMESPACE = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MARKUP_COMPATIBILITY_FALLBACK = (
    "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
)
DOCX_BODY = "word/document.xml"
DOCX_HEADER = re.compile(r"word/header\d*\.xml")


def extract_docx_text(data: bytes, extension: str = ".docx") -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            if DOCX_BODY not in names:
                if extension == ".docx":
                    raise ParseError("This .docx file is not a Word document.")
                raise ParseError("The file is a ZIP archive, not a Word document.")
            # Word resumes often keep the name and contacts in the page header.
            parts = sorted(name for name in names if DOCX_HEADER.fullmatch(name)) + [DOCX_BODY]
            text = "\n".join(docx_part_text(read_zip_member(archive, name)) for name in parts)
    except zipfile.BadZipFile as error:
        raise ParseError("The file is damaged or truncated.") from error
    return text[:MAX_TEXT_CHARS]


def read_zip_member(archive: zipfile.ZipFile, name: str) -> bytes:
    """Read one member, refusing it when its declared or actual inflated size is over the cap."""
    too_big = ParseError("The Word document is too large to read; it may be a decompression bomb.")
    if archive.getinfo(name).file_size > MAX_DOCX_XML_BYTES:
        raise too_big
    try:
        with archive.open(name) as member:
            content = member.read(MAX_DOCX_XML_BYTES + 1)
    # zipfile raises NotImplementedError for a compression method it lacks, RuntimeError for an
    # encrypted member: both are files we cannot read, not a missing feature of ours.
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as error:
        raise ParseError("The file is damaged or truncated.") from error
    if len(content) > MAX_DOCX_XML_BYTES:
        raise too_big
    return content


def docx_part_text(xml: bytes) -> str:
    # Office XML never declares a DTD; refusing one rules out entity-expansion attacks.
    if b"<!DOCTYPE" in xml[:4096].upper():
        raise ParseError("The Word document contains unsupported XML.")
    try:
        root = ElementTree.fromstring(xml)
    except ElementTree.ParseError as error:
        raise ParseError("The file is damaged or truncated.") from error
    try:
        return "\n".join(docx_paragraphs(root))
    except RecursionError as error:
        raise ParseError("The Word document is nested too deeply to read.") from error


def docx_paragraphs(element: ElementTree.Element) -> Iterator[str]:
    for child in element:
        if child.tag == MARKUP_COMPATIBILITY_FALLBACK:
            continue  # duplicate of the preceding mc:Choice content
        if child.tag == WORD_NAMESPACE + "p":
            yield from docx_paragraph_lines(child)
        else:
            yield from docx_paragraphs(child)


def docx_paragraph_lines(paragraph: ElementTree.Element) -> Iterator[str]:
    """The paragraph's own text, then the text of paragraphs nested in it (text boxes)."""
    pieces: list[str] = []
    nested: list[ElementTree.Element] = []

    def walk(node: ElementTree.Element) -> None:
        for child in node:
            tag = child.tag
            if tag == MARKUP_COMPATIBILITY_FALLBACK:
                continue
            if tag == WORD_NAMESPACE + "p":
                nested.append(child)
            elif tag == WORD_NAMESPACE + "t":
                pieces.append(child.text or "")
            elif tag == WORD_NAMESPACE + "tab":
                pieces.append("\t")
            elif tag in (WORD_NAMESPACE + "br", WORD_NAMESPACE + "cr"):
                pieces.append("\n")
            else:
                walk(child)

    walk(paragraph)
    yield "".join(pieces)
    for inner in nested:
        yield from docx_paragraph_lines(inner)
