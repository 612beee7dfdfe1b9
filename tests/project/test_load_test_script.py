"""The pure parts of scripts/loadtest.py (`make loadtest`): reading wrk's figures and the mix of addresses."""

import datetime
import importlib.util
import re
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from recommendations.public.filters import ParagraphFilter

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "loadtest.py"


@pytest.fixture(scope="module")
def loadtest():
    """The script as a module: scripts/ is not a package."""
    spec = importlib.util.spec_from_file_location("loadtest", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules["loadtest"] = module
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        del sys.modules["loadtest"]


@pytest.fixture
def facts(loadtest):
    return loadtest.Facts(
        today=datetime.date(2026, 12, 1),
        governments=["AUS", "THA", "VNM"],
        addressees=["AUS", "ILO", "THA", "VNM"],
        theme_ids=[11, 12],
        theme_positions=[1, 2],
        recommendations=list(range(7, 26)),
        statuses=["planned", "completed"],
        sorts=["document", "theme"],
    )


WRK_OUTPUT = """Running 10s test @ http://127.0.0.1:8000/
  2 threads and 8 connections
loadtest requests=5230 duration_us=10004000 p50_us=1400 p95_us=4250 connect=0 read=2 write=0 status=3 timeout=1
loadtest-edits attempted=40 saved=39 conflicts=0 failed=0
"""


def test_wrk_figures_are_read_from_the_line_the_lua_script_prints(loadtest):
    result = loadtest.parse_wrk(WRK_OUTPUT)
    assert result.requests == 5230
    assert result.rate == pytest.approx(522.8, abs=0.1)
    assert result.p50_ms == 1.4
    assert result.p95_ms == 4.25
    # Answers 4xx or 5xx, and every kind of socket error.
    assert result.errors == 6
    assert loadtest.parse_edits(WRK_OUTPUT) == {"attempted": 40, "saved": 39, "conflicts": 0, "failed": 0}


def test_output_without_the_figures_is_an_error_not_a_zero(loadtest):
    with pytest.raises(ValueError, match="no result"):
        loadtest.parse_wrk("unable to connect to 127.0.0.1:8000 Connection refused\n")
    with pytest.raises(ValueError, match="no edit counts"):
        loadtest.parse_edits(WRK_OUTPUT.splitlines()[2])


def test_every_filter_of_the_list_has_a_row_of_its_own(loadtest, facts):
    names = {row.name for row in loadtest.page_rows(facts)}
    assert {f"/recommendations/?{name}=" for name in ParagraphFilter.base_filters} <= names


def test_the_mix_is_the_same_on_every_run_and_reads_dates_from_the_workshop_to_today(loadtest, facts):
    rows = loadtest.page_rows(facts)
    assert rows == loadtest.page_rows(facts)
    assert all(row.paths and all(path.startswith("/") for path in row.paths) for row in rows)
    dates = {
        datetime.date.fromisoformat(day)
        for row in rows
        for path in row.paths
        for day in re.findall(r"as_of=([\d-]+)", path)
    }
    assert min(dates) == datetime.date(2006, 4, 26)
    assert max(dates) == facts.today
    assert len(dates) >= 5
    readings = next(row for row in rows if row.name == "as_of: /").paths
    assert any("&record=1" in path for path in readings)
    assert any("&record=1" not in path for path in readings)


def test_the_mixed_phase_reads_the_dashboard_most_then_lists_recommendations_and_exports(loadtest, facts):
    paths = loadtest.mixed_paths(loadtest.page_rows(facts), size=200)
    assert paths.count("/") == 120
    assert sum(path.startswith("/recommendations/?") for path in paths) == 40
    assert sum(re.fullmatch(r"/recommendations/bangkok-2006/\d+/", path) is not None for path in paths) == 20
    assert sum(path.startswith("/actions/export.csv?") for path in paths) == 20


def test_only_picks_rows_by_name(loadtest, facts):
    rows = loadtest.page_rows(facts)
    assert [row.name for row in loadtest.selected(rows, "api/v1/act")] == [
        "/api/v1/actions/?actor=",
        "/api/v1/actors/",
    ]
    assert loadtest.selected(rows, None) == rows


def _cpu_line(busy: int, idle: int) -> str:
    # user nice system idle iowait irq softirq steal
    return f"cpu  {busy} 0 0 {idle} 0 0 0 0\ncpu0 0 0 0 0 0 0 0 0\n"


def test_the_next_measurement_waits_for_the_cpus_to_go_idle(loadtest, tmp_path, monkeypatch):
    stat = tmp_path / "stat"
    readings = iter([(100, 100), (200, 110), (300, 120), (305, 220)])

    def read(path):
        busy, idle = next(readings)
        stat.write_text(_cpu_line(busy, idle))
        return [int(figure) for figure in stat.read_text().split("\n", 1)[0].split()[1:]]

    monkeypatch.setattr(loadtest, "QUIET_WINDOW", 0.01)
    monkeypatch.setattr(loadtest, "_cpu_times", read)
    stat.write_text(_cpu_line(0, 0))
    # Busy over the first window (10 idle of 110), then idle (100 of 105).
    assert loadtest._quiet(stat) < loadtest.QUIET_SECONDS
    assert next(readings, None) is None


def test_a_machine_that_stays_busy_is_waited_for_a_bounded_time(loadtest, tmp_path, monkeypatch):
    stat = tmp_path / "stat"
    stat.write_text(_cpu_line(0, 0))
    clock = iter(range(0, 1000))
    monkeypatch.setattr(loadtest, "time", SimpleNamespace(monotonic=lambda: next(clock), sleep=lambda seconds: None))
    monkeypatch.setattr(loadtest, "_cpu_times", lambda path: [0] * 8)
    assert loadtest._quiet(stat) >= loadtest.QUIET_SECONDS


def test_without_proc_stat_nothing_is_waited_for(loadtest, tmp_path):
    assert loadtest._quiet(tmp_path / "missing") < 1
