"""Scanned pages -> text: photos and scans given as images, and the pages of a PDF that have
no readable text layer (pdf.py decides which), read by OCR (parsing/ocr/).

An image file's frames (a TIFF may hold several pages) are turned upright as their EXIF
orientation says, OCR'd one by one within the file's page and time limits, laid out as rows
(ocr/layout.py) and joined into paragraphs by the text PDF's own rules (pdfrows.py).
"""
from __future__ import annotations

import hashlib
import io

from .. import ocr
from ..chars import fold_radicals
from ..ocr.layout import ocr_rows
from ..types import DecodedDocument, ParseError
from .pdf import Page
from .pdfrows import drop_running_lines, join_rows

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".tif", ".tiff", ".webp", ".bmp", ".gif"}
# Pixels in one image at most (a 600 dpi A3 scan is about 70 million): Pillow's own guard
# against decompression bombs stops at 179 million with a warning only.
MAX_PIXELS = 120_000_000
# An image without a resolution in its header is taken to be a scan at this one.
ASSUMED_DPI = 200


def decode_image(data: bytes, name: str) -> DecodedDocument:
    frames = list(_frames(data, name))
    digest = hashlib.sha256(data).hexdigest()
    budget = ocr.PageBudget(name, len(frames))
    pages, read = [], []
    for number, (image, dpi) in enumerate(frames):
        budget.check()
        page = ocr.read_page(image, digest, str(number), dpi)
        budget.page_done()
        read.append((number, page))
        rows = ocr_rows(page)
        pages.append(Page(number, page.width * 72 / dpi, page.height * 72 / dpi, rows))
    text = text_of(pages)
    if not text.strip():
        raise ParseError(f"{name} 是一张图片，但文字识别(OCR)没有在其中读出文字；请确认图片是通报本身、"
                         "清晰且方向正确，或改用网页、.docx 或带文字层的 PDF。")
    return DecodedDocument(text=text, format="image", encoding=None, ocr=ocr.note_of(read))


def text_of(pages) -> str:
    """The paragraphs of the pages' rows, running lines dropped, one per line."""
    rows = drop_running_lines(pages)
    return fold_radicals("\n".join(join_rows(rows))) + "\n" if rows else ""


def _frames(data: bytes, name: str):
    """Each frame of the image, upright and in RGB, with its resolution."""
    from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

    unreadable = f"{name} 不是可以读取的图片（可能已损坏或格式不受支持）；请重新扫描或导出为 JPEG、PNG 后重试。"
    try:
        image = Image.open(io.BytesIO(data))
        if image.width * image.height > MAX_PIXELS:
            raise ParseError(f"{name} 的图片有 {image.width}×{image.height} 像素，超过 {MAX_PIXELS // 1_000_000} "
                             "百万像素的上限；请以 300 dpi 以下的分辨率重新扫描后重试。")
        dpi = _dpi(image)
        for frame in ImageSequence.Iterator(image):
            yield ImageOps.exif_transpose(frame).convert("RGB"), dpi
    except ParseError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        raise ParseError(unreadable) from exc


def _dpi(image) -> float:
    dpi = image.info.get("dpi")
    try:
        value = float(dpi[0]) if dpi else 0.0
    except (TypeError, ValueError):
        value = 0.0
    # Phone photos say 72 whatever they show; only a scanner's figure is believable.
    return value if 100 <= value <= 1200 else ASSUMED_DPI


def page_image(data: bytes, page: int, dpi: int = 100):
    """Page `page` (from 1) of a PDF or an image file, upright, as a PIL image: what the
    archivist compares OCR's text with. Raises ParseError when there is no such page."""
    if data[:1024].find(b"%PDF-") >= 0:
        import pypdfium2

        document = pypdfium2.PdfDocument(data)
        try:
            if not 1 <= page <= len(document):
                raise ParseError(f"没有第 {page} 页。")
            return document[page - 1].render(scale=dpi / 72, grayscale=True).to_pil()
        finally:
            document.close()
    for number, (image, _) in enumerate(_frames(data, "")):
        if number == page - 1:
            return image
    raise ParseError(f"没有第 {page} 页。")
