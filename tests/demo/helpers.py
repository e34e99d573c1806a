from __future__ import annotations

import copy

from ckanext.ldeco.demo import catalogue, reference


def ecosystem(councils: list[str] | None = None, *, seed: int = 42, scale: int = 1,
              ref: reference.Reference | None = None) -> catalogue.Ecosystem:
    """The demo, optionally cut down to some councils (and the users whose
    organisations remain) so that a test loads quickly."""
    ref = copy.deepcopy(ref or reference.read_reference())
    if councils is not None:
        ref.agencies["councils"] = councils
        names = {catalogue.slug(ref.local_authorities[c]["name"]) for c in councils}
        names |= {a["name"] for a in ref.agencies["agencies"]}
        ref.agencies["users"] = [u for u in ref.agencies["users"]
                                 if set(u.get("memberships") or {}) <= names]
    return catalogue.build(ref, seed=seed, scale=scale)
