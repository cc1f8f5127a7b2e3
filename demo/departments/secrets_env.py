"""The demo's secrets file (``.demo/secrets.env``): ``KEY=value`` lines, mode 600.

Secrets are generated at setup and never written anywhere else; harvest configs only
name the variables (``password_env``, ``token_env``).
"""
from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path


def read_env(path: str | os.PathLike[str]) -> dict[str, str]:
    """``KEY=value`` pairs of an env file (missing file → empty; comments ignored)."""
    values: dict[str, str] = {}
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        return values
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.partition("=")
        values[key.strip().removeprefix("export ").strip()] = value.strip().strip("'\"")
    return values


def write_env(path: str | os.PathLike[str], updates: Mapping[str, str], *,
              header: str = "") -> None:
    """Merge ``updates`` into the env file, keeping other keys; atomic, mode 600."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    merged = read_env(target)
    merged.update(updates)
    lines = [f"# {header}"] if header else []
    lines += [f"{key}={value}" for key, value in merged.items()]
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")
    os.chmod(tmp, 0o600)
    os.replace(tmp, target)


def new_secret(nbytes: int = 24) -> str:
    """A fresh URL-safe random secret."""
    return secrets.token_urlsafe(nbytes)
