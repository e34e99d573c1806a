"""What the demo ecosystem holds: its organisations, people and datasets,
built from the reference files and the generated operational data.

Each dataset says which dictionary concept its records conform to
(``concept``) and whether it is restricted; until the dictionary and rights
capabilities take these over they are carried here and stated in the
dataset's description.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ckanext.ldeco.demo import generator
from ckanext.ldeco.demo.generator import Programme, Table
from ckanext.ldeco.demo.reference import DemoError, Reference

__all__ = ["ResourceSpec", "DatasetSpec", "Ecosystem", "build", "slug"]

OPEN, CLOSED = "uk-ogl", "other-closed"
# Councils of these types run a Troubled Families programme, schools and
# highways (upper tier); districts and unitaries plan.
UPPER_TIER = {"MD", "UA", "CTY", "LBO"}
PLANNING = {"MD", "UA", "NMD", "LBO"}
# The LGA's planning schema columns (CaseReference, ...) that the MHCLG
# example records are mapped to; the mapping is published with the data.
PLANNING_COLUMNS = [
    ("CaseReference", "reference", "text", "reference, case_id"),
    ("OrganisationURI", "planning-authority", "text", "planning_authority"),
    ("CaseDate", "received-date", "date", "received_date, opened"),
    ("CaseText", "description", "text", "description"),
    ("LocationText", "address-text", "text", "site"),
    ("Postcode", "postcode", "text", ""),
    ("ServiceTypeURI", "application-types", "text", "application_types"),
    ("ClassificationURI", "development-scale", "text", "development_scale"),
    ("Decision", "decision", "text", ""),
    ("DecisionDate", "decision-date", "date", "decision_date"),
    ("DecisionType", "decision-maker", "text", ""),
    ("CaseURL", "documentation-url", "text", "documentation_url"),
]
# The planning register's reference and date are also the case_id and opened
# date every Case has: one column serves both properties.
PLANNING_MAP = "\n".join(f"{column} = {props}" for column, _, _, props in PLANNING_COLUMNS if props)


def column_map(*pairs: str) -> str:
    """``"column = property"`` pairs as a resource's column map."""
    return "\n".join(pairs)


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


@dataclass
class ResourceSpec:
    name: str
    table: Table | None = None             # loaded into the DataStore
    text: str = ""                         # or uploaded as a file
    filename: str = ""
    format: str = "CSV"
    description: str = ""
    concept: str = ""                      # the resource's own concept, where not the dataset's
    column_map: str = ""                   # its columns → the concept's properties
    # or a derived statistic: (concept, dimensions) counted by the portal itself
    statistic: tuple[str, tuple[str, ...]] | None = None

    def digest(self) -> str:
        body = self.table.digest() if self.table is not None else hashlib.sha256(self.text.encode()).hexdigest()[:16]
        fields = "|".join(str(v) for v in (self.name, self.format, self.description, self.concept, self.column_map,
                                           self.statistic, body))
        return hashlib.sha256(fields.encode()).hexdigest()[:16]


# Demo record kinds that the shipped dictionary names by a broader concept
# (an incident is an Event of the core pack).
DICTIONARY_CONCEPT = {"asb-incident": "event"}


@dataclass
class DatasetSpec:
    name: str
    title: str
    owner_org: str
    layer: str
    theme: str
    concept: str
    notes: str
    restricted: bool = False
    tags: list[str] = field(default_factory=list)
    resources: list[ResourceSpec] = field(default_factory=list)
    thread: list[tuple[str, str]] = field(default_factory=list)  # (role, dataset name): the golden thread

    @property
    def license_id(self) -> str:
        return CLOSED if self.restricted else OPEN

    @property
    def dictionary_concept(self) -> str:
        """The dictionary's concept the records conform to (a demo kind the
        dictionary names by a broader concept is named so)."""
        return DICTIONARY_CONCEPT.get(self.concept, self.concept)

    def full_notes(self) -> str:
        # names the concept as the dictionary has it, with a link that answers
        concept = self.dictionary_concept
        lines = [self.notes.strip(), "", f"Conforms to the dictionary concept [{concept}](/dictionary/{concept})."]
        if self.restricted:
            lines.append("Access: restricted — record-level data about people and cases; "
                         "shared only under the rights handshake. The records are synthetic.")
        return "\n".join(lines)

    def package_fields(self) -> dict[str, Any]:
        return {"name": self.name, "title": self.title, "owner_org": self.owner_org, "layer": self.layer,
                "notes": self.full_notes(), "license_id": self.license_id,
                "conforms_to": self.dictionary_concept,
                "access_level": "restricted" if self.restricted else "open",
                # open operational data (a public planning register) is confirmed as such
                **({"open_confirmed": True} if self.layer == "operational" and not self.restricted else {}),
                **({"thread": [{"role": r, "dataset": d} for r, d in self.thread]} if self.thread else {})}

    @property
    def rows(self) -> int:
        return sum(len(r.table.rows) for r in self.resources if r.table is not None)


