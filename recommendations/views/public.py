import json

from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from .. import exports
from ..filters import ParagraphFilter
from ..models import Meeting, Paragraph


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    meetings = Meeting.objects.all()
    return render(request, "recommendations/home.html", {"meetings": meetings})


@require_safe
def paragraph_detail(request: HttpRequest, code: str, number: int) -> HttpResponse:
    paragraph = get_object_or_404(
        Paragraph.objects.select_related("meeting", "theme").prefetch_related("addressees"),
        meeting__code=code,
        number=number,
    )
    return render(request, "recommendations/paragraph.html", {"paragraph": paragraph})


def _filtered_paragraphs(request: HttpRequest) -> ParagraphFilter:
    return ParagraphFilter(request.GET, queryset=Paragraph.objects.for_export())


def _errors(filterset: ParagraphFilter) -> str:
    return " ".join(message for messages in filterset.errors.values() for message in messages)


@require_safe
def export_json(request: HttpRequest) -> HttpResponse:
    filterset = _filtered_paragraphs(request)
    if not filterset.is_valid():
        return JsonResponse({"error": _errors(filterset)}, status=400)
    rows = list(exports.paragraph_rows(filterset.qs, request))
    return HttpResponse(json.dumps(rows, ensure_ascii=False, indent=1), content_type="application/json; charset=utf-8")


@require_safe
def export_csv(request: HttpRequest) -> HttpResponse:
    filterset = _filtered_paragraphs(request)
    if not filterset.is_valid():
        return HttpResponse(_errors(filterset), status=400, content_type="text/plain; charset=utf-8")
    rows = exports.paragraph_rows(filterset.qs, request)
    response = StreamingHttpResponse(
        exports.csv_lines(exports.PARAGRAPH_COLUMNS, rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="recommendations.csv"'
    return response
