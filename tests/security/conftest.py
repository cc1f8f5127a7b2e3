"""Attacker's tests run against the e2e portal (tests/e2e/conftest.py: one per session)."""
from e2e.conftest import browser, portal  # noqa: F401 - fixtures shared with tests/e2e
