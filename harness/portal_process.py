"""`portal-sim serve` as a separate process, for tests that restart or kill it.

The process is ready when it prints its "serving http://..." line; we read
that line instead of polling or sleeping, and take the port it bound (we ask
for port 0 so parallel runs never collide).
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

READY = re.compile(r"serving (http://\S+?)/? \(")


class PortalProcess:
    def __init__(self, *, db: Path | None = None, scenario: Path | None = None,
                 testing: bool = True, port: int = 0, checkout: Path | None = None):
        # `checkout`: serve the simulator of another copy of the project (one with a
        # regression planted by bench.mutants), not the one installed here.
        self.checkout = checkout
        self.args = [sys.executable, "-m", "simulator.cli", "serve", "--port", str(port)]
        if db is not None:
            self.args += ["--db", str(db)]
        if scenario is not None:
            self.args += ["--scenario", str(scenario)]
        if testing:
            self.args.append("--testing")
        self.process: subprocess.Popen | None = None
        self.url = ""

    def start(self) -> "PortalProcess":
        # stderr goes to a file: an unread pipe would fill up and stall the server.
        self.errors = tempfile.TemporaryFile(mode="w+")
        env = None if self.checkout is None else {**os.environ, "PYTHONPATH": str(self.checkout)}
        self.process = subprocess.Popen(
            self.args, stdout=subprocess.PIPE, stderr=self.errors, text=True, cwd=self.checkout, env=env)
        line = self.process.stdout.readline()
        match = READY.search(line)
        if not match:
            self.process.kill()
            self.process.wait(timeout=10)
            self.errors.seek(0)
            raise RuntimeError(f"portal-sim did not start: {line.strip() or self.errors.read().strip()}")
        self.url = match.group(1)
        return self

    def kill(self) -> None:
        """SIGKILL: no chance to flush or clean up, as in a crash."""
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        if self.process:
            self.process.stdout.close()
            self.errors.close()

    def restart(self) -> "PortalProcess":
        self.kill()
        return self.start()

    def __enter__(self) -> "PortalProcess":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.kill()
