"""The ring and numbered badge drawn around a shot's targets, and the shot itself.

Ready for the picture: no focus ring left from the last action, no hover; a ring around
each target, padded off it, and a badge numbered per figure beside it, on a layer of their own
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
# box and a badge numbered 1, 2, ... (per figure) beside it, on a layer of their own above
# the page; the fonts loaded. Each side of a ring stands PAD px off its target, less where
# that would cross text that is not the target's, never less than MIN_PAD; the facing sides
# of two rings give way until GAP px apart, into the targets' own padding if need be (the
# Total and Credit rows are neighbours). A badge goes to the first
# free place of: left of the ring, right of it, on its top-right or top-left corner, above
# it, below it, on a bottom corner ("free": inside the window by EDGE px, covering no
# text, control, ring or badge), else the place covering least; always inside the window.
# Returns the clip: the window from the top down to the end of the content and of the
# rings, the portal's chrome for orientation and no empty space.
OVERLAY_JS = """({boxes, colour}) => {
  document.activeElement?.blur();
  const PAD = 8, MIN_PAD = 3, GAP = 6, size = 24, gap = 6, margin = 3, EDGE = 4, line = 3;
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
  const hits = (a, b, m = margin) => a.x < b.x + b.w + m && b.x < a.x + a.w + m && a.y < b.y + b.h + m && b.y < a.y + a.h + m;
  const inside = (o, b) => o.x >= b.x - 1 && o.y >= b.y - 1 && o.x + o.w <= b.x + b.width + 1 && o.y + o.h <= b.y + b.height + 1;
  const rect = (b, p) => ({x: b.x - p.l, y: b.y - p.t, w: b.width + p.l + p.r, h: b.height + p.t + p.b});
  // Each side's padding: as much as PAD allows without crossing text outside the target.
  const pads = boxes.map(b => {
    const foreign = obstacles.filter(o => !inside(o, b));
    const p = {l: PAD, r: PAD, t: PAD, b: PAD};
    for (const side of ["t", "b", "l", "r"]) {
      while (p[side] > MIN_PAD) {
        const ring = rect(b, p);
        const band = side === "t" ? {x: ring.x, y: ring.y, w: ring.w, h: line}
          : side === "b" ? {x: ring.x, y: ring.y + ring.h - line, w: ring.w, h: line}
          : side === "l" ? {x: ring.x, y: ring.y, w: line, h: ring.h} : {x: ring.x + ring.w - line, y: ring.y, w: line, h: ring.h};
        if (!foreign.some(o => hits(band, o, 1))) break;
        p[side] -= 1;
      }
    }
    p.l = Math.min(p.l, b.x - 1); p.t = Math.min(p.t, b.y - 1);  // every side inside the window
    p.r = Math.min(p.r, width - 1 - (b.x + b.width));
    return p;
  });
  // Neighbouring rings: the facing sides give way, in turn, until GAP px apart.
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    for (let round = 0; round < 4 * PAD && hits(rect(boxes[i], pads[i]), rect(boxes[j], pads[j]), GAP); round++) {
      const [a, b] = boxes[i].y <= boxes[j].y ? [i, j] : [j, i];
      const vertical = boxes[a].y + boxes[a].height <= boxes[b].y + 1;
      const [x, y] = vertical ? ["b", "t"] : (boxes[i].x <= boxes[j].x ? ["r", "l"] : ["l", "r"]);
      const [first, second] = vertical ? [a, b] : (boxes[i].x <= boxes[j].x ? [i, j] : [j, i]);
      if (pads[first][x] <= -GAP / 2 && pads[second][y] <= -GAP / 2) break;  // (inside the target's own padding)
      if (pads[first][x] >= pads[second][y]) pads[first][x] -= 1; else pads[second][y] -= 1;
    }
  }
  const rings = boxes.map((b, i) => rect(b, pads[i]));
  const layer = document.createElement("div");
  layer.id = "portal-docs-overlay";
  layer.setAttribute("aria-hidden", "true");
  layer.style.cssText = "position:absolute;left:0;top:0;width:0;height:0;z-index:2147483647;pointer-events:none";
  const badges = [];
  rings.forEach((ring, index) => {
    const middle = ring.y + ring.h / 2 - size / 2, half = size / 2;
    const places = [
      {x: ring.x - gap - size, y: middle}, {x: ring.x + ring.w + gap, y: middle},
      {x: ring.x + ring.w - half, y: ring.y - half}, {x: ring.x - half, y: ring.y - half},
      {x: ring.x, y: ring.y - gap - size}, {x: ring.x, y: ring.y + ring.h + gap},
      {x: ring.x + ring.w - half, y: ring.y + ring.h - half}, {x: ring.x - half, y: ring.y + ring.h - half},
    ].map(p => ({...p, w: size, h: size}));
    const others = [...rings.filter((_, i) => i !== index), ...badges];
    const within = p => p.x >= EDGE && p.y >= EDGE && p.x + size <= width - EDGE;
    const covered = p => obstacles.filter(o => hits(p, o)).length + 3 * others.filter(o => hits(p, o)).length;
    const inWindow = places.filter(within);
    const place = inWindow.find(p => !covered(p))  // the first free place, else the least covered one
      || inWindow.reduce((best, p) => (best && covered(best) <= covered(p) ? best : p), null) || places[3];
    place.x = Math.min(Math.max(EDGE, place.x), width - EDGE - size);
    place.y = Math.max(EDGE, place.y);
    badges.push(place);
    const frame = document.createElement("div");
    frame.style.cssText = `position:absolute;box-sizing:border-box;left:${ring.x}px;top:${ring.y}px;`
      + `width:${ring.w}px;height:${ring.h}px;border:${line}px solid ${colour};border-radius:8px;`
      + `box-shadow:0 0 0 2px #fff,inset 0 0 0 1px #fff`;
    const mark = document.createElement("div");
    mark.textContent = String(index + 1);
    mark.style.cssText = `position:absolute;left:${place.x}px;top:${place.y}px;`
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
  for (const ring of rings) bottom = Math.max(bottom, ring.y + ring.h);
  for (const badge of badges) bottom = Math.max(bottom, badge.y + size);
  const page = document.documentElement;
  const clip = {x: 0, y: 0, width, height: Math.min(page.scrollHeight, Math.ceil(bottom + 24))};
  return document.fonts.load('700 13px "Portal Sans"').then(() => document.fonts.ready).then(() => clip);
}"""

REMOVE_OVERLAY_JS = "() => document.getElementById('portal-docs-overlay')?.remove()"


def shoot(page, boxes: list[dict]) -> bytes:
    """The page with `boxes` (document coordinates) ringed and badged 1, 2, ..., as a PNG."""
    page.wait_for_load_state("load")  # a click's navigation may still be loading
    page.mouse.move(0, 0)  # no hover left over from the last click
    clip = page.evaluate(OVERLAY_JS, {"boxes": boxes, "colour": OUTLINE_COLOUR})
    try:
        return page.screenshot(full_page=True, clip=clip, animations="disabled", caret="hide")
    finally:
        page.evaluate(REMOVE_OVERLAY_JS)
