from django.urls import path

from .views import public, review, workspace

app_name = "recommendations"

urlpatterns = [
    path("recommendations/export.json", public.export_json, name="export-json"),
    path("recommendations/export.csv", public.export_csv, name="export-csv"),
    path("recommendations/<slug:code>/<int:number>/", public.paragraph_detail, name="paragraph"),
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
]
