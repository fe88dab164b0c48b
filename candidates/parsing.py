"""Resume text extraction and field extraction.

Pure Python (pdfminer.six, phonenumbers, stdlib): no Django, so that candidates.sandbox can run it
in a resource-limited child process. Untrusted uploads should go through
candidates.sandbox.parse_in_subprocess rather than calling parse_resume in a web process.
"""

import io
import logging
import re
import unicodedata
import zipfile
import zlib
from collections import Counter, deque
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, field, fields
from pathlib import PurePath
from typing import Any
from xml.etree import ElementTree

import phonenumbers
from pdfminer.converter import TextConverter
from pdfminer.layout import LAParams
from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import resolve1

MAX_PDF_PAGES = 50
MAX_TEXT_CHARS = 200_000
# Budget for all Flate streams of one PDF once inflated; resumes need a few MB at most.
MAX_INFLATED_PDF_BYTES = 128 * 2**20
MAX_DOCX_XML_BYTES = 20 * 2**20
MAX_SUMMARY_CHARS = 600
# Contacts and the name are looked for in this many non-blank lines first.
HEADER_LINES = 40

logger = logging.getLogger(__name__)


class ParseError(Exception):
    """A resume that cannot be parsed; `reason` is short and safe to show to the uploader."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


EXPERIENCE_KEYS = ("employer", "title", "start", "end")


@dataclass
class ParsedResume:
    text: str = ""
    full_name: str = ""
    first_name: str = ""
    last_name: str = ""
    email: str = ""
    phone: str = ""
    phone_as_printed: str = ""
    summary: str = ""
    education_summary: str = ""
    experience: list[dict[str, str]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "ParsedResume":
        values: dict[str, Any] = {
            f.name: str(data.get(f.name) or "") for f in fields(cls) if f.name != "experience"
        }
        values["experience"] = [
            {key: str(entry.get(key) or "") for key in EXPERIENCE_KEYS}
            for entry in data.get("experience") or []
            if isinstance(entry, Mapping)
        ]
        return cls(**values)


# --------------------------------------------------------------------------------------------
# File type sniffing and text extraction
# --------------------------------------------------------------------------------------------

# fmt: off
PROGRAM_MAGIC = (
    b"\x7fELF", b"MZ", b"\xfe\xed\xfa", b"\xce\xfa\xed\xfe", b"\xcf\xfa\xed\xfe", b"\xca\xfe\xba\xbe", b"#!",
)
# fmt: on
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


def extract_pdf_text(data: bytes, *, max_pages: int = MAX_PDF_PAGES) -> str:
    reject_decompression_bombs(data)
    try:
        document = open_pdf(data)
        check_page_count(document, max_pages)
        return render_pdf_pages(document, max_pages)
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


# --------------------------------------------------------------------------------------------
# Text cleaning
# --------------------------------------------------------------------------------------------

ICON_GLYPHS = re.compile("[\ue000-\uf8ff\U000f0000-\U000ffffd\U00100000-\U0010fffd]")
CID_TOKEN = re.compile(r"\(cid:\d+\)")
URI_PREFIX = re.compile(r"\b(?:mailto|tel|callto):\s*", re.IGNORECASE)
SPACE_LIKE = dict.fromkeys(
    map(ord, "\u00a0\u2007\u202f\u2009\u200a\u2002\u2003\u2004\u2005\u2006\t"), " "
)
INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"), None)
# C0 controls other than tab and newlines; PostgreSQL text columns refuse NUL in particular.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f]")
# Some fonts map their visible dash to U+00AD; standing between spaces it is a dash, not a hint.
SPACED_SOFT_HYPHEN = re.compile(r"(?<=\s)\u00ad(?=\s)")
RUNS_OF_SPACES = re.compile(r" {2,}")
RUNS_OF_BLANK_LINES = re.compile(r"\n{3,}")


def clean_text(text: str) -> str:
    """Drop icon glyphs, (cid:N) tokens, soft hyphens and URI prefixes; normalise spacing."""
    text = unicodedata.normalize("NFC", text).translate(SPACE_LIKE)
    text = SPACED_SOFT_HYPHEN.sub("-", text).translate(INVISIBLE)
    text = CID_TOKEN.sub(" ", text)
    text = ICON_GLYPHS.sub(" ", text)
    text = URI_PREFIX.sub("", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    text = CONTROL_CHARACTERS.sub("", text)
    lines = (RUNS_OF_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return RUNS_OF_BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


# --------------------------------------------------------------------------------------------
# Sections
# --------------------------------------------------------------------------------------------

HEADING_PHRASES = {
    "summary": "summary",
    "professional summary": "summary",
    "career summary": "summary",
    "executive summary": "summary",
    "profile": "summary",
    "professional profile": "summary",
    "personal profile": "summary",
    "about": "summary",
    "about me": "summary",
    "objective": "summary",
    "career objective": "summary",
    "personal statement": "summary",
    "overview": "summary",
    "education": "education",
    "academic background": "education",
    "education and training": "education",
    "academic qualifications": "education",
    "experience": "experience",
    "work experience": "experience",
    "professional experience": "experience",
    "employment": "experience",
    "employment history": "experience",
    "work history": "experience",
    "career history": "experience",
    "relevant experience": "experience",
    "research experience": "experience",
    "other work experience": "experience",
    "references": "references",
    "referees": "references",
}
# fmt: off
OTHER_HEADING_WORDS = (
    "skills", "projects", "publications", "awards", "honors", "honours", "certifications",
    "certificates", "languages", "interests", "hobbies", "activities", "volunteering", "patents",
    "talks", "presentations", "courses", "coursework", "leadership", "affiliations",
    "scholarships", "achievements", "accomplishments", "memberships", "conferences", "journals",
    "grants", "teaching", "philosophy", "strengths", "links", "contact", "extracurriculars",
)
# fmt: on
HEADING_LAST_WORDS = {
    "summary": "summary",
    "profile": "summary",
    "objective": "summary",
    "education": "education",
    "experience": "experience",
    "employment": "experience",
    "references": "references",
    "referees": "references",
    **dict.fromkeys(OTHER_HEADING_WORDS, "other"),
}
HEADING_MAX_WORDS = 5
CONNECTORS = {"and", "of", "for", "the", "in", "to", "&", "with"}
# Words a heading wrapped over several lines may use; keeps "JOHN DOE / SUMMARY" from joining.
HEADING_VOCABULARY = (
    {word for phrase in HEADING_PHRASES for word in phrase.split()}
    | set(HEADING_LAST_WORDS)
    | CONNECTORS
    | {"campus", "professional", "selected", "additional", "technical", "key", "personal", "other"}
)


def heading_words(text: str) -> list[str]:
    return re.sub(r"[^a-z ]", " ", text.lower().replace("&", " and ")).split()


def heading_kind(line: str) -> str | None:
    """summary, education, experience, references or other when the line is a section heading."""
    stripped = line.strip().rstrip(":").strip()
    if (
        not stripped
        or len(stripped) > 60
        or stripped[-1] in ".,;"
        or re.search(r"[\d@/|]", stripped)
    ):
        return None
    words = heading_words(stripped)
    if not words or len(words) > HEADING_MAX_WORDS:
        return None
    phrase = " ".join(words)
    if phrase in HEADING_PHRASES:
        return HEADING_PHRASES[phrase]
    if not all(
        word[0].isupper() or word.lower() in CONNECTORS
        for word in stripped.split()
        if word[0].isalpha()
    ):
        return None
    return HEADING_LAST_WORDS.get(words[-1])


@dataclass
class Section:
    kind: (
        str  # header (before the first heading), summary, education, experience, references, other
    )
    lines: list[str]
    # A date-only line just above the heading: in two-column layouts the first entry's date is
    # often set higher than the section title, but it may also end the previous section.
    date_above: str = ""


def split_sections(lines: list[str]) -> list[Section]:
    sections = [Section("header", [])]
    index = 0
    while index < len(lines):
        kind, consumed = heading_at(lines, index)
        if kind is None:
            sections[-1].lines.append(lines[index])
            index += 1
            continue
        sections.append(Section(kind, [], date_above=last_date_only_line(sections[-1].lines)))
        index += consumed
    return sections


def heading_at(lines: list[str], index: int) -> tuple[str | None, int]:
    """The heading starting at `index`, possibly an ALL-CAPS heading wrapped over up to 3 lines."""
    for size in (3, 2):
        chunk = lines[index : index + size]
        if len(chunk) < size or not all(is_upper_fragment(line) for line in chunk):
            continue
        # A wrapped heading like "RESEARCH / EXPERIENCE": one of its lines alone is not a heading.
        if all(heading_kind(line) for line in chunk):
            continue
        joined = " ".join(chunk)
        kind = heading_kind(joined)
        if kind and set(heading_words(joined)) <= HEADING_VOCABULARY:
            return kind, size
    return heading_kind(lines[index]), 1


def is_upper_fragment(line: str) -> bool:
    return (
        bool(line)
        and line.upper() == line
        and any(c.isalpha() for c in line)
        and len(line.split()) <= 3
    )


def last_date_only_line(lines: list[str]) -> str:
    last = next((line for line in reversed(lines) if line), "")
    return last if is_date_only(last) else ""


# --------------------------------------------------------------------------------------------
# Contacts and name
# --------------------------------------------------------------------------------------------

EMAIL = re.compile(
    r"(?<![\w.+-])[a-z0-9][a-z0-9._%+-]*@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?"
    r"(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*\.[a-z]{2,}\b",
    re.IGNORECASE,
)
PHONE_LIKE = re.compile(r"(?<![\w/.,])(?:\(\s?)?\+?\d[\d \-.()]{5,24}\d(?![\w/%])")
DATE_LIKE = re.compile(
    r"(?:19|20)\d\d\s*[-.]\s*(?:19|20)\d\d|\d{4}[-.]\d\d[-.]\d\d|\d\d[-.]\d\d[-.]\d{4}"
)
MAX_PHONE_LINE_CHARS = 500
MAX_PHONE_LINES = 300
MOBILE_LABEL_CHARS = 16
MOBILE_LABEL = re.compile(
    r"(?:\bmobile|\bmob\b|\bcell|\bgsm\b|\bhandy\b|(?:^|\s)(?-i:M)\s*:?)\W*$", re.IGNORECASE
)


def contact_lines(sections: list[Section]) -> list[str]:
    """Non-blank lines outside References/Referees sections, in reading order."""
    return [
        line
        for section in sections
        if section.kind != "references"
        for line in section.lines
        if line
    ]


def find_email(lines: list[str]) -> str:
    for line in lines:
        match = EMAIL.search(line)
        if match:
            return match.group().lower().rstrip(".")
    return ""


@dataclass
class PhoneCandidate:
    as_printed: str
    e164: str
    labelled_mobile: bool


def find_phone(lines: list[str], default_region: str) -> tuple[str, str]:
    """(E.164 or "", as printed) of the first phone in the header, a labelled mobile first."""
    # Line length and count are bounded: phonenumbers' matcher is slow on long runs of digits.
    searched = [line[:MAX_PHONE_LINE_CHARS] for line in lines[:MAX_PHONE_LINES]]
    header = [
        candidate
        for line in searched[:HEADER_LINES]
        for candidate in phone_candidates(line, default_region)
    ]
    if header:
        chosen = next((c for c in header if c.labelled_mobile), header[0])
        return chosen.e164, chosen.as_printed
    # Further down only a valid number is trusted, since dates and IDs look like phone numbers.
    for line in searched[HEADER_LINES:]:
        for match in phonenumbers.PhoneNumberMatcher(
            line, default_region, leniency=phonenumbers.Leniency.VALID
        ):
            return e164(match.number), match.raw_string
    return "", ""


def phone_candidates(line: str, default_region: str) -> Iterator[PhoneCandidate]:
    """Numbers phonenumbers matches, plus phone-like digit groups it rejects (e.g. fictional)."""
    taken: list[tuple[int, int]] = []
    found: list[tuple[int, PhoneCandidate]] = []
    for match in phonenumbers.PhoneNumberMatcher(
        line, default_region, leniency=phonenumbers.Leniency.POSSIBLE
    ):
        taken.append((match.start, match.end))
        found.append(
            (match.start, phone_candidate(line, match.start, match.raw_string, default_region))
        )
    for match in PHONE_LIKE.finditer(line):
        if any(start < match.end() and match.start() < end for start, end in taken):
            continue
        raw = match.group().strip()
        if looks_like_printed_phone(raw):
            found.append((match.start(), phone_candidate(line, match.start(), raw, default_region)))
    for _, candidate in sorted(found, key=lambda item: item[0]):
        yield candidate


def looks_like_printed_phone(raw: str) -> bool:
    digits = re.sub(r"\D", "", raw)
    if not 7 <= len(digits) <= 15 or raw.count("(") != raw.count(")") or DATE_LIKE.fullmatch(raw):
        return False
    # A bare run of digits is an ID or an amount unless written in international form.
    return raw.startswith("+") or bool(re.search(r"[ \-.()]", raw))


def phone_candidate(line: str, start: int, raw: str, default_region: str) -> PhoneCandidate:
    try:
        normalised = e164(phonenumbers.parse(raw, default_region))
    except phonenumbers.NumberParseException:
        normalised = ""
    label = line[max(0, start - MOBILE_LABEL_CHARS) : start]
    return PhoneCandidate(raw, normalised, labelled_mobile=bool(MOBILE_LABEL.search(label)))


def e164(number: phonenumbers.PhoneNumber) -> str:
    """E.164 form of a valid number; "" for fictional or impossible ones."""
    if not phonenumbers.is_valid_number(number):
        return ""
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


# fmt: off
NAME_PARTICLES = {
    "van", "von", "de", "del", "della", "da", "di", "du", "la", "le", "der", "den", "bin", "binti",
    "al", "el", "ter", "ten", "dos", "das",
}
NAME_SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv", "phd", "ph.d.", "md"}
NOT_NAME_WORDS = {
    "curriculum", "vitae", "resume", "résumé", "cv", "updated", "page", "contact", "address",
    "phone", "email", "e-mail", "mobile", "street", "avenue", "road", "university", "college",
    "school", "inc", "ltd", "llc", "philosophy", "city", "country", "hq",
}
# fmt: on
NAME_SEGMENT_SEPARATORS = re.compile(r"\s[|·•–—]\s")
TITLE_WORDS = re.compile(
    r"\b(?:engineer|developer|intern|manager|director|founder|cto|ceo|cfo|coo|cio|vp|president|"
    r"officer|scientist|researcher|analyst|consultant|designer|architect|lead|head|specialist|"
    r"administrator|coordinator|assistant|associate|student|fellow|professor|lecturer|teacher|"
    r"tutor|programmer|technician|accountant|editor|writer|sre|devops|owner|partner|chief|"
    r"principal|trainee|apprentice|advisor|adviser|representative|executive|supervisor|nurse|"
    r"recruiter|volunteer|instructor|postdoc|contractor|freelancer|member|chair|secretary|"
    r"treasurer)\b",
    re.IGNORECASE,
)


def find_name(lines: list[str], email: str) -> str:
    """The most name-like line near the top; scored, since some layouts put addresses first."""
    email_hint = re.split(r"[^a-z]+", email.split("@")[0].lower()) if email else []
    best_score, best_name = 0.0, ""
    for position, line in enumerate(lines[:HEADER_LINES]):
        for segment in NAME_SEGMENT_SEPARATORS.split(line):
            score = name_score(segment, position, email_hint)
            if score > best_score:
                best_score, best_name = score, segment.strip()
    return normalise_name_case(best_name)


def name_score(segment: str, position: int, email_hint: list[str]) -> float:
    tokens = segment.split()
    if not 2 <= len(tokens) <= 4 or heading_kind(segment) or TITLE_WORDS.search(segment):
        return 0.0
    if re.search(r"[\d@:/,;()]", segment) or tokens[0].lower() in NAME_PARTICLES:
        return 0.0
    if any(token.lower().strip(".") in NOT_NAME_WORDS for token in tokens):
        return 0.0
    if not all(is_name_token(token) or token.lower() in NAME_PARTICLES for token in tokens):
        return 0.0
    score = 10.0 - 0.2 * position
    lowered = [token.lower().strip(".") for token in tokens]
    if any(
        len(token) > 1
        and any(token in part or part in token for part in email_hint if len(part) > 1)
        for token in lowered
    ):
        score += 3.0
    return score


def is_name_token(token: str) -> bool:
    """A capitalised word ("Park", "O'Neil", "Jean-Luc", "PARK") or an initial ("D.")."""
    return (
        token[0].isupper() and token[-1] != "-" and all(c.isalpha() or c in "'’-." for c in token)
    )


def normalise_name_case(name: str) -> str:
    """Title-case ALL-CAPS words ("MARISSA MAYER", "Jean DUPONT"); other words keep their case."""
    return " ".join(
        re.sub(r"[^\W\d_]+", lambda m: m.group().capitalize(), token) if token.isupper() else token
        for token in name.split()
    )


def split_name(full_name: str) -> tuple[str, str]:
    """First and last name, without middle names or initials ("Claud D. Park": Claud, Park)."""
    tokens = full_name.split()
    while len(tokens) > 2 and tokens[-1].lower() in NAME_SUFFIXES:
        tokens.pop()
    if not tokens:
        return "", ""
    if len(tokens) == 1:
        return tokens[0], ""
    last_start = len(tokens) - 1
    while last_start > 1 and tokens[last_start - 1].lower() in NAME_PARTICLES:
        last_start -= 1
    return tokens[0], " ".join(tokens[last_start:])


# --------------------------------------------------------------------------------------------
# Summaries
# --------------------------------------------------------------------------------------------

BULLET_PREFIX = re.compile(r"^[•◦▪▫■□●○◆◇►▸‣⁃∙·*–—\-]+\s*")


def strip_bullet(line: str) -> str:
    return BULLET_PREFIX.sub("", line).strip()


def join_wrapped_lines(lines: list[str]) -> str:
    text = ""
    for line in filter(None, (strip_bullet(line) for line in lines)):
        if re.search(r"[a-z]-$", text) and line[0].islower():
            text = text[:-1] + line
        else:
            text = f"{text} {line}" if text else line
    return text


def shorten(text: str, limit: int = MAX_SUMMARY_CHARS) -> str:
    """Cut at the last sentence end (or else word) that fits the limit."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    sentence_end = max(cut.rfind(". "), cut.rfind("! "), cut.rfind("? "))
    if sentence_end > limit // 2:
        return cut[: sentence_end + 1]
    return cut.rsplit(" ", 1)[0].rstrip(",;:") + "…"


