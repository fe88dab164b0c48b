"""Word 97 (.doc), RTF and OpenDocument text (.odt): converted to .docx by LibreOffice, then read
as one (headers, text boxes and the docx reader's limits included).

soffice runs headless with a profile of its own in a temporary folder, as a child of the sandboxed
parser: the sandbox's memory limit and timeout hold for it too. The profile stops it from fetching
what a document links to (an image at an internal address, say) and from running macros.
"""

import re
import tempfile
from pathlib import Path

from candidates.parsing.docx import extract_docx_text
from candidates.parsing.result import ParseError
from candidates.parsing.tools import find_tool, run_tool

SUFFIXES = {"ole": ".doc", "rtf": ".rtf", "odt": ".odt"}
# Real RTF documents nest groups a few dozen levels deep; LibreOffice recurses on each level.
MAX_RTF_DEPTH = 100
RTF_BRACE = re.compile(rb"\\[\\{}]|[{}]")
UNAVAILABLE_REASON = (
    "Word 97 (.doc), RTF and OpenDocument (.odt) files cannot be read on this server yet; "
    "please upload the resume as a PDF or .docx."
)
CONVERSION_REASON = (
    "This document could not be opened for reading; it may be damaged. "
    "Please save it as a PDF or .docx and upload it again."
)


# Word keeps a password-protected .docx as an OLE container with this stream (UTF-16 names).
ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")


PROFILE_SETTINGS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry">
<item oor:path="/org.openoffice.Office.Common/Security/Scripting">\
<prop oor:name="BlockUntrustedRefererLinks" oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting">\
<prop oor:name="DisableMacrosExecution" oor:op="fuse"><value>true</value></prop></item>
</oor:items>
"""


def extract_office_text(data: bytes, kind: str) -> str:
    if kind == "rtf":
        check_rtf_depth(data)
    if kind == "ole" and ENCRYPTED_PACKAGE in data:
        raise ParseError(
            "The Word document is password-protected; please upload an unprotected copy."
        )
    return extract_docx_text(convert_to_docx(data, SUFFIXES[kind]))


def check_rtf_depth(data: bytes) -> None:
    depth = 0
    for match in RTF_BRACE.finditer(data):
        token = match.group()
        if token == b"{":
            depth += 1
            if depth > MAX_RTF_DEPTH:
                raise ParseError(
                    "The RTF document is nested too deeply to read; the file may be damaged."
                )
        elif token == b"}":
            depth -= 1


def convert_to_docx(data: bytes, suffix: str) -> bytes:
    if find_tool("soffice") is None:
        raise ParseError(UNAVAILABLE_REASON)
    with tempfile.TemporaryDirectory(prefix="office-") as directory:
        home = Path(directory)
        source = home / f"resume{suffix}"
        source.write_bytes(data)
        (home / "profile" / "user").mkdir(parents=True)
        (home / "profile" / "user" / "registrymodifications.xcu").write_text(PROFILE_SETTINGS)
        converted = run_tool(
            [
                "soffice",
                "--headless",
                "--norestore",
                "--nolockcheck",
                "--nologo",
                "--nodefault",
                f"-env:UserInstallation={(home / 'profile').as_uri()}",
                "--convert-to",
                "docx:MS Word 2007 XML",
                "--outdir",
                str(home / "out"),
                str(source),
            ],
            home=home,
        )
        output = home / "out" / "resume.docx"
        # soffice exits with 0 even when it could not load the file; then it writes nothing.
        if converted is None or not output.is_file():
            raise ParseError(CONVERSION_REASON)
        return output.read_bytes()
