"""An agency submits a Word 97 resume saved with the .docx name and a scan: the first is read by
LibreOffice and its contacts shown; the scan is read by OCR; a blank scan says plainly that it is
a scanned image without text."""

import re
import subprocess
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from devtools.scans import scanned_copy
from tests.candidates.test_parsing_office import RTF_RESUME
from tests.candidates.test_parsing_scans import typed_pages
from tests.factories import PASSWORD, AgencyFactory, AgencyUserFactory, AssignmentFactory
from tests.hostile_files import NORMAL_RESUME

pytestmark = pytest.mark.django_db(transaction=True)
SHOTS = Path("/tmp/shots-formats")


def word_97(rtf: bytes) -> bytes:
    with tempfile.TemporaryDirectory() as directory:
        folder = Path(directory)
        (folder / "cv.rtf").write_bytes(rtf)
        subprocess.run(
            ["soffice", "--headless", f"-env:UserInstallation={(folder / 'p').as_uri()}",
             "--convert-to", "doc", "--outdir", str(folder), "cv.rtf"],
            cwd=folder, check=True, capture_output=True,
        )  # fmt: skip
        return (folder / "cv.doc").read_bytes()


def submit(page, live_server, email, name, content):
    page.goto(f"{live_server.url}/agency/submit/")
    page.get_by_label(re.compile("^Job")).select_option(index=1)
    page.get_by_label(re.compile("^First name")).fill("Renée")
    page.get_by_label(re.compile("^Last name")).fill("Dupont")
    page.get_by_label(re.compile("^Email")).fill(email)
    page.get_by_label(re.compile("^Resume")).set_input_files(
        {"name": name, "mimeType": "application/octet-stream", "buffer": content}
    )
    page.get_by_role("button", name="Submit candidate").click()
    expect(page.get_by_role("heading", name=re.compile("^Outcome"))).to_be_visible()


@pytest.mark.parametrize("width", [1280, 390])
def test_word_97_and_scanned_resumes_are_read(browser, live_server, sign_in, celery_worker, width):
    SHOTS.mkdir(exist_ok=True)
    agency = AgencyFactory(name="Apex Talent", country="FR")
    AssignmentFactory(agency=agency)
    user = AgencyUserFactory(agency=agency, email="jack@apex.example")
    page = browser.new_context(viewport={"width": width, "height": 900}).new_page()
    sign_in(page, user.email, PASSWORD)

    page.goto(f"{live_server.url}/agency/submit/")
    expect(page.get_by_text("PDF, Word (.docx or .doc), OpenDocument (.odt), RTF")).to_be_visible()
    page.screenshot(path=SHOTS / f"submit-{width}.png", full_page=True)

    submit(page, live_server, "renee@example.com", "renee-dupont.docx", word_97(RTF_RESUME))
    resume = page.locator(".resume")
    expect(resume).to_contain_text("renee.dupont@example.com", timeout=20000)
    expect(resume).to_contain_text("Acme Corp")
    page.screenshot(path=SHOTS / f"word-97-{width}.png", full_page=True)

    submit(page, live_server, "jane@example.com", "jane-scan.pdf", scanned_copy(NORMAL_RESUME))
    expect(page.locator(".resume")).to_contain_text("jane.roe@example.com", timeout=20000)

    blank = scanned_copy(typed_pages([" "]), dpi=100)
    submit(page, live_server, "blank@example.com", "blank-scan.pdf", blank)
    expect(page.locator(".resume .alert")).to_contain_text(
        "We could not read this file: This file is a scanned image without text", timeout=20000
    )
    page.screenshot(path=SHOTS / f"blank-scan-{width}.png", full_page=True)
