"""The chart of statuses by month, drawn on the server from hand-made series."""

import datetime
import xml.etree.ElementTree as ElementTree

import pytest

from recommendations.models import Status
from recommendations.progress import history
from recommendations.public import charts

SVG = "{http://www.w3.org/2000/svg}"


def parsed(html: str) -> ElementTree.Element:
    """The chart's HTML read by an XML parser, so that it must be well formed, the SVG in its namespace."""
    return ElementTree.fromstring(html.replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" '))  # noqa: S314 - our own output


def table_rows(figure: ElementTree.Element) -> list[list[str]]:
    return [["".join(cell.itertext()) for cell in row] for row in figure.iter("tr")]


def bands(figure: ElementTree.Element) -> dict[str, str]:
    """Each status drawn, by its name, with its shapes."""
    return {path.find(f"{SVG}title").text: path.get("d") for path in figure.iter(f"{SVG}path") if path.get("fill")}


def test_an_empty_series_says_there_is_nothing_to_chart():
    html = charts.status_chart([], name="chart-empty", about="all actors")
    figure = parsed(html)
    assert figure.find("svg") is None and figure.find(f"{SVG}svg") is None
    assert "There is no month to chart yet." in html


def test_one_month_is_one_bar_with_its_table_row():
    html = charts.status_chart(
        [(datetime.date(2006, 4, 30), {Status.PLANNED: 2, Status.COMPLETED: 1})], name="chart-one", about="Thailand"
    )
    figure = parsed(html)
    svg = figure.find(f".//{SVG}svg")
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "chart-one-title chart-one-desc"
    assert svg.find(f"{SVG}title").get("id") == "chart-one-title"
    assert svg.find(f"{SVG}title").text == "Statuses by month, Thailand, April 2006 to April 2006"
    assert "At the end of April 2006: 3 statuses, 1 completed, 2 planned." in svg.find(f"{SVG}desc").text
    assert set(bands(figure)) == {"Completed", "Planned"}
    # The Dialogue is after the only month: not marked.
    assert "High-level Dialogue" not in html
    assert table_rows(figure)[1] == ["April 2006", "0", "1", "0", "2", "0", "0", "3"]


def test_many_months_stack_each_status_and_mark_the_dialogue():
    ends = history.month_ends(datetime.date(2026, 11, 30))
    series = [(day, {Status.IN_PROGRESS: n, Status.COMPLETED: n // 2}) for n, day in enumerate(ends)]
    html = charts.status_chart(series, name="chart-many", about="all actors")
    figure = parsed(html)
    drawn = bands(figure)
    # The first month counts nothing; every other month has a bar of in progress.
    assert drawn["In progress"].count("M") == len(ends) - 1
    assert drawn["Completed"].count("M") == len(ends) - 2
    rows = table_rows(figure)
    assert len(rows) == 1 + len(ends)
    assert rows[0] == ["Month end", *(status.label for status in reversed(Status)), "All statuses"]
    assert rows[-1][0] == "November 2026"
    markers = [text.text for text in figure.iter(f"{SVG}text") if text.text and "Dialogue" in text.text]
    assert markers == ["High-level Dialogue, 14 September 2006"]
    description = figure.find(f".//{SVG}desc").text
    assert "At the end of September 2006, after the Dialogue: 2 completed, 5 in progress." in description
    # Years are labelled every other year when there are more than twelve of them.
    years = [
        text.text for text in figure.iter(f"{SVG}text") if text.text and text.text.isdigit() and len(text.text) == 4
    ]
    assert years[:3] == ["2007", "2009", "2011"]


def test_every_status_has_its_own_pattern_and_a_named_legend_entry():
    series = [(datetime.date(2010, 1, 31), {status.value: 1 for status in Status})]
    html = charts.status_chart(series, name="chart-all", about="all actors")
    figure = parsed(html)
    patterns = {pattern.get("id"): pattern for pattern in figure.iter(f"{SVG}pattern")}
    assert set(patterns) == {f"chart-all-{status.value}" for status in Status}
    drawings = {(p.find(f"{SVG}rect").get("fill"), p.find(f"{SVG}path").get("d")) for p in patterns.values()}
    assert len({colour for colour, _ in drawings}) == len(Status)
    assert len({pattern for _, pattern in drawings}) == len(Status)
    legend = figure.find(".//ul")
    assert ["".join(item.itertext()).strip() for item in legend] == [status.label for status in reversed(Status)]
    assert set(bands(figure)) == {status.label for status in Status}


def test_other_dates_are_marked_each_on_its_own_line():
    series = [(day, {}) for day in history.month_ends(datetime.date(2016, 6, 30))]
    html = charts.status_chart(
        series,
        name="chart-marked",
        about="all actors",
        markers=[charts.Marker(datetime.date(2015, 1, 1), "As of 2015")],
    )
    figure = parsed(html)
    labels = {text.text: text.get("y") for text in figure.iter(f"{SVG}text") if text.text and not text.text.isdigit()}
    assert labels["As of 2015"] != labels["High-level Dialogue, 14 September 2006"]
    assert "no status reported" in figure.find(f".//{SVG}desc").text


@pytest.mark.parametrize("largest, top", [(0, 1), (1, 1), (7, 8), (45, 50), (380, 400), (1_000_001, 1_500_000)])
def test_the_scale_ends_on_a_round_number_above_the_tallest_bar(largest, top):
    html = charts.status_chart([(datetime.date(2008, 5, 31), {"planned": largest})], name="c", about="x")
    values = [text.text for text in parsed(html).iter(f"{SVG}text") if text.text and text.text[0].isdigit()]
    assert values[0] == "0" and values[-1] == f"{top:,}"


def test_what_the_chart_is_about_is_escaped():
    html = charts.status_chart(
        [(datetime.date(2008, 5, 31), {"planned": 1})], name="chart-x", about='<script>alert("x")</script> & co'
    )
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    parsed(html)
