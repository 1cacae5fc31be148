"""Scans made from a text PDF, for the OCR tests and tools/bench_ocr.py: each page rendered
as a scanner would give it, optionally tilted, speckled and JPEG-compressed.

    scan_pages(pdf_bytes, dpi=150, tilt=0.8, noise=0.02, jpeg=60, pages=[0])  -> [PIL images]
    image_pdf(images, dpi)                                                   -> bytes of a PDF
"""
from __future__ import annotations

import io
import random


def scan_pages(pdf: bytes, dpi: int = 200, tilt: float = 0.0, noise: float = 0.0, jpeg: int | None = None,
               pages: list[int] | None = None, seed: int = 19) -> list:
    """The PDF's pages (all, or those listed) as grey page images of a scan."""
    import pypdfium2
    from PIL import Image

    document = pypdfium2.PdfDocument(pdf)
    rng = random.Random(seed)
    out = []
    try:
        for number in pages if pages is not None else range(len(document)):
            if number >= len(document):
                continue
            image = document[number].render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
            if tilt:
                image = image.rotate(tilt, resample=Image.BICUBIC, expand=False, fillcolor=255)
            if noise:
                image = _speckle(image, noise, rng)
            if jpeg:
                buffer = io.BytesIO()
                image.save(buffer, "JPEG", quality=jpeg)
                image = Image.open(io.BytesIO(buffer.getvalue()))
            image.info["dpi"] = (dpi, dpi)
            out.append(image)
    finally:
        document.close()
    return out


def _speckle(image, share: float, rng: random.Random):
    """Dark and light specks on `share` of the pixels, as dust and toner leave them."""
    import numpy as np

    pixels = np.asarray(image).copy()
    generator = np.random.default_rng(rng.randrange(1 << 30))
    mask = generator.random(pixels.shape) < share
    pixels[mask] = generator.choice(np.array([0, 90, 200, 255], dtype=np.uint8), size=int(mask.sum()))
    from PIL import Image

    return Image.fromarray(pixels)


def image_pdf(images: list, dpi: int) -> bytes:
    """An image-only PDF of the pages, as a scanner writes it (no text layer). Its dates are fixed
    (Pillow writes the time of saving otherwise): the same pages give the same bytes, so the OCR
    cache, keyed by the file's sha256, serves a second run of tools/bench_ocr.py --cache."""
    import time

    buffer = io.BytesIO()
    first, *rest = [image.convert("L") for image in images]
    epoch = time.gmtime(0)
    first.save(buffer, "PDF", save_all=True, append_images=rest, resolution=dpi, creationDate=epoch, modDate=epoch)
    return buffer.getvalue()


def image_bytes(image, fmt: str = "PNG", **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, dpi=image.info.get("dpi", (200, 200)), **options)
    return buffer.getvalue()
