"""Regenerate the Japanese font subset from the ja catalog.

    apt-get install fonts-noto-cjk        # Noto Sans CJK (SIL OFL 1.1)
    python simulator/translations/subset_font.py

DejaVu Sans and Portal Sans have no Japanese glyphs. The portal ships Noto Sans
CJK JP cut down (fontTools) to the characters a Japanese screen or PDF can show:
every character of the ja catalog, ASCII (plan names, emails, invoice numbers,
amounts), ¥ and the few signs the portal prints between them. The same input
gives the same bytes, so screenshots and PDFs stay byte-stable.
Run it after adding or changing a ja translation; tests/simulator/test_i18n.py
fails while a character of the catalog is missing from the subset.
"""
from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.pofile import read_po
from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTCollection, newTable

HERE = Path(__file__).resolve().parent
CATALOG = HERE / "ja" / "LC_MESSAGES" / "messages.po"
FONTS = HERE.parent / "static" / "fonts"
SOURCES = Path("/usr/share/fonts/opentype/noto")
# (collection in fonts-noto-cjk, face "Noto Sans CJK JP" in it, subset written)
FACES = (("NotoSansCJK-Regular.ttc", "NotoSansJP-Portal.ttf"),
         ("NotoSansCJK-Bold.ttc", "NotoSansJP-Portal-Bold.ttf"))
# Printed by the portal's code around the catalog's words: amounts, the cycle
# select ("月払い — ¥500"), breadcrumbs, the brand mark, formulas, the title's "·".
EXTRA = "¥—›◆→−×…·\u00a0"


def catalog_text(path: Path = CATALOG) -> str:
    with path.open("rb") as handle:
        catalog = read_po(handle)
    parts = []
    for message in catalog:
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        parts.extend(s for s in strings if s)
    return "".join(parts)


def characters() -> str:
    ascii_printable = "".join(chr(c) for c in range(0x20, 0x7F))
    return "".join(sorted(set(catalog_text() + ascii_printable + EXTRA)))


def japanese_face(collection: Path):
    for font in TTCollection(str(collection)).fonts:
        if font["name"].getDebugName(4) in ("Noto Sans CJK JP", "Noto Sans CJK JP Bold"):
            return font
    raise SystemExit(f"no Noto Sans CJK JP face in {collection}")


def to_truetype(font) -> None:
    """CFF outlines to TrueType ones (fontTools' otf2ttf recipe). fpdf2 embeds a
    CID-keyed CFF font with its own encoding CMap, which text extractors such as
    pypdf misread; a TrueType font is embedded as Identity-H like DejaVu Sans."""
    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyf = font["glyf"] = newTable("glyf")
    font["loca"] = newTable("loca")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, max_err=1.0, reverse_direction=True))
        glyf.glyphs[name] = pen.glyph()
    del font["CFF "]
    if "VORG" in font:
        del font["VORG"]
    glyf.compile(font)
    hmtx = font["hmtx"]
    for name, glyph in glyf.glyphs.items():
        if hasattr(glyph, "xMin"):
            hmtx[name] = (hmtx[name][0], glyph.xMin)
    maxp = font["maxp"] = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for field in ("maxZones", "maxTwilightPoints", "maxStorage", "maxFunctionDefs",
                  "maxInstructionDefs", "maxStackElements", "maxSizeOfInstructions",
                  "maxComponentElements"):
        setattr(maxp, field, 1 if field == "maxZones" else 0)
    maxp.compile(font)
    post = font["post"]
    post.formatType, post.extraNames, post.mapping, post.glyphOrder = 2.0, [], {}, order
    font.sfntVersion = "\x00\x01\x00\x00"


def main() -> int:
    text = characters()
    for source, target in FACES:
        path = SOURCES / source
        if not path.is_file():
            print(f"subset_font: {path} not found: apt-get install fonts-noto-cjk",
                  file=sys.stderr)
            return 2
        font = japanese_face(path)
        options = subset.Options()
        options.name_IDs = ["*"]  # keep the copyright and license fields (OFL §2)
        options.name_languages = ["*"]
        options.notdef_outline = True
        subsetter = subset.Subsetter(options)
        subsetter.populate(text=text)
        subsetter.subset(font)
        to_truetype(font)
        font.recalcTimestamp = False  # keep the source's date: the same bytes from the same input
        font.save(str(FONTS / target))
        print(f"{target}: {len(text)} characters, {(FONTS / target).stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