def build_summary(sections: list[Section]) -> str:
    summary_lines = [line for s in sections if s.kind == "summary" for line in s.lines]
    if any(summary_lines):
        return shorten(join_wrapped_lines(summary_lines))
    return shorten(first_prose_paragraph(sections))


def first_prose_paragraph(sections: list[Section]) -> str:
    """The first sentences of the resume, for resumes without a Summary/Profile section."""
    for section in sections:
        if section.kind == "references":
            continue
        start = next((index for index, line in enumerate(section.lines) if is_prose(line)), None)
        if start is not None:
            return join_wrapped_lines(prose_run(section.lines[start:]))
    return ""


def prose_run(lines: list[str]) -> list[str]:
    """Lines from the first prose line on, across blank lines while sentences continue."""
    run: list[str] = []
    after_blank = False
    for line in lines:
        if not line:
            after_blank = True
            continue
        if is_contact_line(line) or (after_blank and not (is_prose(line) or line.endswith("."))):
            break
        run.append(line)
        after_blank = False
        if sum(map(len, run)) >= MAX_SUMMARY_CHARS:
            break
    return run


def is_prose(line: str) -> bool:
    """Sentence-like: several words, mostly letters, many in lower case (unlike titles)."""
    words = strip_bullet(line).split()
    letters = sum(c.isalpha() for c in line)
    lower_words = sum(1 for word in words if word[0].islower())
    return (
        len(words) >= 8
        and 2 * lower_words >= len(words)
        and letters >= 0.75 * len(line.replace(" ", ""))
        and not is_contact_line(line)
    )


