"""A PDF the portal hands out (the invoice), as an image for the article."""
from __future__ import annotations

import io

from .errors import StepFailed, first_line

POINTS_TO_PIXELS = 1.5  # 72 points per inch shown at 108 px per inch: legible beside the screens
BOTTOM_MARGIN = 48  # pixels of white kept below the last mark (an invoice fills a third of A4)


def pdf_to_png(pdf: bytes, step: str, scale: int = 1) -> bytes:
    """The first page of `pdf`, rendered by PDFium on white, as PNG bytes."""
    import pypdfium2
    from PIL import Image, ImageChops

    try:
        document = pypdfium2.PdfDocument(pdf)
    except pypdfium2.PdfiumError as exc:
        raise StepFailed(step, f"the PDF it downloaded cannot be read: {first_line(exc)}") from None
    try:
        image = document[0].render(scale=POINTS_TO_PIXELS * scale, fill_color=(255, 255, 255, 255)).to_pil()
    finally:
        document.close()
    image = image.convert("RGB")
    inked = ImageChops.difference(image, Image.new("RGB", image.size, "white")).getbbox()
    if inked is not None:  # the page's full width, cut below what is printed on it
        image = image.crop((0, 0, image.width, min(image.height, inked[3] + BOTTOM_MARGIN * scale)))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
