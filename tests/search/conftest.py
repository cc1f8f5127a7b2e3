"""Fixtures of the search tests: builders of real departments, pillars and datasets."""
from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest


def load_builders() -> ModuleType:
    """tests/search/builders.py as a module (the test folders are not packages)."""
    path = Path(__file__).with_name("builders.py")
    spec = importlib.util.spec_from_file_location("smartcity_test_builders", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def build() -> ModuleType:
    """The builders module (sysadmin, department, pillar, dataset)."""
    return load_builders()