def is_contact_line(line: str) -> bool:
    return bool(EMAIL.search(line) or re.search(r"https?://|www\.", line))


def build_education_summary(sections: list[Section]) -> str:
    lines = [strip_bullet(line) for s in sections if s.kind == "education" for line in s.lines]
    kept: list[str] = []
    for line in filter(None, lines):
        if len("\n".join([*kept, line])) > MAX_SUMMARY_CHARS:
            break
        kept.append(line)
    return "\n".join(kept)


# --------------------------------------------------------------------------------------------
# Experience entries
# --------------------------------------------------------------------------------------------

MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
YEAR = r"(?:19|20)\d{2}"
DATE = rf"(?:{MONTH}\s*{YEAR}|\d{{1,2}}/{YEAR}|{YEAR}-\d{{2}}(?!\d)|{YEAR})"
ONGOING = r"(?:present|current|now|ongoing|today|date)"
DATE_RANGE = re.compile(
    rf"(?<![\w/])(?P<start>{DATE})\s*(?:[-–—]+|to|until|till)\s*(?P<end>{DATE}|{ONGOING})(?![\w/])",
    re.IGNORECASE,
)
SINGLE_DATE = re.compile(
    rf"(?<![\w/])(?P<start>{MONTH}\s*{YEAR}|\d{{1,2}}/{YEAR})(?![\w/])", re.IGNORECASE
)
# "February 10, 2026": a day-precise date is a print date in a footer, not an employment period.
FULL_DATE = re.compile(rf"^{MONTH}\s+\d{{1,2}},?\s+{YEAR}$", re.IGNORECASE)
OPEN_RANGE = re.compile(rf"{DATE}\s*[-–—]+$", re.IGNORECASE)
RANGE_END = re.compile(rf"^(?:{DATE}|{ONGOING})\b", re.IGNORECASE)
DURATION = re.compile(r"^(?:\d+\s+(?:years?|yrs?|months?|mos?)\s*)+$", re.IGNORECASE)
# "3", "1/2", "Page 1 of 3", and footers such as "John Doe – 1/2".
PAGE_MARKER = re.compile(
    r"^(?:.{1,40}\s[–—-]\s)?(?:page\s*)?\d{1,3}\s*(?:/|of)\s*\d{1,3}$|^\d{1,3}$", re.IGNORECASE
)
BULLET_LINE = re.compile(r"^[•◦▪▫■□●○◆◇►▸‣⁃∙·*]|^[–—-]\s")
PART_SEPARATORS = re.compile(r"\s[|–—·]\s|\s-\s|\s@\s|\sat\s")
NOT_HEADER_WORDS = re.compile(r"\b(?:r[ée]sum[ée]|curriculum vitae|cv|page)\b", re.IGNORECASE)
# fmt: off
COMPANY_WORDS = {
    "inc", "ltd", "llc", "corp", "co", "gmbh", "plc", "ag", "company", "corporation", "group",
    "labs", "university", "institute", "college", "bank",
}
LOCATION_TOKENS = {
    "usa", "us", "uk", "u.s.", "u.s.a.", "india", "canada", "germany", "france", "china", "japan",
    "korea", "s.korea", "australia", "singapore", "remote", "türkiye", "turkey", "netherlands",
    "spain", "italy", "brazil", "mexico", "ireland", "switzerland", "sweden", "israel",
}
# fmt: on
MAX_HEADER_LINES = 3
# How far below its date a title line may sit in "Employer / date / Title" layouts.
MAX_TITLE_DISTANCE = 6


