"""Fixtures of the dictionary's tests."""
from __future__ import annotations

import pytest

from ckanext.ldeco.dictionary import packs


@pytest.fixture
def dictionary(clean_db):
    """The shipped packs, loaded into a clean database."""
    return packs.load_shipped()
