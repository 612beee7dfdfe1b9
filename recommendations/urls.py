from django.urls import path

from .public import feeds
from .public import views as public
from .reporting.views import review, workspace

app_name = "recommendations"

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
    path("", public.home, name="home"),
    path("about/", public.about, name="about"),
    path("feeds/actions.atom", feeds.PublishedActions(), name="actions-feed"),
    path("feeds/status-changes.atom", feeds.StatusChanges(), name="status-changes-feed"),
    path("changes/", public.what_changed, name="changes"),
    path("recommendations/", public.recommendation_list, name="list"),
    path("recommendations/<slug:code>/<int:number>/", public.paragraph_detail, name="paragraph"),
    path(
        "recommendations/<slug:code>/<int:number>/actions.atom",
        feeds.RecommendationActions(),
        name="paragraph-actions-feed",
    ),
    path(
        "recommendations/<slug:code>/<int:number>/status-changes.atom",
        feeds.RecommendationStatusChanges(),
        name="paragraph-status-changes-feed",
    ),
    path("documents/<slug:code>/", public.document, name="document"),
    path("documents/<slug:code>/themes/<int:position>/", public.theme_detail, name="theme"),
    path("actors/<str:code>/", public.actor_detail, name="actor"),
    path("actors/<str:code>/actions.atom", feeds.ActorActions(), name="actor-actions-feed"),
    path("actors/<str:code>/status-changes.atom", feeds.ActorStatusChanges(), name="actor-status-changes-feed"),
    path("actions/<int:pk>/", public.action_detail, name="action"),
    # Before the datasets' exports, which reverse() also names this one by: ("matrix", fmt).
    path("matrix/export.<slug:fmt>", public.matrix_export, name="matrix-export"),
    path("datapackage.json", public.datapackage, name="datapackage"),
    path("<slug:dataset>/export.<slug:fmt>", public.export, name="export"),
]
