"""Fixtures of the DCAT tests: the harvester tests' departmental database and harvest parts,
and the DCAT-AP 3 shapes parsed once."""
from __future__ import annotations

import pytest
from dcat_harvest import SHARED_SHAPES
from rdflib import Graph

from harvesters.conftest import (  # noqa: F401  (fixtures used by tests/dcat)
    department, department_db, harvest_env, org, sysadmin)


@pytest.fixture(scope="session")
def shapes() -> Graph:
    """The DCAT-AP 3 shapes graph, parsed once per session."""
    from ckanext.smartcity.dcat import shacl

    path = SHARED_SHAPES if SHARED_SHAPES.exists() else shacl.SHAPES_FILE
    return shacl.load_shapes(path)
