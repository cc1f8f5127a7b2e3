"""Fixtures of the DCAT tests (the builders live in tests/search/builders.py)."""
from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest


@pytest.fixture
def build() -> ModuleType:
    """The builders module (sysadmin, department, pillar, dataset)."""
    path = Path(__file__).parent.parent / "search" / "builders.py"
    spec = importlib.util.spec_from_file_location("smartcity_test_builders", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
