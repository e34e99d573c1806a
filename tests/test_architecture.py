"""The allowed imports between capabilities (README, Architecture), checked
on the source: a capability that reaches into one it may not fails here."""
from __future__ import annotations

import ast
from pathlib import Path

import ckanext.ldeco as package

ROOT = Path(package.__path__[0])

# Wiring (plugin, cli) may import every capability; config and inputs (the
# actions' parameter checks) are shared by all.
SHARED = {"config", "i18n", "inputs"}
ALLOWED: dict[str, set[str]] = {
    "dictionary": set(),
    "audit": set(),
    "catalogue": {"dictionary"},
    "rights": {"dictionary", "audit"},
    "gating": {"rights", "audit"},
    "dcat": {"dictionary", "rights", "thread"},
    "thread": set(),
    "records": {"dictionary", "gating"},
    "previews": {"gating"},
    "demo": {"dictionary", "rights", "catalogue", "gating", "audit", "dcat", "thread", "records"},
    # 0006's data step moves stored links exactly as `ckan ldeco gating scrub` does
    "migration": {"gating"},
    "helpers": set(),
}
WIRING = {"plugin", "cli"}


def _part(path: Path) -> str:
    return path.relative_to(ROOT).parts[0].removesuffix(".py")


def _imports(path: Path) -> set[str]:
    """The ckanext.ldeco parts a module imports, wherever the import stands."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        found |= {n.split(".")[2] for n in names if n.startswith("ckanext.ldeco.")}
    return found


def _edges() -> dict[str, set[str]]:
    edges: dict[str, set[str]] = {}
    for path in ROOT.rglob("*.py"):
        part = _part(path)
        edges.setdefault(part, set()).update(_imports(path) - {part})
    return edges


def test_every_part_has_a_rule():
    assert set(_edges()) - WIRING - SHARED - {"__init__"} <= set(ALLOWED), "a new part needs its rule here"


def test_capabilities_import_only_what_the_architecture_allows():
    broken = {part: sorted(targets - ALLOWED[part] - SHARED)
              for part, targets in _edges().items() if part in ALLOWED and targets - ALLOWED[part] - SHARED}
    assert broken == {}


def test_nothing_imports_the_wiring_or_the_demo():
    for part, targets in _edges().items():
        if part not in WIRING:
            assert not targets & (WIRING | {"demo"}), (part, targets)


def test_the_check_sees_imports_inside_functions(tmp_path):
    # the rule must not be dodged by importing late
    module = tmp_path / "late.py"
    module.write_text("def f():\n    from ckanext.ldeco.gating import decision\n")
    assert _imports(module) == {"gating"}
