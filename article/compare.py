"""How two PNGs differ: the threshold shared by `--update` and the visual gate.

pixelmatch's per-pixel colour distance (0..1, its default 0.1; at 0.05 a slightly lighter
accent blue, #1f5fbf -> #2b6fd1, still counts; anti-aliased pixels are ignored), and the
share of an image's pixels that may differ beyond it before the image counts as changed.
Renders by one browser build are byte-identical, so this only absorbs the odd
rasterisation pixel; a changed colour, word or layout is far above it.
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

PIXEL_THRESHOLD = 0.05
MAX_DIFF_RATIO = 0.0001


@dataclass(frozen=True)
class Difference:
    """How an image differs from the one it replaces."""

    pixels: int  # beyond pixelmatch's threshold, anti-aliasing aside
    total: int
    reason: str = ""  # e.g. "size 1100×640 → 1100×700": changed, whatever the pixels
    touched: int = 0  # pixels whose bytes differ at all
    counted_all: bool = True  # False: counting stopped once past the allowance

    @property
    def allowed(self) -> int:
        return int(self.total * MAX_DIFF_RATIO)

    @property
    def beyond_threshold(self) -> bool:
        return bool(self.reason) or self.pixels > self.allowed

    def __str__(self) -> str:
        if self.reason:
            return self.reason
        if not self.touched:
            return "identical pixels"
        if not self.pixels:
            return f"{self.touched} pixels differ slightly (below the colour threshold or anti-aliasing)"
        many = "" if self.counted_all else "more than "
        return f"{many}{self.pixels} of {self.total} pixels differ (at most {self.allowed} allowed)"


def compare(expected: bytes, actual: bytes, diff_path: Path | None = None) -> Difference:
    """Compare two PNGs; if their pixels differ, write a diff image to `diff_path`.

    pixelmatch is pure Python, so it only sees what may count: Pillow first finds the
    pixels whose channels differ enough to pass its colour threshold at all, then
    pixelmatch checks them tile by tile (with a margin for its anti-aliasing test) until
    they are all counted or the allowance is exceeded. The diff image is the expected
    image faded, differing pixels red (anti-aliasing yellow where pixelmatch looked).
    """
    from PIL import Image, ImageChops

    before = Image.open(io.BytesIO(expected)).convert("RGBA")
    after = Image.open(io.BytesIO(actual)).convert("RGBA")
    total = after.width * after.height
    if before.size != after.size:
        return Difference(total, total, "size {}×{} → {}×{}".format(*before.size, *after.size))
    red_band, green_band, blue_band = ImageChops.difference(before.convert("RGB"), after.convert("RGB")).split()
    largest = ImageChops.lighter(ImageChops.lighter(red_band, green_band), blue_band)
    touched = total - largest.histogram()[0]
    if not touched:
        return Difference(0, total)
    # pixelmatch's YIQ distance is at most 1.144 × (largest channel difference)²: below
    # this a pixel cannot pass its threshold, whatever the channels.
    least = int((35215 * PIXEL_THRESHOLD ** 2 / 1.144) ** 0.5)
    candidates = largest.point(lambda value: 255 if value >= least else 0)
    diff = Image.blend(Image.new("RGBA", before.size, "white"), before.convert("L").convert("RGBA"), 0.1)
    red = (255, 0, 0, 255)
    diff.paste(red, mask=candidates)

    from pixelmatch.contrib.PIL import pixelmatch

    width, height = after.size
    allowed, tile, margin = int(total * MAX_DIFF_RATIO), 32, 3
    pixels, counted_all = 0, True
    for top in range(0, height, tile):
        for left in range(0, width, tile):
            inside = candidates.crop((left, top, min(left + tile, width), min(top + tile, height))).getbbox()
            if inside is None:
                continue
            if pixels > allowed:
                counted_all = False
                break
            core = (left + inside[0], top + inside[1], left + inside[2], top + inside[3])
            outer = (max(0, core[0] - margin), max(0, core[1] - margin),
                     min(width, core[2] + margin), min(height, core[3] + margin))
            marked = Image.new("RGBA", (outer[2] - outer[0], outer[3] - outer[1]))
            pixelmatch(before.crop(outer), after.crop(outer), marked, threshold=PIXEL_THRESHOLD)
            mine = marked.crop((core[0] - outer[0], core[1] - outer[1],
                                core[2] - outer[0], core[3] - outer[1]))
            pixels += _count(mine, red)
            diff.paste(mine, core[:2])
        if not counted_all:
            break
    if diff_path is not None:
        diff_path.parent.mkdir(parents=True, exist_ok=True)
        diff.save(diff_path)
    return Difference(pixels, total, touched=touched, counted_all=counted_all)


def _count(image, colour: tuple[int, ...]) -> int:
    """How many pixels of `image` are exactly `colour`."""
    from PIL import ImageChops

    match = None
    for band, wanted in zip(image.split(), colour):
        hit = band.point(lambda value, wanted=wanted: 255 if value == wanted else 0)
        match = hit if match is None else ImageChops.darker(match, hit)
    return match.histogram()[255]