@dataclass
class Ecosystem:
    organisations: list[dict[str, Any]]
    users: list[dict[str, Any]]
    councils: list[dict[str, str]]           # register rows of the councils in the demo
    ref: Reference
    seed: int
    scale: int

    def programme_councils(self) -> list[dict[str, str]]:
        return [c for c in self.councils if c["local-authority-type"] in UPPER_TIER]

    def datasets(self) -> Iterator[DatasetSpec]:
        """Reference and published statistics first, then council by council
        (generated lazily, so a large scale never holds all rows at once)."""
        yield from _reference_datasets(self)
        yield from _planning_datasets(self)
        for council in self.programme_councils():
            yield from _council_datasets(self, council)
        yield from _derived_datasets(self)

    def dataset_steps(self) -> int:
        return 2 + len(self.programme_councils())


def _council_org(row: dict[str, str], ref: Reference) -> dict[str, Any]:
    return {"name": slug(row["name"]), "title": row["name"], "agency_kind": "council",
            "organisation_type": ref.la_types[row["local-authority-type"]],
            "area": row["statistical-geography"], "url": row["website"],
            "notes": (f"{row['name']}. Codes: {row['reference']} (MHCLG organisation register), "
                      f"{row['statistical-geography']} (ONS GSS)"
                      + (f", {row['local-planning-authority']} (local planning authority)"
                         if row.get("local-planning-authority") else "")
                      + ".")}


