"""Resume text extraction and field extraction.

Python (pdfminer.six, phonenumbers, stdlib) plus system programs run as its children (tools:
pdftoppm and tesseract read scanned pages, soffice converts Word 97, RTF and ODT). No Django, so
that candidates.sandbox can run it in a resource-limited child process. Untrusted uploads should
go through candidates.sandbox.parse_in_subprocess rather than calling parse_resume in a web process.

pipeline.parse_resume reads the file (files; pdf, with ocr for pages without text; docx; office),
cleans the text (text), splits it into sections (sections) and reads the fields (contacts, names,
summaries, experience).
"""

from candidates.parsing.files import sniff_kind
from candidates.parsing.pipeline import parse_resume
from candidates.parsing.result import ParsedResume, ParseError

__all__ = ["ParseError", "ParsedResume", "parse_resume", "sniff_kind"]
