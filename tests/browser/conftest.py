from __future__ import annotations

from tests.rights.conftest import world  # noqa: F401  (the rights ecosystem, shared with the journeys)
