"""Scanned copies of PDFs: each page rasterised by poppler's pdftoppm to a JPEG and put
back on a page of its own with no text layer, as a scanner or a phone app would produce."""

import subprocess
import tempfile
from pathlib import Path


def scanned_copy(pdf: bytes, *, dpi: int = 150, last_page: int | None = None) -> bytes:
    with tempfile.TemporaryDirectory(prefix="scan-") as directory:
        source = Path(directory) / "source.pdf"
        source.write_bytes(pdf)
        pages = ["-l", str(last_page)] if last_page else []
        command = [
            "pdftoppm",
            "-r",
            str(dpi),
            "-gray",
            "-jpeg",
            *pages,
            str(source),
            f"{directory}/page",
        ]
        subprocess.run(command, check=True, capture_output=True)
        pages = [path.read_bytes() for path in sorted(Path(directory).glob("page-*.jpg"))]
    return image_pdf(pages, dpi=dpi)


def image_pdf(jpegs: list[bytes], *, dpi: int) -> bytes:
    """A PDF with one page per JPEG, each page the size of its image at `dpi`."""
    count = len(jpegs)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Count %d /Kids [%s] >>"
        % (count, b" ".join(b"%d 0 R" % (3 + 3 * index) for index in range(count))),
    ]
    for index, jpeg in enumerate(jpegs):
        width, height, components = jpeg_frame(jpeg)
        colours = b"/DeviceGray" if components == 1 else b"/DeviceRGB"
        points = (width * 72 / dpi, height * 72 / dpi)
        first = 3 + 3 * index
        drawing = b"q %.2f 0 0 %.2f 0 0 cm /Scan Do Q" % points
        objects += [
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %.2f %.2f] /Contents %d 0 R"
            b" /Resources << /XObject << /Scan %d 0 R >> >> >>" % (*points, first + 1, first + 2),
            b"<< /Length %d >>\nstream\n%s\nendstream" % (len(drawing), drawing),
            b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace %s"
            b" /BitsPerComponent 8 /Filter /DCTDecode /Length %d >>\nstream\n%s\nendstream"
            % (width, height, colours, len(jpeg), jpeg),
        ]
    return pdf_file(objects)


def pdf_file(objects: list[bytes]) -> bytes:
    """Object n is objects[n - 1]; object 1 is the catalog."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def jpeg_frame(jpeg: bytes) -> tuple[int, int, int]:
    """(width, height, colour components) from the JPEG's start-of-frame segment."""
    position = 2
    while position < len(jpeg):
        marker, length = jpeg[position + 1], int.from_bytes(jpeg[position + 2 : position + 4])
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height = int.from_bytes(jpeg[position + 5 : position + 7])
            width = int.from_bytes(jpeg[position + 7 : position + 9])
            return width, height, jpeg[position + 9]
        position += 2 + length
    raise ValueError("no start-of-frame segment in the JPEG")
