"""The data package at /datapackage.json: every CSV export with its Table Schema, keys and joins,
valid as Frictionless tools read it."""

import json
from pathlib import Path
from urllib.parse import urlsplit

import frictionless
import pytest

from recommendations.models import OpenDataLicence, Status
from recommendations.public.exports import DATASETS

from .conftest import make_action


def descriptor(client) -> dict:
    response = client.get("/datapackage.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return response.json()


def write_package(client, directory: Path) -> Path:
    """The served descriptor and each resource it points at, saved side by side as a reuser would."""
    package = descriptor(client)
    for resource in package["resources"]:
        response = client.get(urlsplit(resource["path"]).path)
        assert response.status_code == 200
        name = f"{resource['name']}.csv"
        (directory / name).write_bytes(response.getvalue())
        resource["path"] = name
    path = directory / "datapackage.json"
    path.write_text(json.dumps(package), encoding="utf-8")
    return path


def problems(report: frictionless.Report) -> list:
    return report.flatten(["type", "fieldName", "rowNumber", "note"])


@pytest.fixture
def varied(follow_up, thailand, australia):
    """Joint actions, a draft that must stay out, a title a spreadsheet would run."""
    make_action(thailand, [10, 11], Status.PLANNED, partners=(australia,), title="=SUM(A1)")
    make_action(australia, [9], published=False)
    return follow_up


def test_the_served_data_package_and_every_resource_validate(client, varied, tmp_path):
    report = frictionless.validate(str(write_package(client, tmp_path)))
    assert report.valid, problems(report)
    assert {task.name for task in report.tasks} == set(DATASETS)


def test_the_validation_checks_the_joins(client, varied, tmp_path):
    path = write_package(client, tmp_path)
    actors = tmp_path / "actors.csv"
    lines = actors.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    actors.write_text("".join(line for line in lines if not line.startswith("AUS,")), encoding="utf-8-sig")
    report = frictionless.validate(str(path))
    assert not report.valid
    assert "foreign-key" in {error[0] for error in problems(report)}


def test_every_resource_has_types_and_a_primary_key(client, workshop):
    resources = {resource["name"]: resource for resource in descriptor(client)["resources"]}
    assert set(resources) == set(DATASETS)
    for name, dataset in DATASETS.items():
        schema = resources[name]["schema"]
        assert [field["name"] for field in schema["fields"]] == list(dataset.columns)
        assert all(field["type"] and field["description"] for field in schema["fields"])
        assert schema["primaryKey"]
        assert resources[name]["path"] == f"http://testserver/{name}/export.csv"
    assert resources["action-recommendations"]["schema"]["foreignKeys"] == [
        {"fields": "action", "reference": {"resource": "actions", "fields": "id"}},
        {"fields": "recommendation", "reference": {"resource": "recommendations", "fields": "id"}},
    ]


def test_the_link_resources_hold_one_key_a_cell(client, varied):
    rows = {}
    for name in ("action-recommendations", "action-partners", "paragraph-addressees"):
        body = client.get(f"/{name}/export.json").getvalue()
        rows[name] = json.loads(body)
        assert rows[name] and all(";" not in value for row in rows[name] for value in row.values())
    joint = {row["partner"] for row in rows["action-partners"]}
    assert joint == {"AUS"}
    assert {"bangkok-2006/10", "bangkok-2006/11", "bangkok-2006/12"} <= {
        row["recommendation"] for row in rows["action-recommendations"]
    }


def test_the_licence_is_the_one_the_secretariat_sets(client, workshop):
    assert descriptor(client)["licenses"] == [
        {
            "name": "CC-BY-4.0",
            "title": "Creative Commons Attribution 4.0 International",
            "path": "https://creativecommons.org/licenses/by/4.0/",
        }
    ]
    OpenDataLicence(
        name="CC0-1.0", title="CC0 1.0 Universal", path="https://creativecommons.org/publicdomain/zero/1.0/"
    ).save()
    assert descriptor(client)["licenses"][0]["name"] == "CC0-1.0"
    assert OpenDataLicence.objects.count() == 1


def test_the_outcome_documents_text_is_quoted_from_its_source_not_licensed(client, workshop):
    package = descriptor(client)
    paragraphs = next(resource for resource in package["resources"] if resource["name"] == "recommendations")
    assert "quoted verbatim from the outcome documents" in paragraphs["description"]
    assert "not licensed by this site" in paragraphs["description"]
    assert paragraphs["sources"] == package["sources"]
    assert paragraphs["sources"][0]["path"] == "http://testserver/documents/bangkok-2006/"


def test_the_version_changes_with_the_data(client, follow_up, thailand):
    first = client.get("/datapackage.json")
    assert client.get("/datapackage.json").json()["version"] == first.json()["version"]
    assert client.get("/datapackage.json", headers={"If-None-Match": first["ETag"]}).status_code == 304
    make_action(thailand, [10], Status.PLANNED)
    second = client.get("/datapackage.json")
    assert second.json()["version"] != first.json()["version"]
    assert second["ETag"] != first["ETag"]
    assert second["ETag"] == client.get("/actions/export.csv")["ETag"]


def test_the_descriptor_may_be_read_from_any_origin(client, workshop):
    response = client.get("/datapackage.json", headers={"Origin": "https://reuser.example"})
    assert response["Access-Control-Allow-Origin"] == "*"


def test_the_about_page_links_to_the_descriptor(client, workshop):
    assert 'href="/datapackage.json"' in client.get("/about/").content.decode()


def test_the_about_page_and_the_readme_tell_reusers_how(client, workshop):
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    about = client.get("/about/").content.decode()
    for text in (about, readme):
        for needed in (
            "/datapackage.json",
            "Access-Control-Allow-Origin",
            "If-None-Match",
            "304",
            "frictionless.Package(",
        ):
            assert needed in text, needed
        for dataset in DATASETS:
            assert dataset in text, dataset
    assert 'pandas.read_csv("http://testserver/actions/export.csv"' in about
    assert 'frictionless.Package("http://testserver/datapackage.json")' in about
    assert "kept when the action is revised" in about
