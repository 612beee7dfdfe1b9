"""The secretariat's tool: every model, with the links between them.

Imported text (a meeting's source, a paragraph's words, a theme's heading) is read-only here:
it changes only by importing a corrected document, so the record stays verbatim.
"""

import functools

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db import models, transaction
from django.db.models import Count, Q
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from knox.models import AuthToken
from simple_history.admin import SimpleHistoryAdmin

from security.audit import log_event

from .models import (
    ActionPartner,
    ActionRecommendation,
    ActionRevision,
    Actor,
    ApiToken,
    EvidenceFile,
    EvidenceLink,
    FocalPoint,
    FollowUpAction,
    GroupMembership,
    ImplementationStatus,
    Meeting,
    OpenDataLicence,
    Paragraph,
    Participation,
    Reminder,
    ReportingRound,
    Theme,
)
from .progress.freshness import figures_changed
from .progress.statuses import refresh_implementation_statuses
from .reporting import workflow
from .reporting.forms import ReturnForm

# Addresses typed without a scheme are taken as https, as Django 6 will do.
URL_FIELDS_ASSUME_HTTPS = {models.URLField: {"assume_scheme": "https"}}


def admin_link(obj, text=None):
    if obj is None:
        return "—"
    url = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
    return format_html('<a href="{}">{}</a>', url, text or obj)


class ThemeInline(admin.TabularInline):
    model = Theme
    fields = ["position", "label", "heading"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


class ParagraphInline(admin.TabularInline):
    model = Paragraph
    fields = ["number", "theme", "excerpt", "is_tracked"]
    readonly_fields = ["number", "theme", "excerpt"]
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description="text")
    def excerpt(self, paragraph):
        return paragraph.text[:160] + ("…" if len(paragraph.text) > 160 else "")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("theme")


class ParticipationInline(admin.TabularInline):
    model = Participation
    fields = ["actor", "meeting", "role", "verified", "source"]
    autocomplete_fields = ["actor"]
    extra = 0


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "place", "start_date", "end_date", "paragraph_count", "tracked_count"]
    search_fields = ["code", "title", "place", "host"]
    readonly_fields = ["source_text", "document_title"]
    inlines = [ThemeInline, ParagraphInline, ParticipationInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                paragraph_count=Count("paragraphs", distinct=True),
                tracked_count=Count("paragraphs", filter=Q(paragraphs__is_tracked=True), distinct=True),
            )
        )

    def get_readonly_fields(self, request, obj=None):
        # The code is the meeting's public identifier: fixed once it exists.
        return [*self.readonly_fields, "code"] if obj else self.readonly_fields

    @admin.display(description="paragraphs", ordering="paragraph_count")
    def paragraph_count(self, meeting):
        return meeting.paragraph_count

    @admin.display(description="tracked", ordering="tracked_count")
    def tracked_count(self, meeting):
        return meeting.tracked_count


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["__str__", "meeting", "position"]
    list_filter = ["meeting"]
    search_fields = ["heading"]
    readonly_fields = ["meeting", "position", "label", "heading"]
    list_select_related = ["meeting"]
    inlines = [ParagraphInline]

    def has_add_permission(self, request):
        return False


