#!/usr/bin/env python3
"""A local SMTP sink on loopback: every message it receives becomes an ``.eml`` file.

The demo runs it (``scripts/demo.py``) so the portal's notifications can be read in
``.demo/mail/`` instead of leaving the machine; the tests start one on a free port.

    python demo/smtp_sink.py --folder .demo/mail --port 2525
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import signal
import socket
import threading
import uuid
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller

__all__ = ["EmlWriter", "start_sink"]


class EmlWriter:
    """aiosmtpd handler writing each message as ``<UTC time>-<random>.eml``."""

    def __init__(self, folder: str | os.PathLike[str]) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S%f")
        name = f"{stamp}-{uuid.uuid4().hex[:8]}.eml"
        # written under a dot-name first: a reader never sees half a message
        partial = self.folder / f".{name}"
        partial.write_bytes(envelope.original_content or envelope.content)
        partial.replace(self.folder / name)
        return "250 Message accepted for delivery"


def start_sink(folder: str | os.PathLike[str], port: int = 0,
               host: str = "127.0.0.1") -> Controller:
    """Start a sink on ``host:port`` (0: a free port) in a thread; ``.port`` tells which.
    Stop it with ``.stop()``."""
    if host not in ("127.0.0.1", "::1", "localhost"):
        raise ValueError("the SMTP sink listens on loopback only")
    if not port:
        with socket.socket() as probe:  # aiosmtpd checks the port itself: it needs a number
            probe.bind((host, 0))
            port = probe.getsockname()[1]
    controller = Controller(EmlWriter(folder), hostname=host, port=port)
    controller.start()
    return controller


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", required=True)
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    sink = start_sink(args.folder, args.port)
    print(f"SMTP sink on 127.0.0.1:{sink.port}, writing to {args.folder}", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    sink.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
