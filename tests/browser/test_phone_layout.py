"""On a phone every page fits the screen: only wide tables scroll sideways, each in its own labelled box."""

import pytest

from .conftest import accessibility_violations, session_cookie

PHONE = {"width": 390, "height": 800}

# What sticks out past the right edge of the window outside a box that scrolls it (the
# outermost such element only), and whether each such box is one a keyboard and a screen
# reader can use.
LAYOUT_PROBLEMS = """() => {
  const width = window.innerWidth;
  const problems = [];
  const name = (element) => element.tagName.toLowerCase() + (element.id ? "#" + element.id : "")
    + [...element.classList].map((name) => "." + name).join("");
  const page = document.documentElement.scrollWidth;
  if (page > width) problems.push(`the page is ${page}px wide in a ${width}px window`);
  for (const element of document.body.querySelectorAll("*")) {
    const right = element.getBoundingClientRect().right;
    const parent = element.parentElement;
    if (right > width + 0.5 && !parent.closest(".scroll-box") && parent.getBoundingClientRect().right <= width + 0.5) {
      problems.push(`${name(element)} reaches ${Math.round(right)}px, outside a scroll box`);
    }
  }
  for (const box of document.querySelectorAll(".scroll-box")) {
    const label = document.getElementById(box.getAttribute("aria-labelledby") || "");
    if (box.getAttribute("role") !== "region" || !label || box.getAttribute("tabindex") !== "0") {
      problems.push(`${name(box)} is not a focusable region labelled by an element of the page`);
    }
    if (getComputedStyle(box).overflowX !== "auto") problems.push(`${name(box)} does not scroll sideways`);
    if (box.scrollHeight > box.clientHeight + 1) problems.push(`${name(box)} hides rows below its bottom edge`);
  }
  return problems;
}"""


def assert_fits_a_phone(page, urls: list[str]) -> None:
    """Each page fits the phone's screen and axe-core finds no violation on it."""
    problems = []
    for url in urls:
        page.goto(url)
        problems += [f"{url}: {problem}" for problem in page.evaluate(LAYOUT_PROBLEMS) + accessibility_violations(page)]
    assert problems == [], "\n".join(problems)


@pytest.fixture
def phone(page):
    page.set_viewport_size(PHONE)
    return page


def signed_in(page, live_server, user):
    page.context.add_cookies([{"name": "sessionid", "value": session_cookie(user), "url": live_server.url}])
    return page


def test_every_public_page_fits_a_phone(phone, workflow_records):
    urls = [
        "/",
        "/recommendations/?theme=2&status=completed&sort=-progress",
        "/recommendations/bangkok-2006/12/",
        "/actors/THA/",
        "/actors/ALL-STATES/",
        "/documents/bangkok-2006/",
        "/about/",
        f"/actions/{workflow_records.updated.pk}/",
    ]
    assert_fits_a_phone(phone, urls)


def test_the_matrix_scrolls_sideways_with_the_actors_in_view_and_every_row_shown(phone, make_run_data):
    phone.goto("/")
    matrix = phone.locator(".scroll-box:has(table.matrix)")
    assert matrix.evaluate("box => box.scrollWidth > box.clientWidth")
    actor = matrix.locator("tbody th").first
    assert actor.evaluate("cell => [getComputedStyle(cell).position, getComputedStyle(cell).left]") == ["sticky", "0px"]
    left = actor.bounding_box()["x"]
    matrix.evaluate("box => box.scrollBy(400, 0)")
    assert actor.bounding_box()["x"] == left
    last_row, box = matrix.locator("tbody tr").last.bounding_box(), matrix.bounding_box()
    assert last_row["y"] + last_row["height"] <= box["y"] + box["height"]


def test_the_list_filters_are_one_column_of_controls_big_enough_for_a_thumb(phone, make_run_data):
    phone.goto("/recommendations/")
    controls = phone.locator("form.filters").locator("input, select, button, a")
    boxes = {
        control.evaluate("element => element.name || element.textContent"): control.bounding_box()
        for control in controls.all()
    }
    assert {name: box["height"] for name, box in boxes.items() if box["height"] < 44} == {}
    column = boxes["q"]["x"]
    assert {name: box["x"] for name, box in boxes.items() if abs(box["x"] - column) > 2} == {}


def test_the_workspace_fits_a_phone(phone, live_server, workflow_records):
    signed_in(phone, live_server, workflow_records.focal_point)
    urls = ["/my/", "/my/actions/new/", f"/my/actions/{workflow_records.updated.pk}/"]
    assert_fits_a_phone(phone, urls)


def test_the_review_pages_fit_a_phone(phone, live_server, workflow_records):
    signed_in(phone, live_server, workflow_records.secretariat)
    urls = [
        "/review/",
        f"/review/actions/{workflow_records.updated.pk}/",
        f"/review/rounds/{workflow_records.round.pk}/",
    ]
    assert_fits_a_phone(phone, urls)