class ActionRecommendationInline(admin.TabularInline):
    model = ActionRecommendation
    fields = ["action_link", "reporter", "status", "status_as_of"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name = "follow-up action"
    verbose_name_plural = "follow-up actions"

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("action__actor")

    @admin.display(description="action")
    def action_link(self, link):
        return admin_link(link.action)

    @admin.display(description="reported by")
    def reporter(self, link):
        return admin_link(link.action.actor)

    @admin.display(description="status")
    def status(self, link):
        return link.action.get_status_display()

    @admin.display(description="as of")
    def status_as_of(self, link):
        return link.action.status_as_of


class TrackedFilter(admin.SimpleListFilter):
    title = "kind of paragraph"
    parameter_name = "tracked"

    def lookups(self, request, model_admin):
        return [("yes", "Tracked recommendation"), ("no", "Context")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.tracked()
        if self.value() == "no":
            return queryset.context()
        return queryset


@admin.register(Paragraph)
class ParagraphAdmin(admin.ModelAdmin):
    list_display = ["__str__", "number", "theme", "is_tracked", "addressee_codes", "action_count"]
    list_display_links = ["__str__"]
    list_editable = ["is_tracked"]
    list_filter = [TrackedFilter, "meeting", "theme", "addressees__kind"]
    search_fields = ["text", "theme__heading", "addressees__code", "addressees__name"]
    list_select_related = ["meeting", "theme"]
    readonly_fields = ["meeting", "number", "theme_link", "text"]
    fields = ["meeting", "number", "theme_link", "text", "is_tracked", "addressees"]
    autocomplete_fields = ["addressees"]
    inlines = [ActionRecommendationInline]
    actions = ["mark_tracked", "mark_context"]

    def has_add_permission(self, request):
        return False

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(action_count=Count("actions", distinct=True))
            .prefetch_related("addressees")
        )

    @admin.display(description="theme")
    def theme_link(self, paragraph):
        return admin_link(paragraph.theme)

    @admin.display(description="addressees")
    def addressee_codes(self, paragraph):
        return ", ".join(actor.code for actor in paragraph.addressees.all()) or "—"

    @admin.display(description="actions", ordering="action_count")
    def action_count(self, paragraph):
        return paragraph.action_count

    @admin.action(description="Track the selected paragraphs as recommendations")
    def mark_tracked(self, request, queryset):
        self.message_user(request, f"{queryset.update(is_tracked=True)} paragraph(s) now tracked.")

    @admin.action(description="Treat the selected paragraphs as context (not tracked)")
    def mark_context(self, request, queryset):
        self.message_user(request, f"{queryset.update(is_tracked=False)} paragraph(s) now context.")


class FocalPointInline(admin.TabularInline):
    model = FocalPoint
    fields = ["user", "start_date", "end_date", "handover_note"]
    autocomplete_fields = ["user"]
    extra = 0


class GroupMembershipInline(admin.TabularInline):
    """A stakeholder group's members, each with the source that shows it belongs."""

    model = GroupMembership
    fk_name = "group"
    fields = ["member", "source"]
    autocomplete_fields = ["member"]
    extra = 0
    verbose_name = "member"


@admin.register(Actor)
class ActorAdmin(admin.ModelAdmin):
    list_display = ["code", "short_name", "name", "kind", "website_link", "website_verified", "is_demo"]
    list_filter = ["kind", "website_verified", "is_demo", "participations__verified"]
    search_fields = ["code", "name", "short_name"]
    inlines = [ParticipationInline, FocalPointInline]
    formfield_overrides = URL_FIELDS_ASSUME_HTTPS

    def get_readonly_fields(self, request, obj=None):
        return ["code"] if obj else []

    def get_inlines(self, request, obj):
        # Only a group without a rule has members to enter.
        if obj is not None and obj.is_group and not obj.members_by_rule:
            return [GroupMembershipInline, *self.inlines]
        return self.inlines

    @admin.display(description="website")
    def website_link(self, actor):
        return format_html('<a href="{}" rel="noopener">{}</a>', actor.website, actor.website) if actor.website else "—"


@admin.register(Participation)
class ParticipationAdmin(admin.ModelAdmin):
    list_display = ["actor", "meeting", "role", "verified", "source"]
    list_filter = ["meeting", "role", "verified", "actor__kind"]
    search_fields = ["actor__code", "actor__name"]
    list_select_related = ["actor", "meeting"]
    autocomplete_fields = ["actor"]


@admin.register(FocalPoint)
class FocalPointAdmin(admin.ModelAdmin):
    list_display = ["user", "actor", "start_date", "end_date"]
    list_filter = ["actor__kind", "end_date"]
    search_fields = ["user__username", "user__email", "actor__code", "actor__name"]
    list_select_related = ["user", "actor"]
    autocomplete_fields = ["user", "actor"]


# The tokens are managed through their grants below: knox's own page would show digests only.
admin.site.unregister(AuthToken)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Focal points' API tokens: the secretariat sees them and revokes any (deleting it)."""

    list_display = [
        "name", "appointment__user", "appointment__actor", "token__created", "token__expiry", "reaches_actor",
    ]  # fmt: skip
    list_filter = ["appointment__actor__kind"]
    search_fields = ["name", "appointment__user__username", "appointment__actor__code"]
    list_select_related = ["token", "appointment__user", "appointment__actor"]
    fields = readonly_fields = ["name", "appointment"]

    @admin.display(description="appointment current", boolean=True)
    def reaches_actor(self, grant: ApiToken):
        return grant.reaches_actor

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        log_event("API token revoked", request=request, target=f"API token {obj.name!r} of {obj.appointment.user}")
        obj.token.delete()

    def delete_queryset(self, request, queryset):
        for grant in queryset.select_related("token", "appointment__user"):
            self.delete_model(request, grant)


class ActionPartnerInline(admin.TabularInline):
    model = ActionPartner
    autocomplete_fields = ["actor"]
    extra = 0
    verbose_name = "partner"


class ActionRecommendationEditInline(admin.TabularInline):
    model = ActionRecommendation
    autocomplete_fields = ["paragraph"]
    extra = 1
    min_num = 1
    verbose_name = "recommendation answered"
    verbose_name_plural = "recommendations answered"


class EvidenceLinkInline(admin.TabularInline):
    """Without the owner fields: a link belongs to the action or revision of the page, never to both."""

    model = EvidenceLink
    fields = ["url", "label"]
    formfield_overrides = URL_FIELDS_ASSUME_HTTPS
    extra = 1


class EvidenceFileInline(admin.TabularInline):
    model = EvidenceFile
    extra = 0
    fields = ["name", "content_type", "size", "is_restricted", "revision", "uploaded_by", "uploaded_at"]
    readonly_fields = ["name", "content_type", "size", "revision", "uploaded_by", "uploaded_at"]

    def has_add_permission(self, request, obj=None):
        return False


class FollowUpActionAdminForm(forms.ModelForm):
    """Refuses to save over a change someone else saved since the form was opened, and asks why
    a published action is corrected."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    correction_reason = forms.CharField(
        label="Reason for the correction",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text="The public sees this action: say why you change it. The reason goes into its history.",
        error_messages={"required": "Say why you correct this published action: the reason goes into its history."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expected_version"].initial = self.instance.version
        self.fields["correction_reason"].required = self.instance.state == FollowUpAction.State.PUBLISHED

    def clean(self):
        cleaned_data = super().clean()
        if self.instance.pk:
            # The admin validates and saves in one transaction: the lock holds until the save.
            stored = FollowUpAction.objects.select_for_update().only("version").get(pk=self.instance.pk)
            if cleaned_data.get("expected_version") != stored.version:
                raise forms.ValidationError(
                    "Someone else saved this action while you were editing it. Open it again to see their "
                    "changes; what you typed is still in this form.",
                    code="stale",
                )
        return cleaned_data


@admin.register(FollowUpAction)
class FollowUpActionAdmin(SimpleHistoryAdmin):
    """Follow-up actions, written through the workflow.

    An action entered here is submitted on its actor's behalf; the list's actions publish or
    return submitted ones, as the review pages do; a change is a correction, which a published
    action takes only with a reason.
    """

    list_display = [
        "title",
        "actor",
        "status",
        "status_as_of",
        "validated_status",
        "state",
        "recommendation_numbers",
        "updated_at",
        "is_highlight",
        "is_demo",
    ]
    list_filter = [
        "state",
        "status",
        "actor__kind",
        "recommendations__meeting",
        "is_highlight",
        "is_demo",
        "status_as_of",
    ]
    search_fields = ["title", "description", "actor__code", "actor__name", "responsible_agency"]
    list_select_related = ["actor"]
    date_hierarchy = "status_as_of"
    autocomplete_fields = ["actor"]
    form = FollowUpActionAdminForm
    actions = ["approve_selected", "return_selected", "mark_highlights", "unmark_highlights"]
    readonly_fields = [
        "state",
        "created_at",
        "created_by",
        "updated_at",
        "updated_by",
        "published_at",
        "submitted_at",
        "submitted_by",
        "reviewed_at",
        "reviewed_by",
        "version",
    ]
    inlines = [ActionRecommendationEditInline, ActionPartnerInline, EvidenceLinkInline, EvidenceFileInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "actor",
                    "title",
                    "description",
                    "responsible_agency",
                    "state",
                    "is_highlight",
                    "is_demo",
                    "expected_version",
                ]
            },
        ),
        ("Status", {"fields": ["status", "status_as_of", "status_source", "validated_status"]}),
        ("Dates", {"fields": ["start_date", "end_date"]}),
        ("Review", {"fields": ["submitted_at", "submitted_by", "reviewed_at", "reviewed_by", "review_comment"]}),
        (
            "Record",
            {"fields": ["created_at", "created_by", "updated_at", "updated_by", "published_at", "version"]},
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("recommendations__meeting")

    def get_readonly_fields(self, request, obj=None):
        # A new action is submitted for review: the reviewer validates its status when approving it.
        return self.readonly_fields if obj else [*self.readonly_fields, "validated_status", "review_comment"]

    def get_fieldsets(self, request, obj=None):
        if obj and obj.state == FollowUpAction.State.PUBLISHED:
            return [("Correction of a published action", {"fields": ["correction_reason"]}), *self.fieldsets]
        return self.fieldsets

    @admin.display(description="recommendations")
    def recommendation_numbers(self, action):
        # The paragraphs' names hold commas ("Paragraph 7 — Bangkok, April 2006").
        return "; ".join(str(p) for p in action.recommendations.all())

    def save_model(self, request, obj, form, change):
        """Nothing yet: the workflow saves the action with its inlines, in `save_related`."""

    def save_related(self, request, form, formsets, change):
        save_inlines = functools.partial(super().save_related, request, form, formsets, change)
        if not change:
            action = workflow.enter_on_behalf(action=form.instance, user=request.user, save_related=save_inlines)
            self.message_user(
                request, f"“{action}” is submitted for review on behalf of {action.actor}; approve it to publish it."
            )
            return
        workflow.correct_action(
            action=form.instance,
            user=request.user,
            version=form.cleaned_data["expected_version"],
            reason=form.cleaned_data["correction_reason"],
            save_related=save_inlines,
        )
        log_event("corrected", request=request, target=f"action {form.instance.pk}")

    def delete_model(self, request, obj):
        workflow.delete_actions(actions=[obj], user=request.user)

    def delete_queryset(self, request, queryset):
        workflow.delete_actions(actions=queryset, user=request.user)

    @admin.action(description="Mark as highlights of the report to the Dialogue", permissions=["change"])
    def mark_highlights(self, request, queryset):
        self._set_highlights(request, queryset, True)

    @admin.action(description="Remove from the highlights of the report to the Dialogue", permissions=["change"])
    def unmark_highlights(self, request, queryset):
        self._set_highlights(request, queryset, False)

    def _set_highlights(self, request, queryset, value: bool) -> None:
        # The report is cached by data version: a new choice of highlights makes a new report.
        with transaction.atomic():
            changed = queryset.exclude(is_highlight=value).update(is_highlight=value)
            figures_changed()
        self.message_user(request, f"{changed} action(s) {'marked as' if value else 'removed from the'} highlights.")

    @admin.action(description="Approve (publish) the selected submitted actions", permissions=["change"])
    def approve_selected(self, request, queryset):
        approved, problems = workflow.approve_many(actions=queryset, user=request.user)
        if approved:
            log_event("published", request=request, target=f"{approved} actions by bulk approval")
            self.message_user(request, f"Published {approved} action(s); their focal points are told by email.")
        for problem in problems:
            self.message_user(request, problem, messages.ERROR)

    @admin.action(description="Return the selected submitted actions with a comment", permissions=["change"])
    def return_selected(self, request, queryset):
        # The list posts the selection alone; the confirmation page posts it again with "post" and the comment.
        form = ReturnForm(request.POST if "post" in request.POST else None)
        if not form.is_valid():
            context = {
                **self.admin_site.each_context(request),
                "title": "Return actions for revision",
                "subtitle": None,
                "queryset": queryset,
                "form": form,
                "opts": self.opts,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                "media": self.media,
            }
            return TemplateResponse(request, "admin/recommendations/followupaction/return_confirmation.html", context)
        returned, problems = 0, []
        for action in queryset:
            try:
                workflow.return_for_revision(action=action, user=request.user, comment=form.cleaned_data["comment"])
            except workflow.WorkflowError as error:
                problems.append(f"{action}: {error}")
            else:
                returned += 1
        if returned:
            self.message_user(request, f"Returned {returned} action(s); their focal points get your comment by email.")
        for problem in problems:
            self.message_user(request, problem, messages.ERROR)
        return None


@admin.register(ActionRevision)
class ActionRevisionAdmin(SimpleHistoryAdmin):
    list_display = ["title", "action", "state", "submitted_at", "reviewed_by"]
    list_select_related = ["action", "reviewed_by"]
    search_fields = ["title", "action__title", "action__actor__code"]
    readonly_fields = ["action", "state", "submitted_at", "submitted_by", "reviewed_at", "reviewed_by", "version"]
    autocomplete_fields = ["partners", "recommendations"]
    inlines = [EvidenceLinkInline]


@admin.register(ReportingRound)
class ReportingRoundAdmin(admin.ModelAdmin):
    list_display = ["title", "meeting", "opens_on", "due_date", "closed_at", "compliance"]
    list_select_related = ["meeting"]

    @admin.display(description="responses")
    def compliance(self, round_):
        if not round_.pk:
            return "—"
        return format_html(
            '<a href="{}">who has reported</a>', reverse("recommendations:review-round", args=[round_.pk])
        )


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["sent_on", "round", "actor", "user", "kind"]
    list_select_related = ["round", "actor", "user"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ImplementationStatus)
class ImplementationStatusAdmin(SimpleHistoryAdmin):
    list_display = ["actor", "paragraph", "status", "as_of", "reported_status", "derived_status", "explicit_status"]
    list_filter = ["status", "explicit_status", "paragraph__meeting", "actor__kind"]
    search_fields = ["actor__code", "actor__name"]
    list_select_related = ["actor", "paragraph__meeting"]
    autocomplete_fields = ["actor", "paragraph"]
    readonly_fields = [
        "derived_status",
        "derived_as_of",
        "reported_status",
        "reported_as_of",
        "status",
        "as_of",
        "evidence",
    ]
    fields = [
        "actor",
        "paragraph",
        ("derived_status", "derived_as_of"),
        ("reported_status", "reported_as_of"),
        ("explicit_status", "explicit_as_of"),
        "explicit_source",
        "explicit_note",
        ("status", "as_of"),
        "evidence",
    ]

    @admin.display(description="actions behind the derived status")
    def evidence(self, row):
        if not row.pk:
            return "—"
        actions = FollowUpAction.objects.involving(row.actor).filter(recommendations=row.paragraph)
        return format_html_join(", ", "{}", ((admin_link(action),) for action in actions)) or "none"

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        refresh_implementation_statuses([(obj.actor_id, obj.paragraph_id)])


@admin.register(OpenDataLicence)
class OpenDataLicenceAdmin(admin.ModelAdmin):
    """The licence the data package gives the data the site produces: one, made by the migration."""

    list_display = ["title", "name", "path"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
