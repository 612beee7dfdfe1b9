from django.urls import path

from .public import feeds
from .public import views as public
from .public.page_cache import cached_page as cached
from .reporting.views import review, workspace

app_name = "recommendations"

# The public pages, feeds and exports: anonymous visitors' answers come from the cache until the
# data changes (public/page_cache.py). The workspace, review and evidence files are never cached.
urlpatterns = [
    path("my/", workspace.home, name="workspace"),
    path("my/actions/new/", workspace.action_new, name="workspace-action-new"),
    path("my/actions/<int:pk>/", workspace.action_detail, name="workspace-action"),
    path("my/actions/<int:pk>/edit/", workspace.action_edit, name="workspace-action-edit"),
    path("my/actions/<int:pk>/submit/", workspace.action_submit, name="workspace-action-submit"),
    path("evidence/<int:pk>/", workspace.evidence_file, name="evidence-file"),
    path("review/", review.queue, name="review-queue"),
    path("review/approve/", review.bulk_approve, name="review-bulk-approve"),
    path("review/actions/<int:pk>/", review.action, name="review-action"),
    path("review/actions/<int:pk>/approve/", review.approve, name="review-approve"),
    path("review/actions/<int:pk>/return/", review.return_action, name="review-return"),
    path("review/rounds/<int:pk>/", review.round_compliance, name="review-round"),
    path("", cached(public.home), name="home"),
    path("about/", cached(public.about), name="about"),
    path("feeds/actions.atom", cached(feeds.PublishedActions()), name="actions-feed"),
    path("feeds/status-changes.atom", cached(feeds.StatusChanges()), name="status-changes-feed"),
    path("changes/", cached(public.what_changed), name="changes"),
    path("recommendations/", cached(public.recommendation_list), name="list"),
    path("recommendations/<slug:code>/<int:number>/", cached(public.paragraph_detail), name="paragraph"),
    path(
        "recommendations/<slug:code>/<int:number>/actions.atom",
        cached(feeds.RecommendationActions()),
        name="paragraph-actions-feed",
    ),
    path(
        "recommendations/<slug:code>/<int:number>/status-changes.atom",
        cached(feeds.RecommendationStatusChanges()),
        name="paragraph-status-changes-feed",
    ),
    path("documents/<slug:code>/", cached(public.document), name="document"),
    path("documents/<slug:code>/report.pdf", cached(public.meeting_report), name="meeting-report"),
    path("documents/<slug:code>/themes/<int:position>/", cached(public.theme_detail), name="theme"),
    path("actors/<str:code>/", cached(public.actor_detail), name="actor"),
    path("actors/<str:code>/actions.atom", cached(feeds.ActorActions()), name="actor-actions-feed"),
    path("actors/<str:code>/status-changes.atom", cached(feeds.ActorStatusChanges()), name="actor-status-changes-feed"),
    path("actors/<str:code>/brief.pdf", cached(public.actor_brief), name="actor-brief"),
    path("actions/<int:pk>/", cached(public.action_detail), name="action"),
    # Before the datasets' exports, which reverse() also names this one by: ("matrix", fmt).
    path("matrix/export.<slug:fmt>", cached(public.matrix_export), name="matrix-export"),
    path("datapackage.json", cached(public.datapackage), name="datapackage"),
    path("<slug:dataset>/export.<slug:fmt>", cached(public.export), name="export"),
]
