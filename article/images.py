"""docs/img: each shot written only when it changed, and the browser build that rendered them."""
from __future__ import annotations

from pathlib import Path

from .compare import Difference, compare
from .errors import DocsError

RENDERER_FILE = "renderer.txt"
# What became of an image: a new file, the same bytes (nothing written), within the
# threshold under --update (the old file kept), written with its difference, or removed
# (no figure asks for it any more).
NEW, UNCHANGED, KEPT, WRITTEN, REMOVED = "new", "unchanged", "kept", "written", "removed"


def remove_orphans(folder: Path, names: set[str]) -> list[tuple[str, str, None]]:
    """Remove the images (light, dark, failing screen) of `folder` that no figure named
    in `names` asks for: a renamed or removed marker's."""
    removed = []
    try:
        for path in sorted([*folder.glob("*.png"), *folder.glob("dark/*.png")]):
            name = path.name.removesuffix(".failed.png").removesuffix(".png")
            if name not in names:
                path.unlink()
                removed.append((str(path.relative_to(folder)), REMOVED, None))
    except OSError as exc:
        raise DocsError(f"cannot write to {folder}: {exc.strerror}") from None
    return removed


def write_failed_screens(failed: dict[str, bytes | None], folder: Path) -> None:
    """<name>.failed.png beside the last good image of each image not verified (None: it
    passed, and a failed screen left from before goes)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for name, png in failed.items():
            path = folder / f"{name}.failed.png"
            if png is not None:
                path.write_bytes(png)
            elif path.exists():
                path.unlink()
    except OSError as exc:
        raise DocsError(f"cannot write to {folder}: {exc.strerror}") from None


def recorded_renderer(folder: Path) -> str:
    path = folder / RENDERER_FILE
    return path.read_text(encoding="utf-8").strip() if path.is_file() else "(not recorded)"


def write_images(shots: dict[str, bytes], folder: Path, *, update: bool, renderer: str = ""
                 ) -> list[tuple[str, str, Difference | None]]:
    """Write each shot that differs from the file there; with `update`, only those
    changed beyond the threshold. Returns (file name, NEW/UNCHANGED/KEPT/WRITTEN, the
    difference when one was measured) per shot. renderer.txt is rewritten only when an
    image was written: a run that changed nothing leaves the folder as it was."""
    outcomes = []
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for name, png in shots.items():
            path = folder / f"{name}.png"
            if not path.is_file():
                path.write_bytes(png)
                outcomes.append((path.name, NEW, None))
                continue
            before = path.read_bytes()
            if before == png:
                outcomes.append((path.name, UNCHANGED, None))
                continue
            difference = compare(before, png) if update else None
            if difference is not None and not difference.beyond_threshold:
                outcomes.append((path.name, KEPT, difference))
                continue
            path.write_bytes(png)
            outcomes.append((path.name, WRITTEN, difference))
        if renderer and any(outcome in (NEW, WRITTEN) for _, outcome, _ in outcomes):
            (folder / RENDERER_FILE).write_text(renderer + "\n", encoding="utf-8")
    except OSError as exc:
        raise DocsError(f"cannot write to {folder}: {exc.strerror}") from None
    return outcomes
