"""Dataset and organisation metadata are checked against the dictionary."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import factories, helpers

from ckanext.ldeco.dictionary import packs

pytestmark = pytest.mark.usefixtures("portal", "dictionary")


def _ds(org, **kw):
    return factories.Dataset(owner_org=org["id"], layer="operational", notes="Cases.", **kw)


def test_dictionary_fields_are_normalised():
    org = factories.Organization()
    ds = _ds(
        org,
        conforms_to="Family case",
        theme="Community safety",
        service="557",
        spatial_gss="e08000003, Bolton  E08000003",
    )
    assert ds["conforms_to"] == "family-case" and ds["conforms_to_version"] == "1"
    assert ds["theme"] == "http://id.esd.org.uk/function/16"
    assert ds["service"] == "http://id.esd.org.uk/service/557"
    assert ds["spatial_gss"] == "E08000003,E08000001"


@pytest.mark.parametrize(
    "field, value, expected",
    [
        ("conforms_to", "famly-case", "is not a concept of the data dictionary"),
        ("theme", "Gardening", "is not in the Local Government Function List"),
        ("service", "99999", "is not in the Local Government Service List"),
        ("spatial_gss", "E08000003, Manchestr", "is not an ONS GSS code"),
        ("spatial_gss", "E09000001", "is not an area this portal knows"),
    ],
)
def test_unknown_values_are_refused_with_a_clear_message(field, value, expected):
    org = factories.Organization()
    with pytest.raises(tk.ValidationError) as err:
        _ds(org, **{field: value})
    assert expected in err.value.error_dict[field][0]
    assert value.split(",")[-1].strip() in err.value.error_dict[field][0]


def test_organisation_area_must_be_a_known_gss_code():
    org = factories.Organization(area="E47000001")
    assert org["area"] == "E47000001"
    with pytest.raises(tk.ValidationError) as err:
        factories.Organization(area="Atlantis")
    assert "not an ONS GSS code" in err.value.error_dict["area"][0]


def test_a_dictionary_change_never_changes_what_a_dataset_declared():
    org = factories.Organization()
    old = _ds(org, conforms_to="pothole-report")
    assert old["conforms_to_version"] == "1"
    packs.import_pack(packs.export_pack("highways").replace("Pothole report", "Road defect report"))
    admin = factories.Sysadmin()
    updated = helpers.call_action(
        "package_patch", context={"user": admin["name"]}, id=old["id"], title="Potholes, updated"
    )
    assert updated["conforms_to_version"] == "1"
    new = _ds(org, conforms_to="pothole-report")
    assert new["conforms_to_version"] == "2"
    pinned = _ds(org, conforms_to="pothole-report", conforms_to_version="1")
    assert pinned["conforms_to_version"] == "1"
    with pytest.raises(tk.ValidationError) as err:
        _ds(org, conforms_to="pothole-report", conforms_to_version="7")
    assert "no version" in err.value.error_dict["conforms_to_version"][0]


def test_resource_maps_columns_to_the_properties_of_its_concept():
    org = factories.Organization()
    ds = _ds(org, conforms_to="family-case")
    res = factories.Resource(
        package_id=ds["id"],
        url="http://127.0.0.1/x.csv",
        column_map="case_id = case_id\nfamily : family_id\n\nopened=opened",
    )
    assert res["column_map"] == "case_id=case_id\nfamily=family_id\nopened=opened"
    with pytest.raises(tk.ValidationError) as err:
        factories.Resource(package_id=ds["id"], url="http://127.0.0.1/x.csv", column_map="depth = depth_mm")
    message = str(err.value.error_dict)
    assert (
        '"depth_mm" is not a property of concept "family-case"' in message and "headline_problems" in message
    )
    # a resource may declare its own concept
    res = factories.Resource(
        package_id=ds["id"],
        url="http://127.0.0.1/y.csv",
        conforms_to="Pothole report",
        column_map="depth = depth_mm",
    )
    assert res["conforms_to"] == "pothole-report"
    with pytest.raises(tk.ValidationError):
        factories.Resource(package_id=ds["id"], url="http://127.0.0.1/y.csv", conforms_to="nothing-like-it")


def test_one_column_may_serve_several_properties_but_a_property_has_one_column():
    # a planning register's reference is also the case_id every Case inherits
    org = factories.Organization()
    ds = _ds(org, conforms_to="planning-application")
    res = factories.Resource(package_id=ds["id"], url="http://127.0.0.1/p.csv",
                             column_map="PA Ref = reference, case_id\nReceived = received_date\nReceived = opened")
    assert res["column_map"] == "PA Ref=reference, case_id\nReceived=received_date, opened"
    with pytest.raises(tk.ValidationError) as err:
        factories.Resource(package_id=ds["id"], url="http://127.0.0.1/p.csv",
                           column_map="PA Ref = case_id\nOther Ref = case_id")
    assert 'Property "case_id" is mapped from two columns, "PA Ref" and "Other Ref"' in str(err.value.error_dict)


def test_column_map_needs_a_concept():
    org = factories.Organization()
    ds = factories.Dataset(owner_org=org["id"], layer="statistical", notes="x")
    with pytest.raises(tk.ValidationError) as err:
        factories.Resource(package_id=ds["id"], url="http://127.0.0.1/x.csv", column_map="a = b")
    assert "Choose the concept" in str(err.value.error_dict)