@dataclass
class DateItem:
    line_index: int
    start: str
    end: str
    # Entry header printed on the date's own line, or on the line right below it.
    inline_header: list[str] = field(default_factory=list)


@dataclass
class HeaderItem:
    line_index: int
    lines: list[str]


@dataclass
class Pairing:
    header_lines: list[str]
    dates: DateItem
    distance: int  # in lines, between the header and the date


def extract_experience(sections: list[Section]) -> list[dict[str, str]]:
    entries: list[dict[str, str]] = []
    for section in sections:
        if section.kind == "experience":
            entries.extend(make_entry(pairing) for pairing in experience_pairings(section))
    return [entry for entry in entries if entry["employer"] or entry["title"]]


def experience_pairings(section: Section) -> list[Pairing]:
    """Pairings of the section, using the date above its heading if that pairs dates closer."""
    lines = join_split_date_ranges(section.lines)
    pairings = pair_items(entry_items(lines))
    if section.date_above:
        alternative = pair_items(entry_items([section.date_above, "", *lines]))
        if mean_distance(alternative) < mean_distance(pairings):
            return alternative
    return pairings


def mean_distance(pairings: list[Pairing]) -> float:
    return sum(p.distance for p in pairings) / len(pairings) if pairings else float("inf")


def join_split_date_ranges(lines: list[str]) -> list[str]:
    """Join "2017 –" and "Present" when a narrow date column wrapped a range."""
    joined: list[str] = []
    for line in lines:
        if joined and RANGE_END.match(line) and OPEN_RANGE.search(joined[-1]):
            joined[-1] = f"{joined[-1]} {line}"
        else:
            joined.append(line)
    return joined


