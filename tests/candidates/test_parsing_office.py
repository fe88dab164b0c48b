"""Word 97 (.doc), RTF and OpenDocument (.odt) resumes: converted by LibreOffice in the sandbox and
read; a document renamed between these formats is read by its content; failures say why."""

import http.server
import io
import subprocess
import tempfile
import threading
import zipfile
from pathlib import Path

import pytest

from candidates.parsing import ParseError, parse_resume, sniff_kind, tools
from candidates.parsing.office import CONVERSION_REASON, UNAVAILABLE_REASON
from candidates.sandbox import parse_in_subprocess
from tests.hostile_files import VALID_PHONE

RTF_RESUME = (
    r"{\rtf1\ansi\deff0{\fonttbl{\f0 Helvetica;}}"
    r"\pard\b Ren\'e9e Dupont\b0\par "
    r"renee.dupont@example.com | " + VALID_PHONE + r"\par "
    r"Experience\par "
    r"Acme Corp, Software Engineer\par "
    r"Jan 2020 - Present\par }"
).encode()


@pytest.fixture(scope="session")
def office_resumes() -> dict[str, bytes]:
    """The RTF resume, and the same converted by LibreOffice to .doc and .odt."""
    files = {"rtf": RTF_RESUME}
    with tempfile.TemporaryDirectory() as directory:
        folder = Path(directory)
        (folder / "resume.rtf").write_bytes(RTF_RESUME)
        for suffix in ("doc", "odt"):
            subprocess.run(
                ["soffice", "--headless", f"-env:UserInstallation={(folder / 'p').as_uri()}",
                 "--convert-to", suffix, "--outdir", str(folder), "resume.rtf"],
                cwd=folder, check=True, capture_output=True,
            )  # fmt: skip
            files[suffix] = (folder / f"resume.{suffix}").read_bytes()
    return files


@pytest.mark.parametrize(("suffix", "kind"), [("doc", "ole"), ("rtf", "rtf"), ("odt", "odt")])
def test_word_97_rtf_and_odt_resumes_are_read_in_the_sandbox(office_resumes, suffix, kind):
    data = office_resumes[suffix]
    assert sniff_kind(data) == kind

    parsed = parse_in_subprocess(data, f"renee-dupont.{suffix}")

    assert (parsed.full_name, parsed.email) == ("Renée Dupont", "renee.dupont@example.com")
    assert parsed.phone.startswith("+1") and parsed.experience[0]["employer"] == "Acme Corp"


def test_a_doc_saved_with_the_docx_name_is_read_by_its_content(office_resumes):
    parsed = parse_in_subprocess(office_resumes["doc"], "renee-dupont.docx")
    assert parsed.full_name == "Renée Dupont"


def test_a_zip_is_not_taken_for_an_odt():
    assert sniff_kind(b"PK\x03\x04" + bytes(26) + b"word/document.xml") == "zip"


def test_an_rtf_nested_too_deeply_is_refused_before_conversion():
    nested = b"{\\rtf1 " + b"{" * 50_000 + b"x" + b"}" * 50_000 + b"}"
    with pytest.raises(ParseError, match="^The RTF document is nested too deeply to read"):
        parse_resume(nested, "cv.rtf")
    assert parse_resume(b"{\\rtf1 " + b"{" * 50 + b"Jane Roe" + b"}" * 50 + b"}", "cv.rtf")


def test_a_document_libreoffice_cannot_open_gets_a_clear_reason():
    damaged_doc = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4000)
    with pytest.raises(ParseError) as raised:
        parse_in_subprocess(damaged_doc, "cv.doc")
    assert raised.value.reason == CONVERSION_REASON


def test_without_libreoffice_the_reason_says_which_formats_to_send(office_resumes, monkeypatch):
    assert parse_resume(office_resumes["rtf"], "cv.rtf").full_name == "Renée Dupont"

    monkeypatch.setattr(tools, "SYSTEM_PATH", "/nonexistent")
    with pytest.raises(ParseError) as raised:
        parse_resume(office_resumes["rtf"], "cv.rtf")
    assert raised.value.reason == UNAVAILABLE_REASON


LINKED_IMAGE_CONTENT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
 xmlns:xlink="http://www.w3.org/1999/xlink"
 xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" office:version="1.2">
<office:body><office:text><text:p>Jane Roe</text:p><text:p>jane.roe@example.com</text:p>
<text:p><draw:frame draw:name="photo" svg:width="2cm" svg:height="2cm"><draw:image
 xlink:href="URL" xlink:type="simple" xlink:show="embed" xlink:actuate="onLoad"/></draw:frame>
</text:p></office:text></office:body></office:document-content>"""
MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"
 manifest:version="1.2">
<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/>
<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
</manifest:manifest>"""


def odt_linking_an_image(url: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", LINKED_IMAGE_CONTENT.replace("URL", url))
        archive.writestr("META-INF/manifest.xml", MANIFEST)
    return buffer.getvalue()


@pytest.fixture
def requests_seen():
    """A local web server; the paths it was asked for."""
    seen: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            seen.append(self.path)
            self.send_error(404)

        do_OPTIONS = do_HEAD = do_PROPFIND = do_GET

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    seen_url = f"http://127.0.0.1:{server.server_address[1]}"
    yield seen_url, seen
    server.shutdown()


def test_libreoffice_does_not_fetch_what_a_document_links_to(requests_seen):
    url, seen = requests_seen
    document = odt_linking_an_image(f"{url}/internal-only.png")
    with tempfile.TemporaryDirectory() as directory:  # LibreOffice's default settings fetch it
        folder = Path(directory)
        (folder / "cv.odt").write_bytes(document)
        subprocess.run(
            ["soffice", "--headless", f"-env:UserInstallation={(folder / 'p').as_uri()}",
             "--convert-to", "docx", "--outdir", str(folder), "cv.odt"],
            cwd=folder, check=True, capture_output=True,
        )  # fmt: skip
    assert "/internal-only.png" in seen

    seen.clear()
    parsed = parse_in_subprocess(document, "cv.odt")
    assert parsed.email == "jane.roe@example.com"
    assert seen == []
