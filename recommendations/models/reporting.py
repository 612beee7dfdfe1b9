"""The follow-up that focal points report and the secretariat reviews.

A *focal point* is a person's appointment for one actor. *Follow-up actions* answer
recommendations, go through review (draft, submitted, returned, published), and once published
are edited through *revisions*; *evidence* links and files show them. *Reporting rounds* ask the
actors to report by a date, and *reminders* record who was reminded. *Submission notices* queue
submissions for the secretariat's hourly digest, and *review-queue visits* record when each
reviewer last looked, so that the queue marks what is new to them.
"""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from .documents import Actor, Meeting, Paragraph
from .progress import STATUS_OR_EMPTY, Status


class FocalPointQuerySet(models.QuerySet):
    def current(self) -> FocalPointQuerySet:
        today = timezone.localdate()
        return self.filter(start_date__lte=today).filter(Q(end_date__isnull=True) | Q(end_date__gte=today))

    def reachable(self) -> FocalPointQuerySet:
        """Current appointments whose person can be written to: an active account with an address."""
        return self.current().filter(user__is_active=True).exclude(user__email="")


class FocalPoint(models.Model):
    """A person's appointment as the focal point of one actor.

    Appointments end rather than disappear, so an actor's history stays with the actor when
    its focal point changes.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="focal_points")
    actor = models.ForeignKey(Actor, on_delete=models.PROTECT, related_name="focal_points")
    start_date = models.DateField(default=timezone.localdate)
    end_date = models.DateField(null=True, blank=True)
    handover_note = models.TextField(blank=True)

    objects = FocalPointQuerySet.as_manager()

    class Meta:
        ordering = ["actor", "-start_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(end_date__isnull=True),
                name="focal_point_one_open_appointment_per_user",
                violation_error_message="This person is already the focal point of an actor.",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="focal_point_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} for {self.actor}"


class ActionState(models.TextChoices):
    """Where an action stands in review. Only published actions reach the public."""

    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted for review"
    RETURNED = "returned", "Returned for revision"
    PUBLISHED = "published", "Published"


class FollowUpActionQuerySet(models.QuerySet):
    def published(self) -> FollowUpActionQuerySet:
        """What the public may see: the last published content, never an edit under review."""
        return self.filter(state=ActionState.PUBLISHED)

    def leading(self, *ordering: str, count: int) -> FollowUpActionQuerySet:
        """The first `count` in `ordering`, in one query that finds their ids before reading them.

        With a filter on another table (a recommendation's or a partner's actions), PostgreSQL
        walks the ordering's index and checks each row: on ids alone it walks the index without
        reading the table (an index-only scan), then reads the rows it found.
        """
        return self.filter(pk__in=self.order_by(*ordering).values("pk")[:count]).order_by(*ordering)

    def leading_few(self, *ordering: str, count: int) -> FollowUpActionQuerySet:
        """The first `count` in `ordering` (newest first) of a few actions among many, such as an
        actor's joint ones: read whole, then sorted.

        Asked in an order an index holds, PostgreSQL walks that index through every published
        action looking for the few: hundreds of milliseconds at a million. The first key asked
        with nulls last, an order no index holds (the column has no nulls, so the order is the
        same), makes it read the few first and sort them.
        """
        first, *rest = ordering
        return self.order_by(F(first.removeprefix("-")).desc(nulls_last=True), *rest)[:count]

    def newest(self, *ordering: str, count: int, joined: FollowUpActionQuerySet | None = None) -> list[FollowUpAction]:
        """The first `count` in `ordering` (newest first) of these actions and of an actor's
        `joined` ones: these in their index's order (`leading`), the joint ones whole then sorted
        (`leading_few`), merged. One query each."""
        found = {action.pk: action for action in self.leading(*ordering, count=count)}
        if joined is not None:
            found |= {action.pk: action for action in joined.leading_few(*ordering, count=count)}
        fields = [name.removeprefix("-") for name in ordering]
        return sorted(found.values(), key=lambda action: [getattr(action, f) for f in fields], reverse=True)[:count]

    def joined_by(self, actor: Actor) -> FollowUpActionQuerySet:
        """Actions the actor takes part in as a partner, found by their ids in the partners table:
        few among many, for `newest(joined=...)`."""
        return self.filter(pk__in=ActionPartner.objects.filter(actor=actor).values("action_id"))

    def involving(self, actor: Actor) -> FollowUpActionQuerySet:
        """Actions the actor reported or takes part in as a partner."""
        return self.filter(Q(actor=actor) | Q(partners=actor)).distinct()

    def awaiting_review(self) -> FollowUpActionQuerySet:
        """New actions submitted, and published ones with a submitted revision."""
        return self.filter(Q(state=ActionState.SUBMITTED) | Q(revisions__state=ActionState.SUBMITTED)).distinct()

    def open_work(self) -> FollowUpActionQuerySet:
        """What a focal point still works on or waits for: actions not published yet, and
        published ones with an edit open (a draft, returned or submitted revision).

        Both are few: their ids come from the state index and the open revisions, so that an
        actor's thousands of published actions are not read to find them.
        """
        unpublished = [state for state in ActionState.values if state != ActionState.PUBLISHED]
        new = FollowUpAction.objects.filter(state__in=unpublished).order_by().values("pk")
        edited = ActionRevision.objects.open().order_by().values("action")
        return self.filter(pk__in=new.union(edited))

    def with_working_copies(self) -> FollowUpActionQuerySet:
        """Actions whose `working_copy()` reads no more: their open revision, with its submitter and
        reviewer, comes in one query."""
        return self.prefetch_related(
            Prefetch(
                "revisions",
                queryset=ActionRevision.objects.open().select_related("submitted_by", "reviewed_by"),
                to_attr="open_revisions",
            )
        )


class ActionContent(models.Model):
    """What a focal point writes about an action, and where it stands in review.

    Shared by an action (its content while new, then its published content) and by a
    revision (an edit of a published action that waits for review).
    """

    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, help_text="The status the reporting actor gives.")
    status_as_of = models.DateField("status as of", help_text="The date the status holds on; may be in the past.")
    status_source = models.CharField(
        max_length=500, blank=True, help_text="What shows the status: a law, gazette notice, report paragraph or link."
    )
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    responsible_agency = models.CharField(max_length=300, blank=True)
    state = models.CharField(max_length=16, choices=ActionState.choices, default=ActionState.DRAFT)
    validated_status = models.CharField(
        max_length=20,
        choices=Status.choices,
        blank=True,
        help_text="The status the secretariat validates, when it differs from the reported one.",
    )
    submitted_at = models.DateTimeField(null=True, blank=True, editable=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    reviewed_at = models.DateTimeField(null=True, blank=True, editable=False)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    review_comment = models.TextField(blank=True, help_text="What the reviewer asked to change.")
    version = models.PositiveIntegerField(
        default=1, editable=False, help_text="Raised by every save, so that two people cannot overwrite each other."
    )

    class Meta:
        abstract = True

    def clean(self) -> None:
        if self.status_as_of and self.status_as_of > timezone.localdate():
            raise ValidationError({"status_as_of": "The status cannot hold as of a date in the future."})
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "The end date is before the start date."})

    @property
    def public_status(self) -> str:
        """The validated status: the secretariat's when it set one, else the reported one."""
        return self.validated_status or self.status

    @property
    def status_differs(self) -> bool:
        return bool(self.validated_status) and self.validated_status != self.status

    @property
    def is_editable(self) -> bool:
        """Focal points edit drafts and returned content; submitted content waits for review."""
        return self.state in (ActionState.DRAFT, ActionState.RETURNED)

    def removable_files(self) -> models.QuerySet[EvidenceFile]:
        """The evidence files a focal point may remove while editing: this content's own (each kind
        says which in `_own_files`), while it is a draft or returned. A published action's files
        are on the public record; an update of it only adds to them."""
        return self._own_files() if self.is_editable else EvidenceFile.objects.none()

    def arrived_after(self, moment: datetime.datetime | None) -> bool:
        """Waits for review and was submitted after `moment` (a reviewer's last look; None: never)."""
        return self.state == ActionState.SUBMITTED and (moment is None or self.submitted_at > moment)


