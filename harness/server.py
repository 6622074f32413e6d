"""Serve a WSGI app (the simulator) on a free local port, in a background thread.

Used by the acceptance suite (one simulator per pytest worker) and by anything
else that needs a live portal without `portal-sim serve`. waitress, not Flask's
development server, so the app runs as it does in production.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from waitress import create_server

from simulator.serving import server_options


@dataclass
class EmbeddedServer:
    url: str
    _server: object
    _thread: threading.Thread
    _stopping: threading.Event

    def stop(self) -> None:
        self._stopping.set()
        self._server.task_dispatcher.shutdown()
        self._server.close()  # empties the socket map, which ends the loop
        self._thread.join(timeout=5)


def serve_in_thread(app, host: str = "127.0.0.1", threads: int = 8) -> EmbeddedServer:
    """Start `app` on `host` at a port the OS picks; returns its URL and a stop()."""
    server = create_server(app, host=host, port=0, threads=threads, **server_options())
    stopping = threading.Event()

    def run() -> None:
        try:
            server.run()
        except OSError:  # the socket closed under select() by stop()
            if not stopping.is_set():
                raise

    thread = threading.Thread(target=run, name="embedded-portal", daemon=True)
    thread.start()
    return EmbeddedServer(f"http://{host}:{server.effective_port}", server, thread, stopping)


def start_simulator(**config) -> EmbeddedServer:
    """The simulator with its control API (TESTING=True) and in-memory state."""
    from simulator import create_app

    app = create_app({"TESTING": True, "DATABASE": None, **config})
    return serve_in_thread(app)


class ServedAsError(ValueError):
    """A UI profile's `simulator:` section that cannot be served; one line, naming the file."""


@dataclass(frozen=True)
class ServedAs:
    """How the suite serves its own simulator for a UI profile, from the profile's
    `simulator:` section (raw; the profile itself knows nothing of Flask) and its locale:

        simulator:
          label_catalog: renamed-catalog   # a folder beside the profile: LABEL_CATALOG
          theme: classic                   # PORTAL_THEME, and `theme:` of every seeded account

    The app config applies to the embedded simulator only; `scenario()` is asked of every
    account seeded for the profile, so a `portal-sim serve` reached with --base-url shows
    each scenario's account in the profile's theme, as `locale:` does for its language."""

    locale: str | None = None
    label_catalog: Path | None = None
    theme: str | None = None

    KEYS = ("label_catalog", "theme")

    @classmethod
    def of(cls, profile) -> "ServedAs":
        section = profile.simulator
        unknown = sorted(set(section) - set(cls.KEYS))
        if unknown:
            raise ServedAsError(f"{profile.source}: simulator: unknown key {unknown[0]!r} "
                                f"(known: {', '.join(cls.KEYS)})")
        catalog = section.get("label_catalog")
        folder = (Path(profile.source).parent / str(catalog)).resolve() if catalog else None
        if folder is not None and not folder.is_dir():
            raise ServedAsError(f"{profile.source}: simulator: label_catalog: no folder {folder}")
        theme = section.get("theme")
        return cls(profile.locale or None, folder, str(theme) if theme else None)

    def app_config(self) -> dict:
        """The Flask config of the embedded simulator serving this portal."""
        config = {"PORTAL_LOCALE": self.locale} if self.locale else {}
        if self.label_catalog is not None:
            config["LABEL_CATALOG"] = str(self.label_catalog)
        if self.theme is not None:
            config["PORTAL_THEME"] = self.theme
        return config

    def scenario(self) -> dict:
        """What every account seeded for this portal asks of it beyond the profile's language."""
        return {"theme": self.theme} if self.theme else {}
