"""The packs, their code list files and the dictionary templates reach a built wheel."""
from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_wheel_contains_packs_and_code_lists(tmp_path):
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(tmp_path), str(ROOT)],
        check=True, capture_output=True, cwd=tmp_path,
    )
    (wheel,) = tmp_path.glob("ckanext_ldeco-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in (
        "ckanext/ldeco/schemas/dictionary/core.yaml",
        "ckanext/ldeco/schemas/dictionary/troubled-families.yaml",
        "ckanext/ldeco/schemas/dictionary/planning.yaml",
        "ckanext/ldeco/schemas/dictionary/highways.yaml",
        "ckanext/ldeco/schemas/dictionary/data/lgsl_services.csv",
        "ckanext/ldeco/schemas/dictionary/data/nw_england_areas.csv",
        "ckanext/ldeco/schemas/dictionary/data/SOURCES.md",
        "ckanext/ldeco/migration/ldeco/versions/0001_dictionary.py",
        "ckanext/ldeco/templates/ldeco/dictionary/concept.html",
        "ckanext/ldeco/templates/scheming/display_snippets/ldeco_concept.html",
    ):
        assert expected in names, expected