class FollowUpAction(ActionContent):
    """Something an actor did, or plans to do, in answer to one or more recommendations.

    Once published, the row keeps the published content: an edit goes to an `ActionRevision`
    and replaces the content only when the secretariat approves it.
    """

    State = ActionState

    actor = models.ForeignKey(
        Actor, on_delete=models.PROTECT, related_name="reported_actions", help_text="The actor that reports it."
    )
    partners = models.ManyToManyField(
        Actor,
        through="ActionPartner",
        blank=True,
        related_name="partner_actions",
        help_text="Other actors of a joint, bilateral or regional action; it counts for each of them.",
    )
    recommendations = models.ManyToManyField(
        Paragraph, through="ActionRecommendation", related_name="actions", help_text="The recommendations it answers."
    )
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    is_highlight = models.BooleanField(
        "highlight",
        default=False,
        help_text="Listed among the completed actions in the report to the Dialogue. Without any "
        "highlight the report lists the latest completed actions.",
    )
    is_demo = models.BooleanField(default=False, help_text="Demonstration data, not a real record.")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = FollowUpActionQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-status_as_of", "-pk"]
        indexes = [
            # The dashboard's latest published actions, and the demo notice's check for demo actions.
            models.Index(fields=["state", "-published_at"], name="action_state_published_idx"),
            models.Index(fields=["is_demo"], condition=Q(is_demo=True), name="action_demo_idx"),
            # The report to the Dialogue's check for highlights, and their list.
            models.Index(fields=["is_highlight"], condition=Q(is_highlight=True), name="action_highlight_idx"),
            # Pages list actions newest status first, all of them or one actor's, a page at a time.
            models.Index(fields=["-status_as_of", "-id"], name="action_newest_status_idx"),
            models.Index(fields=["actor", "-status_as_of", "-id"], name="action_actor_newest_idx"),
            # An actor's feed lists its newest publications first.
            models.Index(fields=["actor", "-published_at", "-id"], name="action_actor_published_idx"),
            # The same orders over the published actions alone, to the last tie: the site's feed and
            # the latest actions read the first rows, and a recommendation's or a partner's actions
            # walk the ids without the table (see `FollowUpActionQuerySet.leading`).
            models.Index(
                fields=["-published_at", "-id"],
                condition=Q(state=ActionState.PUBLISHED),
                name="action_published_newest_idx",
            ),
            models.Index(
                fields=["-status_as_of", "-id"],
                condition=Q(state=ActionState.PUBLISHED),
                name="action_published_status_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="action_title_not_empty"),
            models.CheckConstraint(condition=Q(status__in=Status.values), name="action_status_valid"),
            models.CheckConstraint(condition=Q(validated_status__in=STATUS_OR_EMPTY), name="action_validated_valid"),
            models.CheckConstraint(condition=Q(state__in=ActionState.values), name="action_state_valid"),
            models.CheckConstraint(
                condition=~Q(state=ActionState.PUBLISHED) | Q(published_at__isnull=False),
                name="action_published_has_date",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(start_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="action_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def publish(self) -> None:
        """Make the action public; the first publication's time is kept."""
        self.state = ActionState.PUBLISHED
        self.published_at = self.published_at or timezone.now()

    def working_copy(self) -> ActionContent:
        """What a focal point edits and submits: the action until published, then its open revision if any.

        Uses the revision loaded by `FollowUpAction.objects.with_working_copies()`, else asks the database.
        """
        if self.state != ActionState.PUBLISHED:
            return self
        loaded = getattr(self, "open_revisions", None)
        if loaded is None:
            return self.revisions.open().first() or self
        return loaded[0] if loaded else self

    def _own_files(self) -> models.QuerySet[EvidenceFile]:
        """The files added to the action itself; those added to its revisions are theirs."""
        return self.evidence_files.filter(revision=None)

    def published_timeline(self) -> list:
        """The history of what the public saw: one entry per publication of new content."""
        return list(self.history.filter(state=ActionState.PUBLISHED).order_by("history_date"))


class ActionRevisionQuerySet(models.QuerySet):
    def open(self) -> ActionRevisionQuerySet:
        """Revisions not approved yet: a published action has at most one."""
        return self.exclude(state=ActionState.PUBLISHED)


class ActionRevision(ActionContent):
    """An edit of a published action, reviewed before it replaces the published content.

    A published action has at most one open revision; approving it copies its content onto
    the action and marks the revision published.
    """

    action = models.ForeignKey(FollowUpAction, on_delete=models.CASCADE, related_name="revisions")
    partners = models.ManyToManyField(Actor, blank=True, related_name="+")
    recommendations = models.ManyToManyField(Paragraph, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ActionRevisionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["action"],
                condition=~Q(state=ActionState.PUBLISHED),
                name="revision_one_open_per_action",
                violation_error_message="This action already has an edit waiting for review.",
            ),
            models.CheckConstraint(condition=~Q(title=""), name="revision_title_not_empty"),
            models.CheckConstraint(condition=Q(status__in=Status.values), name="revision_status_valid"),
            models.CheckConstraint(condition=Q(state__in=ActionState.values), name="revision_state_valid"),
            models.CheckConstraint(condition=Q(validated_status__in=STATUS_OR_EMPTY), name="revision_validated_valid"),
        ]

    def __str__(self) -> str:
        return f"Revision of {self.action}"

    def _own_files(self) -> models.QuerySet[EvidenceFile]:
        return self.evidence_files.all()


class ActionPartner(models.Model):
    action = models.ForeignKey(FollowUpAction, on_delete=models.CASCADE)
    actor = models.ForeignKey(Actor, on_delete=models.PROTECT)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["action", "actor"], name="action_partner_unique")]

    def __str__(self) -> str:
        return str(self.actor)


class ActionRecommendation(models.Model):
    action = models.ForeignKey(FollowUpAction, on_delete=models.CASCADE)
    paragraph = models.ForeignKey(Paragraph, on_delete=models.PROTECT)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["action", "paragraph"], name="action_recommendation_unique")]

    def __str__(self) -> str:
        return str(self.paragraph)