def pair_items(items: list[DateItem | HeaderItem]) -> list[Pairing]:
    """Pair each date with an entry header.

    Date columns and titles come out in either order (and both orders within one resume), so a
    date pairs with the oldest header still waiting, and a header with the oldest waiting date.
    """
    pairings: list[Pairing] = []
    waiting_dates: deque[DateItem] = deque()
    waiting_headers: deque[HeaderItem] = deque()
    for item in items:
        if isinstance(item, HeaderItem):
            if waiting_dates:
                dates = waiting_dates.popleft()
                pairings.append(Pairing(item.lines, dates, abs(item.line_index - dates.line_index)))
            else:
                waiting_headers.append(item)
        elif item.inline_header and all(employer_and_title(item.inline_header)):
            pairings.append(Pairing(item.inline_header, item, 0))
        elif waiting_headers:
            # A partial inline header (often the title alone) completes the waiting employer line.
            header = waiting_headers.popleft()
            pairings.append(
                Pairing(
                    header.lines + item.inline_header, item, item.line_index - header.line_index
                )
            )
        elif item.inline_header:
            pairings.append(Pairing(item.inline_header, item, 0))
        else:
            waiting_dates.append(item)
    return pairings


def entry_items(lines: list[str]) -> list[DateItem | HeaderItem]:
    """Date ranges and entry-header line groups; bullets, prose and locations are skipped."""
    return attach_titles_after_dates(raw_entry_items(lines))


