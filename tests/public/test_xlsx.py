"""The Excel exports: typed cells, the row limit, and files that LibreOffice opens."""

import csv
import datetime
import io
import json
import shutil
import subprocess  # nosec B404 - runs LibreOffice on files the test wrote
import zipfile
from xml.etree import ElementTree

import pytest

from recommendations.models import FollowUpAction, Paragraph
from recommendations.public import exports
from tests.conftest import skip_or_fail

SHEET = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
DATASETS = list(exports.DATASETS)
# The wide matrix, which has no JSON form, is compared with its CSV export.
WORKBOOKS = [*DATASETS, "matrix"]


def body(client, dataset, fmt, query=""):
    response = client.get(f"/{dataset}/export.{fmt}?{query}")
    assert response.status_code == 200, response.content
    return response.getvalue()


def sheet_rows(workbook: bytes) -> list[list[ElementTree.Element]]:
    with zipfile.ZipFile(io.BytesIO(workbook)) as archive:
        sheet = ElementTree.fromstring(archive.read("xl/worksheets/sheet1.xml"))  # noqa: S314 - our own output
    return [list(row.iter(f"{SHEET}c")) for row in sheet.iter(f"{SHEET}row")]


@pytest.fixture
def awkward_text(follow_up):
    """Text a spreadsheet could take for a formula, or whose tabs and carriage returns an XML
    parser could lose."""
    Paragraph.objects.filter(meeting__code="bangkok-2006", number=7).update(text='=HYPERLINK("http://evil.example")')
    Paragraph.objects.filter(meeting__code="bangkok-2006", number=8).update(text="\tTabbed\r\nand two lines ")
    FollowUpAction.objects.filter(pk=follow_up["plan"].pk).update(description="\rReturn first")
    return follow_up


def test_cells_are_typed_and_text_is_never_a_formula(client, awkward_text):
    header, *rows = sheet_rows(body(client, "actions", "xlsx"))
    columns = ["".join(cell.itertext()) for cell in header]
    mou = next(row for row in rows if "Memorandum" in "".join(row[columns.index("title")].itertext()))
    as_of = mou[columns.index("status_as_of")]
    assert (as_of.get("t"), as_of.get("s"), as_of.findtext(f"{SHEET}v")) == (None, "1", "38930")  # 2006-08-01
    published = mou[columns.index("published_at")]
    assert published.get("s") == "2" and float(published.findtext(f"{SHEET}v")) > 38930
    demo = mou[columns.index("demo")]
    assert (demo.get("t"), demo.findtext(f"{SHEET}v")) == ("b", "0")
    assert all(cell.find(f"{SHEET}f") is None for row in rows for cell in row)

    header, *rows = sheet_rows(body(client, "recommendations", "xlsx", "meeting=bangkok-2006"))
    by_number = {int(row[2].findtext(f"{SHEET}v")): row for row in rows}
    assert by_number[7][5].get("t") == "inlineStr"
    assert "".join(by_number[7][5].itertext()) == '=HYPERLINK("http://evil.example")'
    assert "".join(by_number[8][5].itertext()) == "\tTabbed\r\nand two lines "


def test_a_sheet_past_excels_row_limit_ends_with_a_row_pointing_to_the_csv(client, follow_up, monkeypatch):
    monkeypatch.setattr(exports, "XLSX_MAX_ROWS", 3)
    header, *rows = sheet_rows(body(client, "actions", "xlsx", "status=completed"))
    assert len(rows) == 1  # one action: it fits
    header, *rows = sheet_rows(body(client, "actions", "xlsx"))
    assert len(rows) == 2
    note = "".join(rows[-1][0].itertext())
    assert note.startswith("Cut here: this export has more rows than Excel's 3.")
    assert note.endswith("The CSV export holds them all: http://testserver/actions/export.csv")


def expected_cell(value) -> str:
    """A JSON value as LibreOffice shows its Excel cell: lists joined as the sheet writes them,
    booleans in capitals, datetimes in UTC to the second, and a line break written as carriage
    return and line feed read as LibreOffice keeps it, one line feed (the sheet holds both)."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, list):
        return ";".join(value)
    if isinstance(value, str) and len(value) > 19 and value[10:11] == "T":
        moment = datetime.datetime.fromisoformat(value).astimezone(datetime.UTC)
        return moment.strftime("%Y-%m-%d %H:%M:%S")
    return str(value).replace("\r\n", "\n")


def csv_export(client, dataset) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body(client, dataset, "csv").decode("utf-8-sig"), newline="")))


def test_libreoffice_opens_every_excel_export_with_the_json_exports_cells(client, awkward_text, tmp_path):
    soffice = shutil.which("soffice")
    if soffice is None:
        skip_or_fail("LibreOffice (soffice, Debian's libreoffice-calc-nogui) is not installed")
    workbooks = []
    for dataset in WORKBOOKS:
        workbook = tmp_path / f"{dataset}.xlsx"
        workbook.write_bytes(body(client, dataset, "xlsx"))
        workbooks.append(workbook)
    # One run converts them all; its own profile keeps it apart from any other LibreOffice.
    subprocess.run(  # noqa: S603 - fixed arguments
        [
            soffice,
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76",
            "--outdir",
            str(tmp_path / "csv"),
            *map(str, workbooks),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    converted = {}
    for dataset in WORKBOOKS:
        path = tmp_path / "csv" / f"{dataset}.csv"
        assert path.exists(), f"LibreOffice could not load {dataset}.xlsx"
        with path.open(encoding="utf-8", newline="") as file:
            converted[dataset] = list(csv.reader(file))
    assert converted["matrix"] == csv_export(client, "matrix")
    for dataset in DATASETS:
        header, *cells = converted[dataset]
        rows = json.loads(body(client, dataset, "json"))
        assert rows, dataset
        assert header == list(rows[0])
        assert cells == [[expected_cell(value) for value in row.values()] for row in rows], dataset