class EvidenceLink(models.Model):
    """A web address that shows an action's published content, or a revision's proposed one.

    A link belongs to an action or to a revision, never both: the public reads only the
    action's, and approving a revision replaces them with copies of the revision's.
    """

    action = models.ForeignKey(
        FollowUpAction, on_delete=models.CASCADE, null=True, blank=True, related_name="evidence_links"
    )
    revision = models.ForeignKey(
        ActionRevision, on_delete=models.CASCADE, null=True, blank=True, related_name="evidence_links"
    )
    url = models.URLField("address", max_length=1000)
    label = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["action", "url"], name="evidence_link_unique_per_action"),
            models.UniqueConstraint(fields=["revision", "url"], name="evidence_link_unique_per_revision"),
            models.CheckConstraint(
                condition=(
                    Q(action__isnull=False, revision__isnull=True) | Q(action__isnull=True, revision__isnull=False)
                ),
                name="evidence_link_of_action_or_revision",
            ),
        ]

    def __str__(self) -> str:
        return self.label or self.url


class EvidenceFileQuerySet(models.QuerySet):
    def public(self) -> EvidenceFileQuerySet:
        """Files anyone may download: not restricted, on a published action, in approved content."""
        return self.filter(
            is_restricted=False,
            action__state=ActionState.PUBLISHED,
        ).filter(Q(revision__isnull=True) | Q(revision__state=ActionState.PUBLISHED))


