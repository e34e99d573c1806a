"""Synthetic operational data for the demo: families in a council's Troubled
Families programme, their members, circumstances, interventions and key
workers; police anti-social-behaviour incidents that involve family members;
school attendance; highways pothole reports.

Deterministic: every table is drawn from its own random stream seeded by
(seed, council, table), with Faker's en_GB locale for names and streets, and
dates counted from a fixed start, never from today.
"""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import random
from dataclasses import dataclass, field
from typing import Any

from faker import Faker

__all__ = ["Table", "Programme", "generate_programme", "INTERVENTIONS", "start_date", "span_days"]

END = dt.date(2021, 3, 31)         # the end of programme year 2020/21
TERMS = ("2019 autumn", "2020 spring", "2020 summer")

# Interventions, with how much each lifts the chance of an improved outcome;
# the analytical layer should be able to find this signal again.
INTERVENTIONS = {
    "Family key worker": 0.20,
    "Parenting programme": 0.12,
    "Employment support": 0.10,
    "Domestic abuse support": 0.08,
    "Mental health support": 0.06,
    "School attendance support": 0.15,
}
ASB_CATEGORIES = ("Nuisance", "Personal", "Environmental")
ASB_ROLES = ("perpetrator", "victim", "witness")
POTHOLE_STATUS = ("reported", "inspected", "scheduled", "repaired")


