"""The outcome documents of APC meetings, the actors they name, and the follow-up on them.

Vocabulary: a *meeting* has one outcome document, split into *themes* (its headings) and
numbered *paragraphs*; a paragraph that is tracked is a *recommendation*. *Actors* report
*follow-up actions* on recommendations, and each actor's *implementation status* on a
recommendation is derived from those actions unless the secretariat sets it explicitly.
"""

from __future__ import annotations

import uuid

import pycountry
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce, NullIf, Upper
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords


class Status(models.TextChoices):
    """How far an actor has got with a recommendation.

    The scale follows the implementation categories used by recommendation trackers
    (planned, under way, implemented) and adds the two answers governments give that are
    not stages of progress: a standing practice, and a decision not to act. "No information
    provided" is not a value here: it is the absence of any status, kept distinct on purpose.
    """

    NO_ACTION_PLANNED = "no_action_planned", "No action planned"
    NOT_STARTED = "not_started", "Not started"
    PLANNED = "planned", "Planned"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"
    ONGOING_PRACTICE = "ongoing_practice", "Ongoing practice"

    @property
    def meaning(self) -> str:
        return STATUS_MEANINGS[self]

    @property
    def rank(self) -> int:
        """Position on the progress scale; the derived status is the highest-ranked one."""
        return list(Status).index(self)


STATUS_MEANINGS = {
    Status.NO_ACTION_PLANNED: "The actor has considered the recommendation and decided not to act on it.",
    Status.NOT_STARTED: "The recommendation is acknowledged but no step has been taken or scheduled.",
    Status.PLANNED: "A concrete step is decided (in a plan, budget or instruction) but has not begun.",
    Status.IN_PROGRESS: (
        "Implementation has begun: a bill is before parliament, a programme is running its first phase."
    ),
    Status.COMPLETED: (
        "A step that answers the recommendation is finished and can be shown: a law in force, an agreement signed."
    ),
    Status.ONGOING_PRACTICE: (
        "The recommendation is met by a standing practice or programme that continues year after year."
    ),
}


_STATUS_OR_EMPTY = [*Status.values, ""]


class MeetingManager(models.Manager):
    def get_by_natural_key(self, code: str) -> Meeting:
        return self.get(code=code)


