"""How much of an untrusted file the parser reads before it gives up."""

MAX_PDF_PAGES = 50
MAX_TEXT_CHARS = 200_000
# Budget for all Flate streams of one PDF once inflated; resumes need a few MB at most.
MAX_INFLATED_PDF_BYTES = 128 * 2**20
MAX_DOCX_XML_BYTES = 20 * 2**20
# Scans: pages read by OCR, at what resolution, and the pixel budgets checked before rasterising.
MAX_OCR_PAGES = 3
OCR_DPI = 200
MAX_SCAN_PAGE_PIXELS = 40_000_000
MAX_PDF_IMAGE_PIXELS = 60_000_000
