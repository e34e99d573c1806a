"""The kinds of link in the golden thread and the layers each may join.

A link lives on the dataset it describes and names another dataset: a
statistic is *derived from* operational records, an analysis *analyses* a
statistic, a decision is *evidenced by* analysis or statistics and *measured
by* the statistic of its target, and its impact is *observed in* later
operational data. Followed from either end, the links make one thread from
records to decisions and back.
"""

from __future__ import annotations

from dataclasses import dataclass

import ckan.plugins.toolkit as tk

__all__ = ["LAYERS", "ROLES", "Role", "layer_label", "refusal", "role_iri"]

# the order in which the thread is drawn, from records to decisions
LAYERS = ("operational", "statistical", "analytical", "political", "reference")


@dataclass(frozen=True)
class Role:
    name: str
    source_layers: tuple[str, ...]  # the layer(s) of the dataset holding the link
    target_layers: tuple[str, ...]  # the layer(s) of the dataset it names

    @property
    def label(self) -> str:
        """How the link reads on the dataset that holds it."""
        return _LABELS[self.name][0]()

    @property
    def inverse_label(self) -> str:
        """How the link reads on the dataset it names."""
        return _LABELS[self.name][1]()

    @property
    def description(self) -> str:
        return _LABELS[self.name][2]()

    def tag(self, holds_link: bool) -> str:
        """How a dataset next to the one shown relates to it: the dataset that
        holds the link (``holds_link``), or the one the shown dataset names."""
        return _LABELS[self.name][3 if holds_link else 4]()


# labels are translated when asked for, not at import
_LABELS = {
    "derived_from": (lambda: tk._("Derived from"), lambda: tk._("Source of"),
                     lambda: tk._("A statistic counted or computed from operational records."),
                     lambda: tk._("Derived from this dataset"), lambda: tk._("Source of this dataset")),
    "analyses": (lambda: tk._("Analyses"), lambda: tk._("Analysed in"),
                 lambda: tk._("An analysis that draws conclusions from statistics."),
                 lambda: tk._("Analyses this dataset"), lambda: tk._("Analysed in this dataset")),
    "evidences": (lambda: tk._("Evidenced by"), lambda: tk._("Evidence for"),
                  lambda: tk._("A budget, target or decision and the analysis or statistics that evidence it."),
                  lambda: tk._("Evidenced by this dataset"), lambda: tk._("Evidence for this dataset")),
    "measures": (lambda: tk._("Measured by"), lambda: tk._("Measure of"),
                 lambda: tk._("A target and the statistic that measures progress towards it."),
                 lambda: tk._("Measured by this dataset"), lambda: tk._("Measure of this dataset")),
    "observed_in": (lambda: tk._("Impact observed in"), lambda: tk._("Shows the impact of"),
                    lambda: tk._("A decision and the later operational data in which its impact is seen."),
                    lambda: tk._("Impact observed in this dataset"),
                    lambda: tk._("Shows the impact of this dataset")),
}

ROLES: dict[str, Role] = {
    "derived_from": Role("derived_from", ("statistical",), ("operational",)),
    "analyses": Role("analyses", ("analytical",), ("statistical",)),
    "evidences": Role("evidences", ("political",), ("analytical", "statistical")),
    "measures": Role("measures", ("political",), ("statistical",)),
    "observed_in": Role("observed_in", ("political",), ("operational",)),
}


def layer_label(layer: str) -> str:
    labels = {
        "operational": tk._("Operational"),
        "statistical": tk._("Statistical"),
        "analytical": tk._("Analytical"),
        "political": tk._("Political"),
        "reference": tk._("Reference"),
    }
    return labels.get(layer, layer)


def _layers(layers: tuple[str, ...]) -> str:
    return tk._(" or ").join(layer_label(x).lower() for x in layers)


def refusal(role: Role, source_layer: str, target_layer: str) -> str | None:
    """The rule a link breaks, in words, or None when the layers fit."""
    if source_layer not in role.source_layers:
        return tk._('A "{role}" link belongs on a dataset of the {want} layer; this dataset is {have}.').format(
            role=role.label, want=_layers(role.source_layers), have=layer_label(source_layer).lower())
    if target_layer not in role.target_layers:
        return tk._('A "{role}" link must name a dataset of the {want} layer; the dataset named is {have}.').format(
            role=role.label, want=_layers(role.target_layers), have=layer_label(target_layer).lower())
    return None


def role_iri(name: str) -> str:
    """The role as a resource of the portal (the roles page answers it)."""
    site = (tk.config.get("ckan.site_url") or "").rstrip("/")
    return f"{site}/thread#{name}"