@dataclass
class Table:
    """One table of the demo: a DataStore resource, or a CSV file."""

    name: str
    title: str
    fields: list[tuple[str, str]]          # (column, DataStore type)
    rows: list[tuple[Any, ...]] = field(default_factory=list)

    def csv_text(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([f for f, _ in self.fields])
        writer.writerows(("" if v is None else v for v in row) for row in self.rows)
        return out.getvalue()

    def digest(self) -> str:
        return hashlib.sha256(self.csv_text().encode("utf-8")).hexdigest()[:16]


@dataclass
class Programme:
    """The operational tables of one council at one scale."""

    council: dict[str, str]
    key_workers: Table
    families: Table
    members: Table
    circumstances: Table
    interventions: Table
    asb_incidents: Table
    attendance: Table
    potholes: Table

    def tables(self) -> list[Table]:
        return [self.families, self.members, self.circumstances, self.interventions,
                self.key_workers, self.asb_incidents, self.attendance, self.potholes]

    @property
    def operational_rows(self) -> int:
        return sum(len(t.rows) for t in self.tables())


def _streams(seed: int, code: str, table: str) -> tuple[random.Random, Faker]:
    key = f"{seed}:{code}:{table}"
    fake = Faker("en_GB")
    fake.seed_instance(key)
    return random.Random(key), fake


def span_days(scale: int) -> int:
    """Two programme years; at a larger scale, one quarter per scale step
    further back, so that each quarter of the period has data."""
    return max(730, 92 * scale)


def start_date(scale: int) -> dt.date:
    return END - dt.timedelta(days=span_days(scale) - 1)


def generate_programme(council: dict[str, str], wards: list[dict[str, str]],
                       problems: list[dict[str, str]], schools: list[str], providers: list[str],
                       *, seed: int, scale: int) -> Programme:
    """The operational tables of one council. ``council`` is its row of the
    local authority register; ``wards`` are its real wards."""
    code = council["reference"]
    prefix = code[:3].upper()
    n_families = 30 * scale
    n_workers = 4 + 2 * scale
    start, span = start_date(scale), span_days(scale)

    def _day(rng: random.Random) -> dt.date:
        return start + dt.timedelta(days=rng.randrange(span))

    rng, fake = _streams(seed, code, "key_workers")
    workers = Table("key-workers", "Key workers", [
        ("key_worker_id", "text"), ("name", "text"), ("team", "text"), ("employer", "text"),
        ("caseload_limit", "int")])
    for i in range(1, n_workers + 1):
        workers.rows.append((f"{prefix}-KW-{i:04d}", fake.name(),
                             rng.choice(("North", "South", "East", "West", "Central")) + " team",
                             council["name"] if rng.random() < 0.7 else rng.choice(providers), rng.choice((8, 10, 12))))

    families = Table("families", "Families (cases)", [
        ("case_id", "text"), ("family_id", "text"), ("ward_code", "text"), ("ward_name", "text"),
        ("opened_on", "date"), ("closed_on", "date"), ("key_worker_id", "text"), ("status", "text"),
        ("outcome", "text"), ("members", "int")])
    members = Table("members", "Family members", [
        ("member_id", "text"), ("family_id", "text"), ("given_name", "text"), ("family_name", "text"),
        ("date_of_birth", "date"), ("sex", "text"), ("relationship", "text")])
    circumstances = Table("circumstances", "Circumstances (headline problems)", [
        ("family_id", "text"), ("member_id", "text"), ("headline_problem_code", "int"),
        ("headline_problem", "text"), ("identified_on", "date")])
    interventions = Table("interventions", "Interventions", [
        ("intervention_id", "text"), ("family_id", "text"), ("intervention", "text"), ("provider", "text"),
        ("started_on", "date"), ("ended_on", "date"), ("case_id", "text")])
    attendance = Table("attendance", "School attendance", [
        ("member_id", "text"), ("school", "text"), ("term", "text"), ("sessions_possible", "int"),
        ("sessions_missed", "int"), ("unauthorised_missed", "int")])
    asb = Table("asb-incidents", "Anti-social behaviour incidents", [
        ("incident_id", "text"), ("occurred_on", "date"), ("ward_code", "text"), ("category", "text"),
        ("member_id", "text"), ("family_id", "text"), ("role", "text")])

    rng, fake = _streams(seed, code, "families")
    child_members: list[tuple[str, str, bool]] = []   # member, family, in a crime/school family
    n_member = n_circ = n_int = n_asb = 0
    for i in range(1, n_families + 1):
        family_id = f"{prefix}-F-{i:06d}"
        ward = rng.choice(wards)
        opened = _day(rng)
        surname = fake.last_name()
        size = rng.randint(2, 6)
        family_members: list[tuple[str, bool]] = []
        for j in range(size):
            n_member += 1
            member_id = f"{prefix}-M-{n_member:07d}"
            adult = j < (1 if size <= 3 else 2)
            sex = rng.choice("FM")
            age = rng.randint(22, 55) if adult else rng.randint(0, 17)
            dob = opened - dt.timedelta(days=365 * age + rng.randrange(365))
            given = fake.first_name_female() if sex == "F" else fake.first_name_male()
            members.rows.append((member_id, family_id, given, surname, dob.isoformat(), sex,
                                 ("parent" if j == 0 else "partner") if adult else "child"))
            family_members.append((member_id, not adult and 5 <= age <= 16))
        chosen = rng.sample(problems, rng.randint(1, 4))
        for problem in chosen:
            n_circ += 1
            who = rng.choice(family_members)[0]
            circumstances.rows.append((family_id, who, int(problem["code"]), problem["headline_problem"],
                                       (opened - dt.timedelta(days=rng.randrange(60))).isoformat()))
        lift = 0.0
        for name in rng.sample(list(INTERVENTIONS), rng.randint(1, 3)):
            n_int += 1
            began = opened + dt.timedelta(days=rng.randrange(30))
            provider = council["name"] if name == "Family key worker" else rng.choice(providers + [council["name"]])
            interventions.rows.append((f"{prefix}-I-{n_int:07d}", family_id, name, provider, began.isoformat(),
                                       (began + dt.timedelta(days=rng.randint(42, 270))).isoformat(),
                                       f"{prefix}-C-{i:06d}"))
            lift += INTERVENTIONS[name]
        closed = opened + dt.timedelta(days=rng.randint(120, 540))
        still_open = closed > END
        outcome = "" if still_open else ("improved" if rng.random() < 0.25 + lift else "not improved")
        families.rows.append((f"{prefix}-C-{i:06d}", family_id, ward["WD25CD"], ward["WD25NM"],
                              opened.isoformat(), None if still_open else closed.isoformat(),
                              rng.choice(workers.rows)[0], "open" if still_open else "closed", outcome, size))
        codes = {int(p["code"]) for p in chosen}
        for member_id, school_age in family_members:
            if school_age:
                child_members.append((member_id, family_id, 2 in codes))
        # police incidents: more likely where crime/ASB is a headline problem
        for _ in range(rng.choice((0, 1, 1, 2, 3) if 1 in codes else (0, 0, 0, 1))):
            n_asb += 1
            who = rng.choice(family_members)[0]
            asb.rows.append((f"{prefix}-ASB-{n_asb:07d}", _day(rng).isoformat(), ward["WD25CD"],
                             rng.choice(ASB_CATEGORIES), who, family_id, rng.choice(ASB_ROLES)))
    # incidents in the same wards that involve nobody in the programme
    for _ in range(n_families):
        n_asb += 1
        ward = rng.choice(wards)
        asb.rows.append((f"{prefix}-ASB-{n_asb:07d}", _day(rng).isoformat(), ward["WD25CD"],
                         rng.choice(ASB_CATEGORIES), None, None, None))

    rng, _ = _streams(seed, code, "attendance")
    for member_id, _family_id, school_problem in child_members:
        school = rng.choice(schools)
        for term in TERMS:
            possible = rng.choice((120, 124, 126))
            rate = rng.uniform(0.08, 0.35) if school_problem else rng.uniform(0.0, 0.1)
            missed = int(possible * rate)
            attendance.rows.append((member_id, school, term, possible, missed, int(missed * rng.uniform(0.2, 0.8))))

    rng, fake = _streams(seed, code, "potholes")
    potholes = Table("pothole-reports", "Pothole reports", [
        ("report_id", "text"), ("reported_on", "date"), ("ward_code", "text"), ("street", "text"),
        ("depth_mm", "int"), ("status", "text"), ("repaired_on", "date")])
    for i in range(1, 20 * scale + 1):
        reported = _day(rng)
        status = rng.choice(POTHOLE_STATUS)
        potholes.rows.append((f"{prefix}-PH-{i:06d}", reported.isoformat(), rng.choice(wards)["WD25CD"],
                              fake.street_name(), rng.randint(20, 150), status,
                              (reported + dt.timedelta(days=rng.randint(1, 60))).isoformat()
                              if status == "repaired" else None))
    return Programme(council, workers, families, members, circumstances, interventions, asb, attendance, potholes)