def build(ref: Reference, *, seed: int = 42, scale: int = 1) -> Ecosystem:
    if scale < 1:
        raise DemoError(f"scale must be 1 or more, not {scale}")
    spec = ref.agencies
    if scale == 1:
        councils = [ref.local_authorities[c] for c in spec.get("councils") or []]
    else:   # every current council of the North West
        # (current: not ended, and with wards in the May 2025 ward list)
        councils = [r for r in ref.local_authorities.values()
                    if not r.get("end-date") and ref.wards_of(r["statistical-geography"])]
    orgs = [_council_org(c, ref) for c in councils]
    for agency in spec.get("agencies") or []:
        org = {k: agency[k] for k in ("name", "title", "agency_kind", "organisation_type", "area", "url")
               if agency.get(k)}
        notes = agency.get("notes", "")
        if agency.get("code"):
            notes = f"{notes} Code: {agency['code']}.".strip()
        if agency.get("fictional"):
            notes = f"{notes} (A fictional organisation of the demo.)".strip()
        org["notes"] = notes
        orgs.append(org)
    per_council = int(spec.get("schools_per_council", 2)) * (1 + (scale - 1) // 10)
    for council in councils:
        if council["local-authority-type"] not in UPPER_TIER:
            continue
        wards = ref.wards_of(council["statistical-geography"])
        if not wards:
            raise DemoError(f"no wards for {council['statistical-geography']}", file="wards_nw.csv",
                            field="UTLACD")
        for k in range(per_council):
            ward = wards[k % len(wards)]
            kind = "Primary" if k % 2 == 0 else "High"
            title = f"{ward['WD25NM']} {kind} School" + (f" {k // len(wards) + 1}" if k >= len(wards) else "")
            orgs.append({"name": slug(f"{title}-{council['reference']}"), "title": title,
                         "agency_kind": "education",
                         "organisation_type": "Academy" if k % 2 else "Community school",
                         "area": ward["WD25CD"], "ldeco_council": council["reference"],
                         "notes": f"A fictional school of the demo in {ward['WD25NM']} ward, {council['name']}."})
    names = [o["name"] for o in orgs]
    dupes = [n for n, c in Counter(names).items() if c > 1]
    if dupes:
        raise DemoError(f"organisation names are not unique: {', '.join(dupes)}", file="agencies.yaml")
    users = list(spec.get("users") or [])
    for i, user in enumerate(users, 1):
        for org in (user.get("memberships") or {}):
            if org not in names:
                raise DemoError(f"unknown organisation '{org}'", file="agencies.yaml", row=i,
                                field="users.memberships")
    return Ecosystem(orgs, users, councils, ref, seed, scale)


# --- datasets ---------------------------------------------------------------

def _table_from_rows(name: str, title: str, rows: list[dict[str, str]], types: dict[str, str] | None = None) -> Table:
    cols = list(rows[0].keys()) if rows else []
    types = types or {}
    return Table(name, title, [(c, types.get(c, "text")) for c in cols],
                 [tuple(r[c] if r[c] != "" else None for c in cols) for r in rows])


def _reference_datasets(eco: Ecosystem) -> Iterator[DatasetSpec]:
    ref, steward = eco.ref, "local-egovernment-standards-body"
    orgs = Table("organisations", "Organisations of the ecosystem", [
        ("name", "text"), ("title", "text"), ("agency_kind", "text"), ("organisation_type", "text"), ("area", "text")],
        [(o["name"], o["title"], o["agency_kind"], o.get("organisation_type"), o.get("area"))
         for o in eco.organisations])
    yield DatasetSpec("ecosystem-organisations", "Organisations of the North West data ecosystem", steward,
                      "reference", "reference", "organisation",
                      "The agencies taking part in the ecosystem, with their kind, type and the ONS GSS code "
                      "of the area they serve. Council codes are from the MHCLG organisation register.",
                      tags=["reference", "organisations"],
                      resources=[ResourceSpec("Organisations", orgs, column_map=column_map(
                          "name = name", "agency_kind = agency_kind", "area = area"))])
    services = Table("services", "LGSL services", [("lgsl", "int"), ("label", "text"), ("uri", "text")],
                     [(int(s["Identifier"]), s["Label"], f"http://id.esd.org.uk/service/{s['Identifier']}")
                      for s in ref.services])
    yield DatasetSpec("local-government-service-list", "Local Government Service List (LGSL)", steward,
                      "reference", "reference", "service",
                      "The services councils provide, from the LGA / LG Inform Plus Local Government Service "
                      "List (2015 export; licensed under the Open Government Licence, attributed to the "
                      "LG Inform Plus programme).",
                      tags=["reference", "services", "LGSL"],
                      resources=[ResourceSpec("Services", services, column_map=column_map("lgsl = service"))])
    wards = Table("wards", "Wards (May 2025)", [("ward_code", "text"), ("ward_name", "text"),
                                               ("district_code", "text"), ("district_name", "text"),
                                               ("upper_tier_code", "text")],
                  [(w["WD25CD"], w["WD25NM"], w["LAD25CD"], w["LAD25NM"], w["UTLACD"]) for w in ref.wards])
    las = Table("local-authorities", "Local authorities", [
        ("gss_code", "text"), ("name", "text"), ("reference", "text"), ("type", "text"), ("end_date", "date")],
        [(r["statistical-geography"], r["name"], r["reference"], ref.la_types[r["local-authority-type"]],
          r.get("end-date") or None) for r in ref.local_authorities.values()])
    yield DatasetSpec("north-west-wards-and-local-authorities", "North West wards and local authorities (ONS GSS)",
                      steward, "reference", "reference", "area",
                      "ONS GSS codes for the wards (May 2025) and local authorities of the North West, "
                      "from the ONS Open Geography Portal (Open Government Licence v3.0; source: Office for "
                      "National Statistics).",
                      tags=["reference", "geography"], resources=[
                          ResourceSpec("Wards", wards, column_map=column_map("ward_code = gss_code",
                                                                             "ward_name = name")),
                          ResourceSpec("Local authorities", las, column_map=column_map("gss_code = gss_code",
                                                                                       "name = name"))])
    numeric = {"time_period": "int"}
    yield DatasetSpec("dfe-absence-children-social-care-north-west",
                      "Pupil absence of children in social care, North West local authorities", steward,
                      "statistical", "education", "pupil-absence",
                      "Department for Education official statistics (Crown copyright, Open Government Licence "
                      "v3.0), filtered to the North West: absence of pupils who are children in need, on a "
                      "child protection plan or looked after. Suppressed values are kept as published (c, z, x).",
                      tags=["statistics", "absence", "children in need"],
                      resources=[ResourceSpec("Absence by local authority", _table_from_rows(
                          "absence", "Absence", ref.csv_rows("dfe_absence_social_care_nw.csv", ("new_la_code",)),
                          numeric), column_map=column_map(
                          "new_la_code = area", "time_period = period", "social_care_group = pupil_group",
                          "t_pupils = pupils", "t_sess_possible = sessions_possible",
                          "t_sess_overall = sessions_missed", "pt_overall = absence_rate"))])
    yield DatasetSpec("dfe-children-in-need-north-west", "Children in need, North West local authorities, 2013–2025",
                      steward, "statistical", "troubled-families", "children-in-need-count",
                      "Department for Education official statistics (Crown copyright, Open Government Licence "
                      "v3.0), filtered to the North West.",
                      tags=["statistics", "children in need"],
                      resources=[ResourceSpec("Children in need by local authority", _table_from_rows(
                          "cin", "Children in need", ref.csv_rows("dfe_children_in_need_nw.csv", ("new_la_code",)),
                          numeric), column_map=column_map(
                          "new_la_code = area", "time_period = period", "category = category",
                          "Anypoint_child = children", "Anypoint_episodes = episodes", "Started_child = started",
                          "Ended_child = ended"))])
    yield DatasetSpec("indices-of-deprivation-2019-north-west",
                      "English Indices of Deprivation 2019, North West districts",
                      steward, "statistical", "reference", "deprivation-summary",
                      "Local authority summaries of the English Indices of Deprivation 2019 (MHCLG, Open "
                      "Government Licence v3.0), filtered to the North West.",
                      tags=["statistics", "deprivation"],
                      resources=[ResourceSpec("Summaries by district", _table_from_rows(
                          "iod", "IoD 2019", ref.csv_rows("iod2019_lad_nw.csv", ("lad19cd",)),
                          {"year": "int"}), column_map=column_map(
                          "lad19cd = area", "year = period", "index_domain = domain", "average_rank = average_rank",
                          "average_score = average_score",
                          "proportion_bottom_decile = proportion_bottom_decile"))])


def _derived_datasets(eco: Ecosystem) -> Iterator[DatasetSpec]:
    """Statistics the portal counts itself, after every source is loaded: the
    seed's "caseload of all services offered from many organisations"."""
    yield DatasetSpec("caseload-of-all-services", "Caseload of all services, by organisation and quarter",
                      "local-egovernment-standards-body", "statistical", "reference", "record-count",
                      "Every Case of the ecosystem counted together: planning applications, Troubled Families "
                      "cases and pothole reports of every agency, by the organisation that holds them and the "
                      "quarter each was opened. Counted by the portal from the records themselves, restricted "
                      "ones included, under disclosure control, and counted again whenever they change.",
                      tags=["statistics", "cases", "caseload"],
                      resources=[ResourceSpec("Cases by organisation and quarter",
                                              statistic=("case", ("organisation", "quarter:opened")))])


def _planning_datasets(eco: Ecosystem) -> Iterator[DatasetSpec]:
    file = "planning_applications_mhclg_examples.csv"
    rows = eco.ref.csv_rows(file, [src for _, src, _, _ in PLANNING_COLUMNS])
    by_org: dict[str, list[dict[str, str]]] = defaultdict(list)
    for i, row in enumerate(rows, 2):
        code = row["planning-authority"].removeprefix("local-authority:")
        if code not in eco.ref.local_authorities:
            raise DemoError(f"unknown planning authority '{row['planning-authority']}'", file=file, row=i,
                            field="planning-authority")
        by_org[code].append(row)
    mapping = "\n".join(["lga_column,source_field"] + [f"{a},{b}" for a, b, _, _ in PLANNING_COLUMNS]) + "\n"
    for council in eco.councils:
        records = by_org.get(council["reference"])
        if not records or council["local-authority-type"] not in PLANNING:
            continue
        table = Table("planning-applications", "Planning applications", [(a, t) for a, _, t, _ in PLANNING_COLUMNS],
                      [tuple(r[src] or None for _, src, _, _ in PLANNING_COLUMNS) for r in records])
        name = slug(council["name"])
        yield DatasetSpec(f"{name}-planning-applications", f"Planning applications, {council['name']}", name,
                          "operational", "planning", "planning-application",
                          "Real planning applications as transcribed by MHCLG from the council's public register "
                          "into the planning application data specification (Crown copyright, Open Government "
                          "Licence v3.0), mapped to the LGA planning applications schema columns; the mapping "
                          "is published beside the data. Case officers' names are left out.",
                          restricted=False, tags=["planning", "cases"],
                          resources=[ResourceSpec("Planning applications", table, column_map=PLANNING_MAP),
                                     ResourceSpec("Column mapping", text=mapping, filename="column-mapping.csv",
                                                  description="From the MHCLG specification's fields to the "
                                                              "LGA schema's columns.")])


def _police_for(eco: Ecosystem, council: dict[str, str]) -> str:
    for agency in eco.ref.agencies.get("agencies") or []:
        if council["statistical-geography"] in (agency.get("serves") or []):
            return agency["name"]
    return slug(council["name"])      # no force in the demo: the council's community safety team


def _schools_of(eco: Ecosystem, council: dict[str, str]) -> list[str]:
    return [o["title"] for o in eco.organisations if o.get("ldeco_council") == council["reference"]]


def _count(rows: list[tuple[Any, ...]], key) -> list[tuple[Any, ...]]:
    counts = Counter(key(r) for r in rows)
    return [(*k, v) if isinstance(k, tuple) else (k, v) for k, v in sorted(counts.items(), key=lambda kv: str(kv[0]))]


def _quarter(day: str) -> str:
    d = dt.date.fromisoformat(day)
    fy = d.year if d.month >= 4 else d.year - 1
    return f"{fy}-{str(fy + 1)[2:]}-q{(d.month - 4) % 12 // 3 + 1}"


def _council_datasets(eco: Ecosystem, council: dict[str, str]) -> Iterator[DatasetSpec]:
    ref = eco.ref
    org, cname = slug(council["name"]), council["name"]
    wards = ref.wards_of(council["statistical-geography"])
    providers = [a["title"] for a in ref.agencies.get("agencies") or []
                 if a.get("agency_kind") in ("voluntary", "health")]
    p = generator.generate_programme(council, wards, ref.headline_problems,
                                     _schools_of(eco, council) or [f"{cname} schools"],
                                     providers, seed=eco.seed, scale=eco.scale)
    police = _police_for(eco, council)
    period = f"{generator.start_date(eco.scale).isoformat()} to {generator.END.isoformat()}"
    tf = ["troubled families", "supporting families"]

    cases = f"{org}-troubled-families-cases"
    incidents = f"{police}-asb-incidents-{org}" if police != org else f"{org}-asb-incidents"
    attendance = f"{org}-school-attendance"
    caseload = f"{org}-troubled-families-caseload"
    outcomes = f"{org}-troubled-families-intervention-outcomes"

    # operational, restricted
    yield DatasetSpec(cases, f"Troubled Families cases, {cname}", org, "operational",
                      "troubled-families", "family-case",
                      f"Families in {cname}'s Troubled Families programme ({period}): the families and their members, "
                      "the headline problems that brought them in, the interventions commissioned for them and "
                      "their key workers.", restricted=True, tags=tf + ["case work"],
                      resources=[
                          ResourceSpec(p.families.title, p.families, column_map=column_map(
                              "case_id = case_id", "family_id = family_id", "ward_code = area", "opened_on = opened",
                              "closed_on = closed", "status = status", "key_worker_id = key_worker")),
                          ResourceSpec(p.members.title, p.members, concept="family-member", column_map=column_map(
                              "member_id = person_id", "family_id = family_id", "date_of_birth = birth_date",
                              "relationship = role")),
                          ResourceSpec(p.circumstances.title, p.circumstances, concept="circumstance",
                                       column_map=column_map("family_id = family_id", "member_id = person_id",
                                                             "headline_problem_code = headline_problem",
                                                             "identified_on = identified")),
                          ResourceSpec(p.interventions.title, p.interventions, concept="intervention",
                                       column_map=column_map("intervention_id = intervention_id", "case_id = case_id",
                                                             "started_on = started", "ended_on = ended")),
                          ResourceSpec(p.key_workers.title, p.key_workers, concept="key-worker", column_map=column_map(
                              "key_worker_id = person_id", "name = name", "team = team", "employer = employer",
                              "caseload_limit = caseload_limit"))])
    yield DatasetSpec(incidents,
                      f"Anti-social behaviour incidents, {cname}", police, "operational", "community-safety",
                      "asb-incident",
                      f"Anti-social behaviour incidents recorded in {cname}'s wards ({period}); where a member of a "
                      "programme family was involved the record names the member and their role, so the council "
                      "can be alerted.", restricted=True, tags=["anti-social behaviour", "community safety"] + tf[:1],
                      resources=[ResourceSpec("Incidents", p.asb_incidents, column_map=column_map(
                          "incident_id = event_id", "occurred_on = date", "ward_code = area"))])
    yield DatasetSpec(attendance, f"School attendance of programme children, {cname}", org,
                      "operational", "education", "school-attendance",
                      f"Termly attendance at {cname}'s schools of the school-age children of programme families.",
                      restricted=True, tags=["school attendance", "education"] + tf[:1],
                      resources=[ResourceSpec("Attendance by term", p.attendance, column_map=column_map(
                          "member_id = person_id", "school = school", "term = term",
                          "sessions_possible = sessions_possible", "sessions_missed = sessions_missed",
                          "unauthorised_missed = unauthorised_missed"))])
    yield DatasetSpec(f"{org}-pothole-reports", f"Pothole reports, {cname}", org, "operational", "highways",
                      "pothole-report", f"Potholes reported on the roads {cname} maintains as highway authority, "
                      "with their inspection and repair.", restricted=True, tags=["highways", "potholes", "cases"],
                      resources=[ResourceSpec("Pothole reports", p.potholes, column_map=column_map(
                          "report_id = case_id", "reported_on = opened", "repaired_on = closed", "ward_code = area",
                          "street = location", "depth_mm = depth_mm"))])

    # statistical, open: aggregated from the operational tables
    fam = p.families.rows
    problems = Table("caseload-by-problem", "Caseload by headline problem", [
        ("headline_problem_code", "int"), ("headline_problem", "text"), ("families", "int")],
        _count(p.circumstances.rows, lambda r: (r[2], r[3])))
    by_int = Table("caseload-by-intervention", "Caseload by intervention", [
        ("intervention", "text"), ("families", "int")], _count(p.interventions.rows, lambda r: r[2]))
    by_ward = Table("caseload-by-ward", "Caseload by ward", [("ward_code", "text"), ("ward_name", "text"),
                                                              ("families", "int")],
                    _count(fam, lambda r: (r[2], r[3])))
    yield DatasetSpec(caseload, f"Troubled Families caseload, {cname}", org, "statistical",
                      "troubled-families", "caseload-count",
                      f"The programme's caseload in {cname} ({period}) by headline problem, intervention and ward, "
                      "counted from the case records.", tags=tf + ["caseload", "statistics"],
                      resources=[
                          ResourceSpec(problems.title, problems, column_map=column_map(
                              "headline_problem_code = headline_problem", "families = families")),
                          ResourceSpec(by_int.title, by_int, column_map=column_map(
                              "intervention = intervention", "families = families")),
                          ResourceSpec(by_ward.title, by_ward, column_map=column_map(
                              "ward_code = area", "families = families"))],
                      thread=[("derived_from", cases)])
    asb_ward = Table("asb-by-ward", "Incidents by ward and category", [
        ("ward_code", "text"), ("category", "text"), ("incidents", "int")],
        _count(p.asb_incidents.rows, lambda r: (r[2], r[3])))
    yield DatasetSpec(f"{org}-asb-incidents-by-ward", f"Anti-social behaviour incidents by ward, {cname}", police,
                      "statistical", "community-safety", "incident-count",
                      f"Incidents in {cname} ({period}) counted by ward and category.",
                      tags=["anti-social behaviour", "statistics"],
                      resources=[ResourceSpec("Incidents by ward", asb_ward, column_map=column_map(
                          "ward_code = area", "category = category", "incidents = incidents"))],
                      thread=[("derived_from", incidents)])
    ward_of = {r[1]: r[2] for r in fam}
    member_family = {r[0]: r[1] for r in p.members.rows}
    absence: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for r in p.attendance.rows:
        cell = absence[(ward_of[member_family[r[0]]], r[2])]
        cell[0] += r[3]
        cell[1] += r[4]
    absence_table = Table("absence-by-ward", "Absence by ward and term", [
        ("ward_code", "text"), ("term", "text"), ("sessions_possible", "int"), ("sessions_missed", "int"),
        ("absence_rate", "numeric")],
        [(w, t, a, b, round(100 * b / a, 1) if a else 0) for (w, t), (a, b) in sorted(absence.items())])
    yield DatasetSpec(f"{org}-school-absence-by-ward", f"School absence of programme children by ward, {cname}", org,
                      "statistical", "education", "pupil-absence",
                      "Sessions possible and missed by the children of programme families, by ward and term, "
                      "and the absence rate (per cent of sessions missed).",
                      tags=["school attendance", "statistics"],
                      resources=[ResourceSpec("Absence by ward", absence_table, column_map=column_map(
                          "ward_code = area", "term = period", "sessions_possible = sessions_possible",
                          "sessions_missed = sessions_missed", "absence_rate = absence_rate"))],
                      thread=[("derived_from", attendance)])

    # analytical: which interventions go with improved outcomes
    outcome = {r[1]: r[8] for r in fam if r[8]}
    with_int: dict[str, set[str]] = defaultdict(set)
    for r in p.interventions.rows:
        with_int[r[2]].add(r[1])
    rows = []
    closed = set(outcome)
    base = sum(1 for f in closed if outcome[f] == "improved") / len(closed) if closed else 0
    for name in generator.INTERVENTIONS:
        fams = with_int[name] & closed
        improved = sum(1 for f in fams if outcome[f] == "improved")
        share = improved / len(fams) if fams else 0
        rows.append((name, len(fams), improved, round(share, 3), round(share - base, 3)))
    rows.sort(key=lambda r: -r[3])
    analysis = Table("outcomes-by-intervention", "Outcomes by intervention", [
        ("intervention", "text"), ("closed_families", "int"), ("improved", "int"), ("improved_share", "numeric"),
        ("difference_from_all", "numeric")], rows)
    report = "\n".join([
        f"# Which interventions go with improved outcomes — {cname}", "",
        f"Of {len(closed)} closed cases, {base:.0%} ended with an improved outcome.", "",
        "| intervention | closed families | improved | share | vs all |", "|---|---|---|---|---|",
        *[f"| {r[0]} | {r[1]} | {r[2]} | {r[3]:.0%} | {r[4]:+.0%} |" for r in rows], "",
        f"Families who received *{rows[0][0]}* did best; *{rows[-1][0]}* least. This is an association in "
        "case records, not a measured effect: families were not assigned to interventions at random.", ""])
    yield DatasetSpec(outcomes,
                      f"Which interventions go with improved outcomes, {cname}", org, "analytical",
                      "troubled-families", "family-case",
                      "A short analysis of closed programme cases: the share with an improved outcome for each "
                      "type of intervention, against the share for all closed cases.",
                      tags=tf + ["analysis", "interventions"],
                      resources=[ResourceSpec("Report", text=report, filename="report.md", format="Markdown"),
                                 ResourceSpec("Outcomes by intervention", analysis)],
                      thread=[("analyses", caseload)])

    # political: budget, targets and decisions, each tied to an objective
    n = len(fam)
    budget = Table("budget", "Programme budget", [("line", "text"), ("amount_gbp", "int"), ("objective", "text")], [
        ("Key workers", 3100 * n, "Turn around the families in the programme"),
        ("Commissioned interventions", 1400 * n, "Turn around the families in the programme"),
        ("School attendance support", 300 * n, "Every child in school"),
        ("Data and evaluation", 120 * n, "Know what works")])
    improved = sum(1 for r in fam if r[8] == "improved")
    targets = Table("targets", "Targets", [("objective", "text"), ("measure", "text"), ("target", "int"),
                                           ("achieved", "int")], [
        ("Turn around the families in the programme", "Families with an improved outcome", int(n * 0.6), improved),
        ("Every child in school", "Children with absence under 10%", int(len(p.attendance.rows) / 3 * 0.7),
         sum(1 for r in p.attendance.rows if r[4] < r[3] * 0.1) // 3)])
    decisions = Table("decisions", "Decisions", [("decided_on", "date"), ("body", "text"), ("decision", "text"),
                                                 ("objective", "text"), ("evidence", "text")], [
        ("2019-03-12", "Cabinet", f"Fund {len(p.key_workers.rows)} key worker posts",
         "Turn around the families in the programme",
         caseload),
        ("2020-09-15", "Cabinet", f"Commission more {rows[0][0].lower()}", "Turn around the families in the programme",
         outcomes)])
    yield DatasetSpec(f"{org}-troubled-families-programme-budget",
                      f"Troubled Families budget, targets and decisions, {cname}",
                      org, "political", "troubled-families", "family-case",
                      "The programme's budget lines and targets with the objectives they serve, and the decisions "
                      "taken with the statistics and analysis that evidence them.",
                      tags=tf + ["budget", "targets", "decisions"],
                      resources=[ResourceSpec(t.title, t) for t in (budget, targets, decisions)],
                      # the decisions cite their evidence; the targets are measured by
                      # the caseload, and their impact shows in the case records
                      thread=[("evidences", caseload), ("evidences", outcomes), ("measures", caseload),
                              ("observed_in", cases)])

    # at a larger scale: quarterly editions of the statistics, four themes
    if eco.scale > 1:
        yield from _editions(org, cname, police, p, {
            "troubled-families": cases, "community-safety": incidents, "highways": f"{org}-pothole-reports",
            "education": attendance})


def _editions(org: str, cname: str, police: str, p: Programme,
              sources: dict[str, str]) -> Iterator[DatasetSpec]:
    def by_quarter(rows, day_index):
        out: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
        for r in rows:
            out[_quarter(r[day_index])].append(r)
        return out
    family_quarter = {r[1]: _quarter(r[4]) for r in p.families.rows}
    member_family = {r[0]: r[1] for r in p.members.rows}
    themes = [
        ("troubled-families", "Troubled Families new cases by ward", org, "caseload-count",
         by_quarter(p.families.rows, 4), lambda rs: _count(rs, lambda r: r[3]), ["ward", "families"]),
        ("community-safety", "Anti-social behaviour incidents by category", police, "incident-count",
         by_quarter(p.asb_incidents.rows, 1), lambda rs: _count(rs, lambda r: r[3]), ["category", "incidents"]),
        ("highways", "Pothole reports by status", org, "pothole-report",
         by_quarter(p.potholes.rows, 1), lambda rs: _count(rs, lambda r: r[5]), ["status", "reports"]),
    ]
    att: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
    for r in p.attendance.rows:
        att[family_quarter[member_family[r[0]]]].append(r)
    themes.append(("education", "Attendance of children in new programme families by term", org, "pupil-absence",
                   att, lambda rs: [(t, sum(r[3] for r in rs if r[2] == t), sum(r[4] for r in rs if r[2] == t))
                                    for t in generator.TERMS], ["term", "sessions_possible", "sessions_missed"]))
    for theme, title, owner, concept, groups, agg, cols in themes:
        for quarter in sorted(groups):
            rows = agg(groups[quarter])
            text = "\n".join([",".join(cols)] + [",".join(str(v) for v in r) for r in rows]) + "\n"
            yield DatasetSpec(f"{org}-{theme}-{quarter}", f"{title}, {cname}, {quarter.upper()}", owner,
                              "statistical", theme, concept,
                              f"{title} in {cname}, quarter {quarter}, counted from the operational records.",
                              tags=[theme, "statistics", "quarterly"],
                              resources=[ResourceSpec(title, text=text, filename=f"{theme}-{quarter}.csv")],
                              thread=[("derived_from", sources[theme])])


def plan_json(eco: Ecosystem) -> str:
    """A compact, stable description of everything the demo would load, for
    tests of determinism."""
    out = {"organisations": eco.organisations, "users": eco.users,
           "datasets": [{**d.package_fields(), "concept": d.concept, "restricted": d.restricted,
                         "resources": [r.digest() for r in d.resources]} for d in eco.datasets()]}
    return json.dumps(out, sort_keys=True)