class Meeting(models.Model):
    """A meeting and its outcome document, held verbatim as imported."""

    code = models.SlugField(max_length=64, unique=True, help_text="Stable identifier used in URLs and exports.")
    title = models.CharField(max_length=300)
    document_title = models.CharField(
        max_length=300, blank=True, help_text="The outcome document's own title line, as written."
    )
    place = models.CharField(max_length=200, blank=True)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    host = models.CharField(max_length=200, blank=True)
    prepares_for = models.CharField(max_length=300, blank=True, help_text="The event this meeting prepares for.")
    prepares_for_place = models.CharField(max_length=200, blank=True)
    prepares_for_start = models.DateField(null=True, blank=True)
    prepares_for_end = models.DateField(null=True, blank=True)
    source_text = models.TextField(help_text="The full outcome document as imported.")

    objects = MeetingManager()

    class Meta:
        ordering = ["start_date", "code"]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="meeting_title_not_empty"),
            models.CheckConstraint(condition=~Q(source_text=""), name="meeting_source_text_not_empty"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(start_date__isnull=False, end_date__gte=F("start_date")),
                name="meeting_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=Q(prepares_for_end__isnull=True)
                | Q(prepares_for_start__isnull=False, prepares_for_end__gte=F("prepares_for_start")),
                name="meeting_event_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def natural_key(self) -> tuple[str]:
        return (self.code,)


class ThemeManager(models.Manager):
    def get_by_natural_key(self, meeting_code: str, position: int) -> Theme:
        return self.get(meeting__code=meeting_code, position=position)


class Theme(models.Model):
    """A heading of an outcome document; `position` keeps the source order."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="themes")
    position = models.PositiveSmallIntegerField()
    label = models.CharField(
        max_length=10, blank=True, help_text='The heading\'s number as written ("1", "IV"), empty if unnumbered.'
    )
    heading = models.CharField(max_length=500, help_text="The heading as written, without its number.")

    objects = ThemeManager()

    class Meta:
        ordering = ["meeting", "position"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "position"], name="theme_position_unique_in_meeting"),
            models.CheckConstraint(condition=Q(position__gte=1), name="theme_position_positive"),
            models.CheckConstraint(condition=~Q(heading=""), name="theme_heading_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.label}. {self.heading}" if self.label else self.heading

    def natural_key(self) -> tuple[str, int]:
        return (*self.meeting.natural_key(), self.position)

    natural_key.dependencies = ["recommendations.meeting"]


class ParagraphQuerySet(models.QuerySet):
    def tracked(self) -> ParagraphQuerySet:
        """The recommendations: paragraphs whose follow-up is tracked."""
        return self.filter(is_tracked=True)

    def context(self) -> ParagraphQuerySet:
        return self.filter(is_tracked=False)


class ParagraphManager(models.Manager.from_queryset(ParagraphQuerySet)):
    def get_by_natural_key(self, meeting_code: str, number: int) -> Paragraph:
        return self.get(meeting__code=meeting_code, number=number)


class Paragraph(models.Model):
    """A numbered paragraph of an outcome document, verbatim."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="paragraphs")
    number = models.PositiveIntegerField()
    theme = models.ForeignKey(
        Theme,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="paragraphs",
        help_text="Empty for paragraphs that stand before the first heading.",
    )
    text = models.TextField(help_text="The paragraph as written, without its number.")
    is_tracked = models.BooleanField(
        "tracked recommendation",
        default=False,
        help_text="Tracked paragraphs are the recommendations whose follow-up actors report on.",
    )
    addressees = models.ManyToManyField(
        "Actor",
        blank=True,
        related_name="addressed_paragraphs",
        help_text="The actors the paragraph names or addresses.",
    )

    objects = ParagraphManager()

    class Meta:
        ordering = ["meeting", "number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="paragraph_number_unique_in_meeting"),
            models.CheckConstraint(condition=Q(number__gte=1), name="paragraph_number_positive"),
            models.CheckConstraint(condition=~Q(text=""), name="paragraph_text_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.meeting.code} ¶{self.number}"

    def get_absolute_url(self) -> str:
        return reverse("recommendations:paragraph", args=[self.meeting.code, self.number])

    def natural_key(self) -> tuple[str, int]:
        return (*self.meeting.natural_key(), self.number)

    natural_key.dependencies = ["recommendations.meeting", "recommendations.theme"]

    def clean(self) -> None:
        if self.theme_id and self.meeting_id and self.theme.meeting_id != self.meeting_id:
            raise ValidationError({"theme": "The theme belongs to another meeting's document."})


class ActorQuerySet(models.QuerySet):
    def governments(self) -> ActorQuerySet:
        return self.filter(kind=Actor.Kind.GOVERNMENT)


class ActorManager(models.Manager.from_queryset(ActorQuerySet)):
    def get_by_natural_key(self, code: str) -> Actor:
        return self.get(code=code)


class ActorKind(models.TextChoices):
    GOVERNMENT = "government", "Government"
    INTERNATIONAL_ORGANISATION = "international_organisation", "UN agency or intergovernmental organisation"
    REGIONAL_PROCESS = "regional_process", "Regional consultative process"
    STAKEHOLDER_GROUP = "stakeholder_group", "Stakeholder group"


class Actor(models.Model):
    """A government, organisation, regional process or stakeholder group."""

    Kind = ActorKind

    code = models.CharField(
        max_length=32,
        unique=True,
        help_text="ISO 3166-1 alpha-3 for governments (THA); upper-case letters, digits and hyphens otherwise.",
    )
    # Blank in forms so that a government's names can be left for ISO 3166 to fill (see
    # clean); the database still refuses an empty name.
    name = models.CharField(max_length=300, blank=True, help_text="For governments, the ISO 3166 name unless set.")
    short_name = models.CharField(
        max_length=100, blank=True, help_text="For governments, the ISO 3166 common name unless set."
    )
    kind = models.CharField(max_length=32, choices=Kind.choices)
    description = models.CharField(max_length=300, blank=True, help_text='E.g. "UN specialised agency".')
    founded_year = models.PositiveSmallIntegerField(null=True, blank=True)
    website = models.URLField(blank=True)
    website_verified = models.BooleanField(
        default=False, help_text="Whether the website address was checked against a source."
    )
    notes = models.TextField(blank=True, help_text="Sources and remarks for the secretariat.")
    is_demo = models.BooleanField(default=False, help_text="Demonstration data, not a real record.")

    objects = ActorManager()

    class Meta:
        ordering = ["kind", "short_name"]
        constraints = [
            models.CheckConstraint(condition=Q(code=Upper("code")), name="actor_code_upper_case"),
            models.CheckConstraint(condition=~Q(code=""), name="actor_code_not_empty"),
            models.CheckConstraint(condition=~Q(name="") & ~Q(short_name=""), name="actor_names_not_empty"),
            models.CheckConstraint(condition=Q(kind__in=ActorKind.values), name="actor_kind_valid"),
            models.CheckConstraint(
                condition=~Q(kind="government") | Q(code__regex=r"^[A-Z]{3}$"),
                name="actor_government_code_is_alpha3",
            ),
        ]

    def __str__(self) -> str:
        return self.short_name

    def natural_key(self) -> tuple[str]:
        return (self.code,)

    def clean(self) -> None:
        self.code = self.code.strip().upper()
        if self.kind == self.Kind.GOVERNMENT:
            country = pycountry.countries.get(alpha_3=self.code)
            if country is None:
                raise ValidationError({"code": f"{self.code!r} is not an ISO 3166-1 alpha-3 country code."})
            # ISO 3166's English short name ("Viet Nam", "Korea, Republic of") is the formal
            # name; its common name ("Vietnam", "South Korea") reads better in tables.
            self.name = self.name or country.name
            self.short_name = self.short_name or getattr(country, "common_name", country.name)
        missing = {field: "This field is required." for field in ("name", "short_name") if not getattr(self, field)}
        if missing:
            raise ValidationError(missing)


def government(code: str, **fields) -> Actor:
    """An unsaved government actor named from ISO 3166-1."""
    actor = Actor(code=code, kind=Actor.Kind.GOVERNMENT, **fields)
    actor.clean()
    return actor


class ParticipationRole(models.TextChoices):
    HOST = "host", "Host"
    CONVENER = "convener", "Convening process"
    PARTICIPANT = "participant", "Participant"
    OBSERVER = "observer", "Observer"


class ParticipationManager(models.Manager):
    def get_by_natural_key(self, meeting_code: str, actor_code: str) -> Participation:
        return self.get(meeting__code=meeting_code, actor__code=actor_code)


class Participation(models.Model):
    """An actor's part in a meeting, with whether a source confirms it."""

    Role = ParticipationRole

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="participations")
    actor = models.ForeignKey(Actor, on_delete=models.PROTECT, related_name="participations")
    role = models.CharField(max_length=16, choices=Role.choices)
    verified = models.BooleanField(default=False, help_text="Whether a source confirms the participation.")
    source = models.CharField(max_length=500, blank=True)

    objects = ParticipationManager()

    class Meta:
        ordering = ["meeting", "role", "actor__code"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "actor"], name="participation_unique_per_meeting"),
            models.CheckConstraint(condition=Q(role__in=ParticipationRole.values), name="participation_role_valid"),
            models.CheckConstraint(
                condition=Q(verified=False) | ~Q(source=""), name="participation_verified_has_source"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.actor} — {self.get_role_display()} at {self.meeting.code}"

    def natural_key(self) -> tuple[str, str]:
        return (*self.meeting.natural_key(), *self.actor.natural_key())

    natural_key.dependencies = ["recommendations.meeting", "recommendations.actor"]


class FocalPointQuerySet(models.QuerySet):
    def current(self) -> FocalPointQuerySet:
        today = timezone.localdate()
        return self.filter(start_date__lte=today).filter(Q(end_date__isnull=True) | Q(end_date__gte=today))


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

    def involving(self, actor: Actor) -> FollowUpActionQuerySet:
        """Actions the actor reported or takes part in as a partner."""
        return self.filter(Q(actor=actor) | Q(partners=actor)).distinct()

    def awaiting_review(self) -> FollowUpActionQuerySet:
        """New actions submitted, and published ones with a submitted revision."""
        return self.filter(Q(state=ActionState.SUBMITTED) | Q(revisions__state=ActionState.SUBMITTED)).distinct()


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
            # Pages list actions newest status first, all of them or one actor's, a page at a time.
            models.Index(fields=["-status_as_of", "-id"], name="action_newest_status_idx"),
            models.Index(fields=["actor", "-status_as_of", "-id"], name="action_actor_newest_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="action_title_not_empty"),
            models.CheckConstraint(condition=Q(status__in=Status.values), name="action_status_valid"),
            models.CheckConstraint(condition=Q(validated_status__in=_STATUS_OR_EMPTY), name="action_validated_valid"),
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

    def open_revision(self) -> ActionRevision | None:
        """The edit of this published action that has not been approved yet, if any."""
        return self.revisions.exclude(state=ActionState.PUBLISHED).first()

    def published_timeline(self) -> list:
        """The history of what the public saw: one entry per publication of new content."""
        return list(self.history.filter(state=ActionState.PUBLISHED).order_by("history_date"))


class ActionRevision(ActionContent):
    """An edit of a published action, reviewed before it replaces the published content.

    A published action has at most one open revision; approving it copies its content onto
    the action and marks the revision published.
    """

    action = models.ForeignKey(FollowUpAction, on_delete=models.CASCADE, related_name="revisions")
    partners = models.ManyToManyField(Actor, blank=True, related_name="+")
    recommendations = models.ManyToManyField(Paragraph, related_name="+")
    evidence_links = models.JSONField(default=list, blank=True, help_text="[{url, label}] replacing the action's.")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

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
            models.CheckConstraint(condition=Q(validated_status__in=_STATUS_OR_EMPTY), name="revision_validated_valid"),
        ]

    def __str__(self) -> str:
        return f"Revision of {self.action}"


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


class ActionWord(models.Model):
    """A word of the published actions answering a recommendation, and how many of them use it.

    The recommendations list searches these instead of the actions themselves, so that a search
    reads a few rows per recommendation however many actions use the word. On PostgreSQL the
    rows are full-text lexemes (English configuration) of each action's title and description,
    kept by database triggers on every write to actions and to their recommendations (migration
    0007); SQLite searches the actions directly and leaves this table empty.
    """

    paragraph = models.ForeignKey(Paragraph, on_delete=models.CASCADE, related_name="action_words")
    word = models.TextField()
    actions = models.PositiveIntegerField(help_text="Published actions on the recommendation that use the word.")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["paragraph", "word"], name="action_word_unique")]

    def __str__(self) -> str:
        return f"{self.word} ({self.actions})"


