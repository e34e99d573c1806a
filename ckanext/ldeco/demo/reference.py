"""The reference files the demo is built from (under demo/data/), read with
checks: a problem names the file, the row and the field."""
from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

__all__ = ["DemoError", "Reference", "read_reference", "DATA_DIR"]

DATA_DIR = Path(str(resources.files("ckanext.ldeco.demo").joinpath("data")))
GSS = re.compile(r"^[EWSN]\d{8}$")


class DemoError(Exception):
    """The demo cannot go on; the message names the file, row and field."""

    def __init__(self, message: str, *, file: str = "", row: int | None = None, field: str = ""):
        place = ", ".join(p for p in (file, f"row {row}" if row is not None else "",
                                      f"field '{field}'" if field else "") if p)
        super().__init__(f"{place}: {message}" if place else message)
        self.file, self.row, self.field = file, row, field


def _rows(path: Path, required: Iterable[str]) -> list[dict[str, str]]:
    """Rows of a CSV file; row numbers count the header as row 1, as a
    spreadsheet shows them."""
    name = path.name
    try:
        with path.open(encoding="utf-8", newline="") as f:
            reader = csv.DictReader(f)
            header = reader.fieldnames or []
            for col in required:
                if col not in header:
                    raise DemoError("missing column", file=name, row=1, field=col)
            rows = []
            for i, row in enumerate(reader, 2):
                if None in row or any(v is None for v in row.values()):
                    raise DemoError(f"has {len(header)} columns in the header but not in this row",
                                    file=name, row=i)
                rows.append(row)
            return rows
    except FileNotFoundError as err:
        raise DemoError("file not found", file=name) from err
    except (UnicodeDecodeError, csv.Error) as err:
        raise DemoError(f"not a readable UTF-8 CSV file ({err})", file=name) from err


def _gss(row: dict[str, str], field: str, file: str, i: int, *, blank: bool = False) -> str:
    value = row[field].strip()
    if not value and blank:
        return value
    if not GSS.match(value):
        raise DemoError(f"'{value}' is not an ONS GSS code", file=file, row=i, field=field)
    return value


@dataclass
class Reference:
    """Everything the demo reads from its data folder, checked."""

    local_authorities: dict[str, dict[str, str]]   # by MHCLG reference (MAN)
    la_by_gss: dict[str, dict[str, str]]
    la_types: dict[str, str]
    wards: list[dict[str, str]]
    services: list[dict[str, str]]
    headline_problems: list[dict[str, str]]
    agencies: dict[str, Any]
    folder: Path

    def wards_of(self, gss: str) -> list[dict[str, str]]:
        """Wards of a district, or of every district of a county."""
        return [w for w in self.wards if gss in (w["LAD25CD"], w["UTLACD"])]

    def csv_rows(self, name: str, required: Iterable[str] = ()) -> list[dict[str, str]]:
        return _rows(self.folder / name, required)


def read_reference(folder: Path | None = None) -> Reference:
    folder = folder or DATA_DIR
    f = "local_authorities_nw.csv"
    las: dict[str, dict[str, str]] = {}
    types = {r["reference"]: r["name"] for r in _rows(folder / "local_authority_types.csv", ("reference", "name"))}
    for i, row in enumerate(_rows(folder / f, ("reference", "name", "local-authority-type",
                                             "statistical-geography", "website")), 2):
        _gss(row, "statistical-geography", f, i)
        if row["local-authority-type"] not in types:
            raise DemoError(f"unknown local authority type '{row['local-authority-type']}'",
                            file=f, row=i, field="local-authority-type")
        if not row["reference"].strip():
            raise DemoError("empty", file=f, row=i, field="reference")
        las[row["reference"]] = row
    f = "wards_nw.csv"
    wards = _rows(folder / f, ("WD25CD", "WD25NM", "LAD25CD", "UTLACD"))
    for i, row in enumerate(wards, 2):
        for col in ("WD25CD", "LAD25CD", "UTLACD"):
            _gss(row, col, f, i)
    f = "lgsl_services.csv"
    services = _rows(folder / f, ("Identifier", "Label"))
    for i, row in enumerate(services, 2):
        if not row["Identifier"].isdigit():
            raise DemoError(f"'{row['Identifier']}' is not an LGSL number", file=f, row=i, field="Identifier")
    problems = _rows(folder / "headline_problems.csv", ("code", "headline_problem"))
    f = "agencies.yaml"
    try:
        agencies = yaml.safe_load((folder / f).read_text("utf-8"))
    except (OSError, yaml.YAMLError) as err:
        raise DemoError(f"cannot be read: {err}", file=f) from err
    if not isinstance(agencies, dict):
        raise DemoError("must hold a mapping", file=f)
    for i, code in enumerate(agencies.get("councils") or [], 1):
        if code not in las:
            raise DemoError(f"unknown council code '{code}' (not in local_authorities_nw.csv)",
                            file=f, row=i, field="councils")
    for i, agency in enumerate(agencies.get("agencies") or [], 1):
        for key in ("name", "title", "agency_kind", "area"):
            if not agency.get(key):
                raise DemoError("missing", file=f, row=i, field=f"agencies.{key}")
        if not GSS.match(str(agency["area"])):
            raise DemoError(f"'{agency['area']}' is not an ONS GSS code", file=f, row=i, field="agencies.area")
    return Reference(las, {r["statistical-geography"]: r for r in las.values()}, types, wards,
                     services, problems, agencies, folder)
