"""The map of the Asia-Pacific on the dashboard and the recommendation pages."""

import json
import re

import pytest

from recommendations.models import Actor, Status, government
from recommendations.progress import figures
from recommendations.public import maps
from tests.public.conftest import make_action

DISCLAIMER = (
    "The boundaries and names shown and the designations used on this map do not imply official "
    "endorsement or acceptance by the United Nations."
)
# Governments beyond the workshop's, with shapes on the map; the last three are small states with a marker.
MORE = ["JPN", "PHL", "IDN", "MYS", "KHM", "LAO", "MMR", "NPL", "LKA", "BGD", "FJI", "NRU", "TUV", "SGP"]


def _add_governments(codes):
    for code in codes:
        if not Actor.objects.filter(code=code).exists():
            government(code).save()


def _map_of(page: str) -> str:
    return re.search(r"<svg xmlns=\"http://www.w3.org/2000/svg\"[^>]*class=\"map\".*?</svg>", page, re.S).group(0)


def test_the_shapes_file_records_its_source_and_holds_every_asia_pacific_government():
    shapes = json.loads(maps.SHAPES.read_text())
    assert "Natural Earth 1:50m" in shapes["source"] and "world-atlas 2.0.2" in shapes["source"]
    assert {"THA", "AUS", "VNM", "SGP", "NRU", "TUV", "FJI", "WSM"} <= set(shapes["countries"])
    # Small states get a marker a person can see and click.
    assert all(shapes["countries"][code]["marker"] for code in ("SGP", "NRU", "TUV", "MDV"))
    assert shapes["countries"]["AUS"]["marker"] is None


def test_the_dashboard_maps_each_governments_progress_with_a_link_a_label_and_the_disclaimer(client, follow_up):
    page = client.get("/").content.decode()
    svg = _map_of(page)
    found = figures.dashboard()
    thailand = next(group for group in found.by_actor if group.key.code == "THA")
    tally = thailand.tally
    label = f"Thailand: {tally.progress:.0f}% · {tally.reported} of {tally.cells} statuses reported"
    assert f'<a href="/actors/THA/" aria-label="{label}">' in svg
    assert '<a href="/actors/AUS/"' in svg and '<a href="/actors/VNM/"' in svg
    # Organisations are not on a map of governments.
    assert '/actors/IOM/"' not in svg
    assert DISCLAIMER in page
    assert "The map as a table" in page and f"<td>{thailand.tally.progress:.0f}% ·" in page
    # Every class in the legend has its own pattern, so no class depends on colour alone.
    patterns = re.findall(r'<pattern id="map-([^"]+)"', svg)
    assert len(patterns) == len(set(patterns)) >= 2


def test_a_recommendation_page_maps_each_governments_status_on_it(client, follow_up):
    _add_governments(["JPN"])
    page = client.get("/recommendations/bangkok-2006/12/").content.decode()
    svg = _map_of(page)
    assert '<a href="/actors/THA/" aria-label="Thailand: Completed">' in svg
    assert '<a href="/actors/AUS/" aria-label="Australia: Completed">' in svg
    assert 'aria-label="Viet Nam: No information provided"' in svg
    assert 'fill="url(#map-completed)"' in svg
    assert DISCLAIMER in page


def test_a_small_state_has_a_marker_and_a_government_off_the_map_is_in_the_table(client, follow_up):
    _add_governments(["NRU"])
    Actor.objects.create(code="FRA", name="French Republic", short_name="France", kind=Actor.Kind.GOVERNMENT)
    make_action(Actor.objects.get(code="NRU"), [12], Status.PLANNED)
    page = client.get("/recommendations/bangkok-2006/12/").content.decode()
    svg = _map_of(page)
    nauru = re.search(r'<a href="/actors/NRU/"[^>]*>.*?</a>', svg, re.S).group(0)
    assert "<circle" in nauru and ': Planned"' in nauru
    assert "/actors/FRA/" not in svg
    assert re.search(r'<a href="/actors/FRA/">France</a> <span class="tag">not on the map</span>', page)


@pytest.mark.parametrize("url", ["/", "/recommendations/bangkok-2006/12/"])
def test_the_map_adds_no_query_per_country(client, follow_up, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _add_governments(MORE)
    for code in MORE[:5]:
        make_action(Actor.objects.get(code=code), [12, 13], Status.IN_PROGRESS)
    with CaptureQueriesContext(connection) as many:
        page = client.get(url).content.decode()
    assert len(many) == len(few)
    assert all(f'href="/actors/{code}/"' in _map_of(page) for code in MORE)


def test_a_map_on_a_date_links_each_country_to_its_page_on_that_date(follow_up):
    import datetime

    from recommendations.progress.history import Reading

    reading = Reading(datetime.date(2006, 9, 14), record=True)
    drawn = maps.progress_map(figures.dashboard(reading).by_actor, reading)
    thailand = next(country for country in drawn.countries if country.code == "THA")
    assert thailand.url == "/actors/THA/?as_of=2006-09-14&record=1"
    assert 'href="/actors/THA/?as_of=2006-09-14&amp;record=1"' in drawn.svg()
    assert thailand.label.startswith("No information provided")