def attach_titles_after_dates(items: list[DateItem | HeaderItem]) -> list[DateItem | HeaderItem]:
    """In "Employer / date / Title" layouts, make the title line part of the date's header."""
    result: list[DateItem | HeaderItem] = []
    for item in items:
        if (
            isinstance(item, HeaderItem)
            and len(result) >= 2
            and isinstance(dates := result[-1], DateItem)
            and not dates.inline_header
            and isinstance(before := result[-2], HeaderItem)
            and employer_and_title(before.lines)[1] == ""
            and employer_and_title(item.lines)[0] == ""
            and item.line_index - dates.line_index <= MAX_TITLE_DISTANCE
        ):
            dates.inline_header = item.lines
            continue
        result.append(item)
    return result


def raw_entry_items(lines: list[str]) -> list[DateItem | HeaderItem]:
    kinds = classify_lines(lines)
    items: list[DateItem | HeaderItem] = []
    group: HeaderItem | None = None
    for index, (line, kind) in enumerate(zip(lines, kinds, strict=True)):
        if kind in ("blank", "location", "ignored"):
            continue
        if kind == "header" and group and len(group.lines) < MAX_HEADER_LINES:
            group.lines.append(strip_bullet(line))
            continue
        header_above = group is not None
        if group:
            items.append(group)
            group = None
        if kind == "header":
            group = HeaderItem(index, [strip_bullet(line)])
        elif kind == "date":
            dates = date_item(index, line)
            # A date right under a header belongs to it; otherwise the lines below it may be its header.
            if not dates.inline_header and not header_above:
                dates.inline_header = take_header_lines_below(lines, kinds, index)
            items.append(dates)
    if group:
        items.append(group)
    return items