class EvidenceLink(models.Model):
    action = models.ForeignKey(FollowUpAction, on_delete=models.CASCADE, related_name="evidence_links")
    url = models.URLField("address", max_length=1000)
    label = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["action", "url"], name="evidence_link_unique_per_action")]

    def __str__(self) -> str:
        return self.label or self.url


class ImplementationStatus(models.Model):
    """One actor's status on one recommendation.

    `derived_*` is computed from the actor's actions by `services.refresh_implementation_statuses`;
    `explicit_*` is set by the secretariat and wins when present. A missing row means that no
    information has been provided, which is not the same as "not started".
    """

    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="implementation_statuses")
    paragraph = models.ForeignKey(Paragraph, on_delete=models.CASCADE, related_name="implementation_statuses")
    derived_status = models.CharField(max_length=20, choices=Status.choices, blank=True, editable=False)
    derived_as_of = models.DateField(null=True, blank=True, editable=False)
    explicit_status = models.CharField(
        max_length=20, choices=Status.choices, blank=True, help_text="Overrides the status derived from actions."
    )
    explicit_as_of = models.DateField(null=True, blank=True)
    explicit_source = models.CharField(max_length=500, blank=True)
    explicit_note = models.TextField(blank=True)
    reported_status = models.CharField(
        max_length=20,
        choices=Status.choices,
        blank=True,
        editable=False,
        help_text="The status the actor itself reports in its published actions, before validation.",
    )
    reported_as_of = models.DateField(null=True, blank=True, editable=False)
    status = models.GeneratedField(
        expression=Coalesce(NullIf("explicit_status", models.Value("")), "derived_status"),
        output_field=models.CharField(max_length=20),
        db_persist=True,
    )
    as_of = models.GeneratedField(
        expression=Coalesce("explicit_as_of", "derived_as_of"), output_field=models.DateField(), db_persist=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at", "status", "as_of"])

    class Meta:
        ordering = ["paragraph", "actor"]
        verbose_name_plural = "implementation statuses"
        constraints = [
            models.UniqueConstraint(fields=["actor", "paragraph"], name="implementation_status_unique"),
            models.CheckConstraint(condition=Q(derived_status__in=_STATUS_OR_EMPTY), name="derived_status_valid"),
            models.CheckConstraint(condition=Q(explicit_status__in=_STATUS_OR_EMPTY), name="explicit_status_valid"),
            models.CheckConstraint(condition=Q(reported_status__in=_STATUS_OR_EMPTY), name="reported_status_valid"),
            models.CheckConstraint(
                condition=Q(derived_status="", derived_as_of__isnull=True)
                | (~Q(derived_status="") & Q(derived_as_of__isnull=False)),
                name="derived_status_has_date",
            ),
            models.CheckConstraint(
                condition=Q(explicit_status="", explicit_as_of__isnull=True)
                | (~Q(explicit_status="") & Q(explicit_as_of__isnull=False)),
                name="explicit_status_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(derived_status="", explicit_status=""), name="implementation_status_not_empty"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.actor} on {self.paragraph}: {self.status_label}"

    def clean(self) -> None:
        if bool(self.explicit_status) != bool(self.explicit_as_of):
            raise ValidationError(
                {"explicit_as_of": "An explicit status needs the date it holds as of, and a date needs a status."}
            )
        if not self.explicit_status and not self.derived_status:
            raise ValidationError(
                {"explicit_status": "Without actions or an explicit status there is nothing to record."}
            )

    @property
    def status_label(self) -> str:
        return Status(self.status).label

    @property
    def is_explicit(self) -> bool:
        return bool(self.explicit_status)

    @property
    def reported_differs(self) -> bool:
        """Whether the actor reports another status than the validated one the public sees."""
        return bool(self.reported_status) and self.reported_status != self.status

    @property
    def reported_label(self) -> str:
        return Status(self.reported_status).label if self.reported_status else ""


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
