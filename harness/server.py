"""Serve a WSGI app (the simulator) on a free local port, in a background thread.

Used by the acceptance suite (one simulator per pytest worker) and by anything
else that needs a live portal without `portal-sim serve`. waitress, not Flask's
development server, so the app runs as it does in production.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass

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


def simulator_config(profile) -> dict:
    """The app config that serves the portal a UI profile describes, from its `simulator:`
    section (only for the suite's own simulator, not with --base-url): its default language
    (the login page's), its label catalog, its theme."""
    config = {"PORTAL_LOCALE": profile.locale} if profile.locale else {}
    if profile.simulator.get("label_catalog"):
        config["LABEL_CATALOG"] = profile.simulator["label_catalog"]
    if profile.simulator.get("theme"):
        config["PORTAL_THEME"] = profile.simulator["theme"]
    return config


def start_simulator(**config) -> EmbeddedServer:
    """The simulator with its control API (TESTING=True) and in-memory state."""
    from simulator import create_app

    app = create_app({"TESTING": True, "DATABASE": None, **config})
    return serve_in_thread(app)