def take_header_lines_below(lines: list[str], kinds: list[str], date_index: int) -> list[str]:
    """Header lines printed right below a date (no blank line between) belong to that date."""
    taken: list[str] = []
    index = date_index + 1
    while index < len(lines) and kinds[index] == "header" and len(taken) < MAX_HEADER_LINES:
        taken.append(strip_bullet(lines[index]))
        kinds[index] = "ignored"
        index += 1
    return taken


def classify_lines(lines: list[str]) -> list[str]:
    glyphs = Counter(line[0] for line in lines if BULLET_LINE.match(line))
    usual_bullet = glyphs.most_common(1)[0][0] if glyphs else ""
    following = next_non_blank_lines(lines)
    kinds: list[str] = []
    previous = ""
    for line, next_line in zip(lines, following, strict=True):
        kinds.append(line_kind(line, previous, next_line, usual_bullet))
        previous = line or previous
    return kinds


def next_non_blank_lines(lines: list[str]) -> list[str]:
    """For each line, the next non-blank line after it ("" at the end)."""
    following: list[str] = []
    upcoming = ""
    for line in reversed(lines):
        following.append(upcoming)
        upcoming = line or upcoming
    return following[::-1]


def line_kind(line: str, previous: str, following: str, usual_bullet: str) -> str:
    """blank, ignored (footers, durations), date, location, continuation, bullet, header, prose."""
    if not line:
        return "blank"
    if PAGE_MARKER.match(line) or DURATION.match(line) or FULL_DATE.match(line):
        return "ignored"
    if BULLET_LINE.match(line) and len(line.split()) > 12:
        return "bullet"
    if DATE_RANGE.search(line) or is_date_only(line):
        return "date"
    if is_location(line):
        return "location"
    if is_continuation(line, previous):
        return "continuation"
    if BULLET_LINE.match(line):
        return (
            "header"
            if is_short_bullet_header(line, previous, following, usual_bullet)
            else "bullet"
        )
    return "header" if looks_like_entry_header(line) else "prose"


def is_date_only(line: str) -> bool:
    match = DATE_RANGE.search(line) or SINGLE_DATE.search(line)
    return bool(match) and not line.replace(match.group(), "").strip(" |,–—-()")


def is_location(text: str) -> bool:
    """ "San Francisco, CA", "Istanbul, Türkiye", "Mapo-gu, Seoul, Republic of Korea"."""
    parts = [part.strip() for part in text.split(",")]
    if not 2 <= len(parts) <= 3 or len(text.split()) > 6 or TITLE_WORDS.search(text):
        return False
    if any(word.lower().strip(".") in COMPANY_WORDS for word in text.replace(",", " ").split()):
        return False
    return all(is_place_name(part) for part in parts)


def is_place_name(part: str) -> bool:
    words = part.split()
    return (
        1 <= len(words) <= 3
        and words[0][0].isupper()
        and all(
            all(c.isalpha() or c in ".'-" for c in word)
            and (word[0].isupper() or word in CONNECTORS)
            for word in words
        )
    )


def is_continuation(line: str, previous: str) -> bool:
    """The wrapped tail of a bullet or sentence that the PDF layout put on a line of its own."""
    if line[0].islower():
        return True
    wrapped = len(previous) >= 60 and not previous.endswith((".", "!", "?", ":", ";"))
    return (
        wrapped
        and len(line.split()) <= 3
        and not TITLE_WORDS.search(line)
        and not PART_SEPARATORS.search(line)
    )


