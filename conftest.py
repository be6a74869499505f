"""Doctests name NetworkX ``nx``, as the modules' readers do; the modules import it only where they use it."""

import networkx
import pytest


@pytest.fixture(autouse=True)
def _networkx_for_doctests(doctest_namespace):
    doctest_namespace["nx"] = networkx
