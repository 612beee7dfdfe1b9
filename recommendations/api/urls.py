from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from ..public.page_cache import cached_page as cached
from . import reads, token_pages, writes
from .errors import not_found

app_name = "api"

# Action numbers: at most 18 digits, which every database's keys hold.
NUMBER = r"(?P<number>[0-9]{1,18})"

urlpatterns = [
    path("my/tokens/", token_pages.tokens, name="tokens"),
    path("my/tokens/<str:key>/revoke/", token_pages.revoke_token, name="revoke-token"),
    path("api/v1/", cached(reads.Index.as_view()), name="index"),
    path("api/v1/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/v1/docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("api/v1/meetings/", cached(reads.Meetings.as_view()), name="meetings"),
    path("api/v1/themes/", cached(reads.Themes.as_view()), name="themes"),
    path("api/v1/recommendations/", cached(reads.Recommendations.as_view()), name="recommendations"),
    path("api/v1/actors/", cached(reads.Actors.as_view()), name="actors"),
    path("api/v1/actions/", cached(reads.Actions.as_view()), name="actions"),
    path("api/v1/statuses/", cached(reads.Statuses.as_view()), name="statuses"),
    path("api/v1/my/actions/", writes.OwnActions.as_view(), name="own-actions"),
    re_path(rf"^api/v1/my/actions/{NUMBER}/$", writes.OwnAction.as_view(), name="own-action"),
    re_path(rf"^api/v1/my/actions/{NUMBER}/evidence-links/$", writes.EvidenceLinks.as_view(), name="evidence-links"),
    re_path(rf"^api/v1/my/actions/{NUMBER}/submit/$", writes.Submit.as_view(), name="submit"),
    # Any other address under the API, a line break in it too.
    re_path(r"^api/v1/(?P<path>[\s\S]*)$", not_found),
]
