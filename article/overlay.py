"""The ring and numbered badge drawn around a shot's targets, and the shot itself.

Ready for the picture: no focus ring left from the last action, no hover; a ring around
each target and a badge carrying the step's number beside it, on a layer of their own
above the page; the fonts loaded. The clip runs from the top of the window down to the
end of the content and of the rings: the portal's chrome for orientation, no empty space.
"""
from __future__ import annotations

OUTLINE_COLOUR = "#d6246e"

# Document coordinates of an element's border box.
BOX_JS = """element => {
  const r = element.getBoundingClientRect();
  return {x: r.left + window.scrollX, y: r.top + window.scrollY, width: r.width, height: r.height};
}"""

# Ready for the picture: no focus ring left from the last action; a ring around each
# box and a numbered badge beside it, on a layer of their own above the page (the badge
# goes to the first free place of: left of the ring, right of it, its top-left, top-right,
# bottom-left corner; "free" means covering no text, control or other ring); the fonts
# loaded. Returns the clip: the window from the top down to the end of the content and
# of the rings, the portal's chrome for orientation and no empty space below.
OVERLAY_JS = """({boxes, badge, colour}) => {
  document.activeElement?.blur();
  const pad = 5, size = 24, gap = 4, margin = 2;
  const sx = window.scrollX, sy = window.scrollY, width = document.documentElement.clientWidth;
  const obstacles = [];
  const add = r => { if (r.width > 2 && r.height > 2) obstacles.push({x: r.left + sx, y: r.top + sy, w: r.width, h: r.height}); };
  const texts = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let node = texts.nextNode(); node; node = texts.nextNode()) {
    const parent = node.parentElement, box = parent.getBoundingClientRect();
    if (!node.textContent.trim() || box.width <= 2 || box.height <= 2 || !parent.checkVisibility()) continue;
    range.selectNodeContents(node);  // (a visually hidden caption is a 1 px box: skipped)
    for (const r of range.getClientRects()) add(r);
  }
  for (const el of document.querySelectorAll("input, select, textarea, button, img, .button, .status")) add(el.getBoundingClientRect());
  const rings = boxes.map(b => {  // kept inside the window, so that every side shows
    const x = Math.max(1, b.x - pad), right = Math.min(width - 1, b.x + b.width + pad);
    return {x, y: Math.max(1, b.y - pad), w: right - x, h: b.height + 2 * pad};
  });
  const hits = (a, b) => a.x < b.x + b.w + margin && b.x < a.x + a.w + margin && a.y < b.y + b.h + margin && b.y < a.y + a.h + margin;
  const layer = document.createElement("div");
  layer.id = "portal-docs-overlay";
  layer.setAttribute("aria-hidden", "true");
  layer.style.cssText = "position:absolute;left:0;top:0;width:0;height:0;z-index:2147483647;pointer-events:none";
  rings.forEach((ring, index) => {
    const middle = ring.y + ring.h / 2 - size / 2, half = size / 2;
    const places = [
      {x: ring.x - gap - size, y: middle}, {x: ring.x + ring.w + gap, y: middle},
      {x: ring.x - half, y: ring.y - half}, {x: ring.x + ring.w - half, y: ring.y - half},
      {x: ring.x - half, y: ring.y + ring.h - half},
    ].map(p => ({...p, w: size, h: size}));
    const others = rings.filter((_, i) => i !== index);
    const free = p => p.x >= 0 && p.y >= 0 && p.x + size <= width
      && !obstacles.some(o => hits(p, o)) && !others.some(o => hits(p, o));
    const place = places.find(free) || places[2];
    const frame = document.createElement("div");
    frame.style.cssText = `position:absolute;box-sizing:border-box;left:${ring.x}px;top:${ring.y}px;`
      + `width:${ring.w}px;height:${ring.h}px;border:3px solid ${colour};border-radius:8px;`
      + `box-shadow:0 0 0 2px #fff,inset 0 0 0 1px #fff`;
    const mark = document.createElement("div");
    mark.textContent = badge;
    mark.style.cssText = `position:absolute;left:${Math.max(0, place.x)}px;top:${Math.max(0, place.y)}px;`
      + `width:${size}px;height:${size}px;border-radius:50%;background:${colour};color:#fff;`
      + `text-align:center;font:700 13px/${size}px "Portal Sans",sans-serif;box-shadow:0 0 0 2px #fff`;
    layer.append(frame, mark);
  });
  document.body.append(layer);

  let bottom = 0;
  for (const child of document.querySelector("main").children) {
    const r = child.getBoundingClientRect();
    if (r.height > 1) bottom = Math.max(bottom, r.bottom + sy);
  }
  for (const ring of rings) bottom = Math.max(bottom, ring.y + ring.h + size / 2);  // a badge below
  const page = document.documentElement;
  const clip = {x: 0, y: 0, width, height: Math.min(page.scrollHeight, Math.ceil(bottom + 24))};
  return document.fonts.load('700 13px "Portal Sans"').then(() => document.fonts.ready).then(() => clip);
}"""

REMOVE_OVERLAY_JS = "() => document.getElementById('portal-docs-overlay')?.remove()"


def shoot(page, boxes: list[dict], badge: str) -> bytes:
    """The page with `boxes` (document coordinates) ringed and badged, as a PNG."""
    page.wait_for_load_state("load")  # a click's navigation may still be loading
    page.mouse.move(0, 0)  # no hover left over from the last click
    clip = page.evaluate(OVERLAY_JS, {"boxes": boxes, "badge": badge, "colour": OUTLINE_COLOUR})
    try:
        return page.screenshot(full_page=True, clip=clip, animations="disabled", caret="hide")
    finally:
        page.evaluate(REMOVE_OVERLAY_JS)
