"""The generated corpus: which resume each index is, its files, and the cache under .run/.

Index i of a seed is always the same person in the same layout and language, printed by the same
producer, so a corpus is regenerated exactly from (seed, count). The cache folder is named after
the seed, the count and a hash of this package's source: changing the generator regenerates it.
"""

import hashlib
import json
import os
import random
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

from devtools.resume_corpus.html import HTML_LAYOUTS, render_html
from devtools.resume_corpus.people import Person, make_person, truth
from devtools.resume_corpus.vocabulary import LANGUAGES
from devtools.resume_corpus.word import DOCX_LAYOUTS, render_docx

DEFAULT_SEED = 20261204
DEFAULT_COUNT = 320
CACHE_DIR = Path(__file__).resolve().parents[2] / ".run" / "resume_corpus"
MANIFEST = "manifest.json"
# Agencies in these countries receive the resumes: the phone's region is not always theirs.
AGENCY_REGIONS = ("GB", "US", "DE", "FR", "ES", "NL")
SCAN_LAYOUTS = ("one_column", "sidebar_left")
# (producer, layout): Chromium prints the HTML layouts, python-docx writes Word files, LibreOffice
# prints those Word files to PDF, and scans are rasterised Chromium PDFs without a text layer.
SPECS = (
    [("chromium", layout) for layout in HTML_LAYOUTS]
    + [("docx", layout) for layout in DOCX_LAYOUTS]
    + [("libreoffice", layout) for layout in DOCX_LAYOUTS]
    + [("scan", layout) for layout in SCAN_LAYOUTS]
)
JOBS_BY_LAYOUT = {"multi_page": 10, "header_footer": 5}


@dataclass
class Item:
    """One resume of the corpus: what it is and the truth a perfect parser returns."""

    file: str
    index: int
    producer: str
    layout: str
    language: str
    agency_region: str
    truth: dict

    @property
    def scanned(self) -> bool:
        return self.producer == "scan"


def plan_item(seed: int, index: int) -> tuple[Item, Person, random.Random]:
    rng = random.Random(f"{seed}:{index}")
    producer, layout = SPECS[index % len(SPECS)]
    language = LANGUAGES[index % len(LANGUAGES)]
    jobs = JOBS_BY_LAYOUT.get(layout, rng.randint(2, 4))
    person = make_person(rng, language, jobs=jobs)
    extension = ".docx" if producer == "docx" else ".pdf"
    item = Item(
        file=f"{index:04d}-{language}-{producer}-{layout}{extension}",
        index=index,
        producer=producer,
        layout=layout,
        language=language,
        agency_region=rng.choice(AGENCY_REGIONS),
        truth=truth(person),
    )
    return item, person, rng


def source_hash() -> str:
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def corpus_dir(seed: int, count: int) -> Path:
    return CACHE_DIR / f"seed{seed}-n{count}-{source_hash()}"


def load_manifest(folder: Path) -> list[Item]:
    return [Item(**row) for row in json.loads((folder / MANIFEST).read_text(encoding="utf-8"))]


def ensure_corpus(
    seed: int = DEFAULT_SEED, count: int = DEFAULT_COUNT, *, force: bool = False
) -> tuple[Path, list[Item]]:
    """The corpus folder and its items, generating it unless an up-to-date cache exists."""
    folder = corpus_dir(seed, count)
    if (folder / MANIFEST).exists() and not force:
        return folder, load_manifest(folder)
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    items = generate(folder, seed, count)
    manifest = json.dumps([asdict(item) for item in items], ensure_ascii=False, indent=1)
    (folder / MANIFEST).write_text(manifest, encoding="utf-8")
    return folder, items


def generate(folder: Path, seed: int, count: int) -> list[Item]:
    planned = [plan_item(seed, index) for index in range(count)]
    word_files: list[Path] = []
    with chromium_printer() as print_pdf:
        for item, person, rng in planned:
            target = folder / item.file
            if item.producer in ("chromium", "scan"):
                pdf = print_pdf(render_html(person, item.layout, rng))
                target.write_bytes(rasterise(pdf) if item.scanned else pdf)
            else:
                docx = render_docx(person, item.layout, rng)
                if item.producer == "docx":
                    target.write_bytes(docx)
                else:
                    source = target.with_suffix(".docx")
                    source.write_bytes(docx)
                    word_files.append(source)
    libreoffice_to_pdf(word_files, folder)
    return [item for item, _person, _rng in planned]


@contextmanager
def chromium_printer() -> Iterator:
    """A function printing an HTML string to PDF bytes with one headless Chromium.

    Playwright's sync API refuses a thread where an event loop runs, as it does in a pytest session
    that has already used pytest-playwright's browser; so it runs in a thread of its own."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="chromium-printer") as thread:
        playwright, page = thread.submit(_start_chromium).result()

        def print_pdf(html: str) -> bytes:
            return thread.submit(_print_pdf, page, html).result()

        try:
            yield print_pdf
        finally:
            thread.submit(playwright.stop).result()


def _start_chromium():
    from playwright.sync_api import sync_playwright

    executable = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(
            args=["--headless", "--no-sandbox", "--disable-gpu"],
            **({"executable_path": executable} if executable else {}),
        )
        return playwright, browser.new_page()
    except BaseException:
        playwright.stop()
        raise


def _print_pdf(page, html: str) -> bytes:
    page.set_content(html)
    return page.pdf(format="A4", print_background=True, prefer_css_page_size=True)


def libreoffice_to_pdf(word_files: list[Path], folder: Path) -> None:
    """Print the Word files to PDF with one LibreOffice run (a private profile), then drop them."""
    if not word_files:
        return
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(folder),
                *map(str, word_files),
            ],
            check=True,
            capture_output=True,
            timeout=600,
        )
    for path in word_files:
        path.unlink()


def rasterise(pdf: bytes, dpi: int = 150) -> bytes:
    """The PDF's pages as greyscale images in an image-only PDF, like a scanner's output."""
    from PIL import Image

    with tempfile.TemporaryDirectory() as work:
        source = Path(work) / "in.pdf"
        source.write_bytes(pdf)
        subprocess.run(
            ["pdftoppm", "-r", str(dpi), "-gray", "-png", str(source), f"{work}/page"],
            check=True,
            capture_output=True,
            timeout=120,
        )
        pages = [Image.open(path) for path in sorted(Path(work).glob("page*.png"))]
        output = Path(work) / "out.pdf"
        pages[0].save(output, save_all=True, append_images=pages[1:], resolution=dpi)
        return output.read_bytes()
