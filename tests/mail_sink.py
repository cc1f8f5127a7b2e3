"""The demo's SMTP sink (demo/smtp_sink.py) for tests: a real SMTP server on a free
loopback port writing each message as an .eml file, and a reader of those files."""
from __future__ import annotations

import email
import email.policy
import importlib.util
import time
from email.message import EmailMessage
from pathlib import Path
from typing import Any

_PATH = Path(__file__).resolve().parents[1] / "demo" / "smtp_sink.py"
_spec = importlib.util.spec_from_file_location("smartcity_demo_smtp_sink", _PATH)
assert _spec and _spec.loader
_module = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_module)
start_sink = _module.start_sink


class MailSink:
    """A running sink: ``server`` (host:port for ``smtp.server``) and its messages."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.controller: Any = start_sink(folder)
        self.server = f"127.0.0.1:{self.controller.port}"

    def messages(self, expect: int | None = None, wait_s: float = 5.0) -> list[EmailMessage]:
        """The messages received so far, oldest first (waits for ``expect`` of them)."""
        deadline = time.monotonic() + wait_s
        while True:
            files = sorted(self.folder.glob("*.eml"))
            if expect is None or len(files) >= expect or time.monotonic() > deadline:
                return [email.message_from_bytes(f.read_bytes(), policy=email.policy.default)
                        for f in files]
            time.sleep(0.05)

    def stop(self) -> None:
        self.controller.stop()
