"""The reference files: what the demo reads, and how a broken file is reported."""
from __future__ import annotations

import shutil

import pytest

from ckanext.ldeco.demo import catalogue, reference
from ckanext.ldeco.demo.reference import DemoError


@pytest.fixture
def data(tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(reference.DATA_DIR, folder)
    return folder


def _edit(path, old, new):
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")


def test_reference_holds_the_real_codes():
    ref = reference.read_reference()
    assert ref.local_authorities["MAN"]["statistical-geography"] == "E08000003"
    assert ref.local_authorities["BOL"]["statistical-geography"] == "E08000001"
    assert ref.local_authorities["BBD"]["statistical-geography"] == "E06000008"
    assert ref.local_authorities["LAN"]["statistical-geography"] == "E10000017"
    assert len(ref.wards_of("E08000003")) == 32           # Manchester's wards, May 2025
    # a county's wards are those of its districts
    assert {w["LAD25CD"] for w in ref.wards_of("E10000017")} >= {"E07000123", "E07000128"}
    assert {s["Label"] for s in ref.services if s["Identifier"] == "1512"} == {"Abandoned bicycles"}
    assert len(ref.headline_problems) == 6


def test_a_bad_code_names_file_row_and_field(data):
    _edit(data / "wards_nw.csv", "E05011368,", "X05011368,")
    rows = (data / "wards_nw.csv").read_text().splitlines()
    row = next(i for i, line in enumerate(rows, 1) if line.startswith("X05011368"))
    with pytest.raises(DemoError,
                       match=rf"^wards_nw.csv, row {row}, field 'WD25CD': 'X05011368' is not an ONS GSS code"):
        reference.read_reference(data)


def test_a_ragged_row_is_reported(data):
    path = data / "local_authorities_nw.csv"
    lines = path.read_text().splitlines()
    lines[3] = lines[3] + ",one too many"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(DemoError, match=r"^local_authorities_nw.csv, row 4: has 9 columns"):
        reference.read_reference(data)


def test_a_missing_column_is_reported(data):
    _edit(data / "lgsl_services.csv", "Identifier,Label", "Id,Label")
    with pytest.raises(DemoError, match=r"^lgsl_services.csv, row 1, field 'Identifier': missing column"):
        reference.read_reference(data)


def test_an_unknown_council_code_is_reported(data):
    _edit(data / "agencies.yaml", "councils: [MAN, BOL,", "councils: [MAN, XYZ,")
    with pytest.raises(DemoError, match=r"^agencies.yaml, row 2, field 'councils': unknown council code 'XYZ'"):
        reference.read_reference(data)


def test_an_unknown_planning_authority_is_reported_when_the_demo_is_built(data):
    _edit(data / "planning_applications_mhclg_examples.csv", "local-authority:WYR", "local-authority:ZZZ")
    eco = catalogue.build(reference.read_reference(data))
    with pytest.raises(DemoError,
                       match=r"^planning_applications_mhclg_examples.csv, row 3, field 'planning-authority': "
                             r"unknown planning authority 'local-authority:ZZZ'"):
        list(eco.datasets())


def test_a_missing_file_is_reported(data):
    (data / "headline_problems.csv").unlink()
    with pytest.raises(DemoError, match=r"^headline_problems.csv: file not found"):
        reference.read_reference(data)