def is_short_bullet_header(line: str, previous: str, following: str, usual_bullet: str) -> bool:
    """An itemised employer ("• Google") above its title line, as in some LaTeX templates.

    Such entries use another glyph than the section's accomplishments ("◦ Built ..."), and unlike
    nested sub-items they do not follow a bullet line.
    """
    text = strip_bullet(line)
    return (
        line[0] != usual_bullet
        and not BULLET_LINE.match(previous)
        and 0 < len(text.split()) <= 8
        and looks_like_entry_header(text)
        and bool(following)
        and not BULLET_LINE.match(following)
        and looks_like_entry_header(following)
    )


def looks_like_entry_header(line: str) -> bool:
    words = line.split()
    if len(words) > 12 or len(line) > 100 or not (line[0].isupper() or line[0].isdigit()):
        return False
    if (
        line.endswith((":", ";"))
        or re.search(r"[a-z]{2}\. [A-Z]", line)
        or NOT_HEADER_WORDS.search(line)
    ):
        return False
    # A final full stop ends a sentence, except after an abbreviation such as "Inc." or "Ltd.".
    return not line.endswith(".") or bool(re.search(r"(?:^|\s)[A-Z][A-Za-z]{0,3}\.$", line))


def date_item(index: int, line: str) -> DateItem:
    match = DATE_RANGE.search(line) or SINGLE_DATE.search(line)
    assert match is not None
    rest = (line[: match.start()] + " " + line[match.end() :]).strip(" |,–—-()")
    inline = [rest] if rest and not is_location(rest) and looks_like_entry_header(rest) else []
    return DateItem(index, match.group("start"), match.groupdict().get("end") or "", inline)


def make_entry(pairing: Pairing) -> dict[str, str]:
    employer, title = employer_and_title(pairing.header_lines)
    return {
        "employer": employer,
        "title": title,
        "start": pairing.dates.start,
        "end": pairing.dates.end,
    }


def employer_and_title(header_lines: list[str]) -> tuple[str, str]:
    parts = [part for line in header_lines for part in header_parts(line)]
    if not parts:
        return "", ""
    title = next((part for part in parts if TITLE_WORDS.search(part)), "")
    if not title:
        # Without a job-title word, fall back to the common "Employer, Title" order.
        return parts[0], parts[1] if len(parts) == 2 else ""
    others = [part for part in parts if part != title]
    return (others[0] if others else ""), title


def header_parts(line: str) -> list[str]:
    """Split "Nexus AI, Co-Founder & CTO – San Francisco, CA" into parts, dropping the location."""
    parts: list[str] = []
    for chunk in PART_SEPARATORS.split(line):
        chunk = chunk.strip(" ,;|")
        if chunk and not is_location(chunk):
            parts.extend(piece.strip() for piece in chunk.split(",") if piece.strip())
    return drop_trailing_location(parts)


def drop_trailing_location(parts: list[str]) -> list[str]:
    """Drop "…, Mountain View, CA, USA": a country or state code and the city before it."""
    dropped = False
    while len(parts) > 1 and (
        parts[-1].lower() in LOCATION_TOKENS or re.fullmatch(r"[A-Z]{2}", parts[-1])
    ):
        parts.pop()
        dropped = True
    if (
        dropped
        and len(parts) > 1
        and len(parts[-1].split()) <= 3
        and not TITLE_WORDS.search(parts[-1])
    ):
        parts.pop()
    return parts


# --------------------------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------------------------


def parse_resume(data: bytes, filename: str, *, default_region: str = "US") -> ParsedResume:
    text = clean_text(extract_text(data, filename))
    return parse_text(text, default_region=default_region)


def parse_text(text: str, *, default_region: str = "US") -> ParsedResume:
    """Fields of an already extracted and cleaned resume text."""
    sections = split_sections(text.split("\n"))
    lines = contact_lines(sections)
    email = find_email(lines[:HEADER_LINES]) or find_email(lines)
    phone, phone_as_printed = find_phone(lines, default_region)
    full_name = find_name(lines, email)
    first_name, last_name = split_name(full_name)
    return ParsedResume(
        text=text,
        full_name=full_name,
        first_name=first_name,
        last_name=last_name,
        email=email,
        phone=phone,
        phone_as_printed=phone_as_printed,
        summary=build_summary(sections),
        education_summary=build_education_summary(sections),
        experience=extract_experience(sections),
    )
