"""Random and hostile input: a clear 4xx or a valid result, never a 500, never a partial write."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recommendations.models import Meeting, Paragraph, Theme
from recommendations.parsing import OutcomeDocumentError, decode, parse
from recommendations.services import import_outcomes

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

HOSTILE = [
    "<script>alert(1)</script>",
    "&lt;b&gt;&amp;",
    "\u202eevil\u202c",
    "'; DROP TABLE recommendations_paragraph; --",
    '=HYPERLINK("http://x")',
    "x" * 10_000,
    "\x00",
    "%00",
    "../../etc/passwd",
]
hostile_text = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=200))

document_line = st.one_of(
    st.text(max_size=80),
    st.builds("{}. {}".format, st.integers(0, 1200), st.text(max_size=120)),
    st.builds("{}) {}".format, st.sampled_from(["I", "IV", "A", "(3"]), st.text(max_size=40)),
    st.sampled_from(["", "*****", "   ", "Expectations Regarding the High Level Dialogue", "\r", "\f", "-"]),
    st.sampled_from(HOSTILE),
)
documents = st.one_of(
    st.lists(document_line, max_size=40).map("\n".join).map(str.encode),
    st.binary(max_size=400),
    st.text(max_size=400).map(lambda text: text.encode("utf-8", "surrogatepass")),
)


def snapshot():
    return (
        list(Meeting.objects.values_list("code", "title", "source_text")),
        list(Theme.objects.values_list("pk", "position", "label", "heading")),
        list(Paragraph.objects.values_list("pk", "number", "theme", "text", "is_tracked")),
    )


@FUZZ
@given(data=documents)
def test_the_importer_imports_exactly_what_it_reads_or_changes_nothing(workshop, data):
    before = snapshot()
    try:
        text = decode(data)
        result = import_outcomes(text=text, code="fuzz")
    except (OutcomeDocumentError, ValidationError):
        assert snapshot() == before
        return
    document = parse(text)
    stored = list(result.meeting.paragraphs.order_by("number").values_list("number", "text"))
    assert stored == [(p.number, p.text) for p in document.paragraphs]
    assert result.meeting.themes.count() == len(document.headings)
    assert Meeting.objects.get(code="bangkok-2006").paragraphs.count() == 25


PUBLIC_URLS = [
    "/",
    "/recommendations/",
    "/recommendations/bangkok-2006/12/",
    "/actors/THA/",
    "/documents/bangkok-2006/",
    "/recommendations/export.json",
    "/recommendations/export.csv",
    "/actions/export.csv",
    "/statuses/export.json",
]
PARAMETERS = ["meeting", "theme", "addressee", "actor", "status", "tracked", "q", "sort", "page", "format", "x"]


@FUZZ
@given(params=st.dictionaries(st.sampled_from(PARAMETERS), hostile_text, max_size=4))
@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_public_urls_answer_any_query_string_without_a_server_error(client, workshop, url, params):
    response = client.get(url, params)
    assert response.status_code in (200, 400, 404)
    if response.status_code == 200 and not response.streaming:
        assert "<script>alert(1)</script>" not in response.content.decode()


@FUZZ
@given(code=hostile_text, number=st.one_of(st.integers(-5, 10**12).map(str), hostile_text))
def test_paragraph_permalinks_are_found_or_not_found_never_broken(client, workshop, code, number):
    response = client.get(f"/recommendations/{code}/{number}/")
    assert response.status_code in (200, 301, 404)


ACTION_FIELDS = ["title", "description", "status", "status_as_of", "status_source", "start_date", "end_date",
                 "responsible_agency", "recommendations", "partners", "evidence_links", "version"]  # fmt: skip


@FUZZ
@given(form=st.dictionaries(st.sampled_from(ACTION_FIELDS), hostile_text, max_size=8))
def test_the_action_form_answers_any_input_with_a_form_or_a_saved_draft(client, thai_focal_point, form):
    from recommendations.models import FollowUpAction

    client.force_login(thai_focal_point)
    before = FollowUpAction.objects.count()
    response = client.post("/my/actions/new/", form)
    assert response.status_code in (200, 302, 400)
    if response.status_code != 302:
        assert FollowUpAction.objects.count() == before
        assert "<script>alert(1)</script>" not in response.content.decode()