def _evidence_path(instance: EvidenceFile, filename: str) -> str:
    return f"evidence/{instance.action.actor.code}/{uuid.uuid4().hex}/{filename}"


class EvidenceFile(models.Model):
    """A document or image that shows an action, served only through a view that checks access.

    Restricted files are for the actor's focal points and the secretariat, even when the
    action is public. A file added to an edit of a published action waits for that edit.
    """

    action = models.ForeignKey(FollowUpAction, on_delete=models.CASCADE, related_name="evidence_files")
    revision = models.ForeignKey(
        ActionRevision, on_delete=models.CASCADE, null=True, blank=True, related_name="evidence_files"
    )
    file = models.FileField(upload_to=_evidence_path, max_length=300)
    name = models.CharField(max_length=255, help_text="The file's name as uploaded.")
    content_type = models.CharField(max_length=100, help_text="As read from the file's content.")
    size = models.PositiveBigIntegerField()
    is_restricted = models.BooleanField(
        "restricted", default=False, help_text="Only the actor's focal points and the secretariat may open it."
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = EvidenceFileQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        constraints = [models.CheckConstraint(condition=~Q(name=""), name="evidence_file_name_not_empty")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("recommendations:evidence-file", args=[self.pk])


class SubmissionNoticeQuerySet(models.QuerySet):
    def queued(self) -> SubmissionNoticeQuerySet:
        """The submissions the next review digest is to tell of."""
        return self.filter(sent_at__isnull=True)


class SubmissionNotice(models.Model):
    """A submission the secretariat is told of in the hourly review digest.

    Recorded with the submission when DJANGO_REVIEW_NOTICES is "hourly"; the digest sets
    `sent_at`, so that no submission is told twice. An action returned and submitted again is
    a new submission, told again.
    """

    action = models.ForeignKey(FollowUpAction, on_delete=models.CASCADE, related_name="+")
    revision = models.ForeignKey(
        ActionRevision,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text="The update submitted, when it is one of a published action.",
    )
    submitted_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True, help_text="When the digest went; empty while queued.")

    objects = SubmissionNoticeQuerySet.as_manager()

    class Meta:
        ordering = ["submitted_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["action", "submitted_at"], name="submission_notice_once")]

    def __str__(self) -> str:
        return f"Submission of {self.action} at {self.submitted_at:%Y-%m-%d %H:%M}"

    @property
    def content(self) -> ActionContent:
        return self.revision or self.action

    @property
    def waits_for_review(self) -> bool:
        """The submission still waits: neither reviewed nor returned (and perhaps submitted again) since."""
        return self.content.state == ActionState.SUBMITTED and self.content.submitted_at == self.submitted_at


class ReviewQueueVisitManager(models.Manager):
    def record(self, user) -> datetime.datetime | None:
        """Note that `user` opens the review queue now; returns when they last opened it (None: never)."""
        previous = self.filter(user=user).values_list("opened_at", flat=True).first()
        visit = self.model(user=user, opened_at=timezone.now())
        self.bulk_create([visit], update_conflicts=True, unique_fields=["user"], update_fields=["opened_at"])
        return previous


class ReviewQueueVisit(models.Model):
    """When a reviewer last opened the review queue, so that it can mark what arrived since."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    opened_at = models.DateTimeField()

    objects = ReviewQueueVisitManager()

    def __str__(self) -> str:
        return f"{self.user} opened the review queue at {self.opened_at:%Y-%m-%d %H:%M}"


class ReportingRoundQuerySet(models.QuerySet):
    def open(self) -> ReportingRoundQuerySet:
        return self.filter(closed_at__isnull=True)


class ReportingRound(models.Model):
    """A call by the secretariat for every addressed actor to report on a meeting by a date.

    An actor has reported in the round when it has submitted an action, or an edit of one,
    since the round opened.
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="reporting_rounds")
    title = models.CharField(max_length=300)
    opens_on = models.DateField(default=timezone.localdate)
    due_date = models.DateField()
    closed_at = models.DateTimeField(null=True, blank=True, help_text="Set to close the round.")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ReportingRoundQuerySet.as_manager()

    class Meta:
        ordering = ["-due_date", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="round_title_not_empty"),
            models.CheckConstraint(condition=Q(due_date__gte=F("opens_on")), name="round_due_after_it_opens"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class ReminderKind(models.TextChoices):
    DUE_SOON = "due_soon", "Due soon"
    OVERDUE = "overdue", "Overdue"


class Reminder(models.Model):
    """A reminder sent to a focal point, kept so that nobody gets the same one twice in a day."""

    Kind = ReminderKind

    round = models.ForeignKey(ReportingRound, on_delete=models.CASCADE, related_name="reminders")
    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    sent_on = models.DateField()

    class Meta:
        ordering = ["-sent_on", "round", "actor"]
        constraints = [
            models.UniqueConstraint(fields=["round", "user", "sent_on"], name="reminder_once_a_day"),
            models.CheckConstraint(condition=Q(kind__in=ReminderKind.values), name="reminder_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} reminder to {self.user} on {self.sent_on}"
