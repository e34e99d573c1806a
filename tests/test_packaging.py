"""The top-level schemas/ and i18n/ folders reach a built wheel, not only the
editable install the tests run from."""
from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_wheel_contains_schemas_demo_and_config_declaration(tmp_path):
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(tmp_path), str(ROOT)],
        check=True, capture_output=True, cwd=tmp_path,
    )
    (wheel,) = tmp_path.glob("ckanext_ldeco-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in (
        "ckanext/ldeco/schemas/dataset.yaml",
        "ckanext/ldeco/schemas/organization.yaml",
        "ckanext/ldeco/schemas/presets.yaml",
        "ckanext/ldeco/i18n/__init__.py",
        "ckanext/ldeco/config_declaration.yaml",
        "ckanext/ldeco/demo/data/agencies.yaml",
        "ckanext/ldeco/demo/data/wards_nw.csv",
        "ckanext/ldeco/templates/snippets/search_form.html",
    ):
        assert expected in names, expected
    assert not any(n.startswith("tests/") for n in names)
