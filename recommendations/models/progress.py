"""How far each actor has got with each recommendation.

The *status* scale, and each actor's *implementation status* on a recommendation: derived
from the actor's published actions unless the secretariat sets it explicitly.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce, NullIf
from simple_history.models import HistoricalRecords

from .documents import Actor, Paragraph


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


STATUS_OR_EMPTY = [*Status.values, ""]


class StatusLabels:
    """What a page says of a pair's `status` and of the `reported_status` beside it."""

    status: str
    reported_status: str

    @property
    def status_label(self) -> str:
        return Status(self.status).label

    @property
    def reported_differs(self) -> bool:
        """Whether the actor reports another status than the validated one the public sees."""
        return bool(self.reported_status) and self.reported_status != self.status

    @property
    def reported_label(self) -> str:
        return Status(self.reported_status).label if self.reported_status else ""


class ImplementationStatus(StatusLabels, models.Model):
    """One actor's status on one recommendation.

    `derived_*` is computed from the actor's actions by `progress.statuses.refresh_implementation_statuses`;
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
            models.CheckConstraint(condition=Q(derived_status__in=STATUS_OR_EMPTY), name="derived_status_valid"),
            models.CheckConstraint(condition=Q(explicit_status__in=STATUS_OR_EMPTY), name="explicit_status_valid"),
            models.CheckConstraint(condition=Q(reported_status__in=STATUS_OR_EMPTY), name="reported_status_valid"),
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
    def is_explicit(self) -> bool:
        return bool(self.explicit_status)


class Basis(models.TextChoices):
    """Which status of a pair a milestone is of: validated (what the public sees), reported, or explicit."""

    VALIDATED = "validated", "Validated"
    REPORTED = "reported", "Reported"
    EXPLICIT = "explicit", "Set by the secretariat"


class StatusMilestone(models.Model):
    """The first day a pair of actor and recommendation had a status, in each of the two readings.

    One row per (actor, recommendation, basis, status) that any published version of an action
    counting towards the pair (or any version of the secretariat's explicit status) has ever
    given. `known_from` is the earliest "as of" date among those versions: what we know now
    about the past. `public_from` is the earliest day on which such a version was both public
    and holding: the later of its "as of" date and the day (UTC) it was published. The status
    of a pair on a date is then the most advanced one reached by that date, an explicit one
    first. Kept by `progress.history.rebuild_milestones` from every write that refreshes the
    implementation statuses; its size is bounded by pairs × statuses, never by the actions.
    """

    Basis = Basis

    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="+")
    paragraph = models.ForeignKey(Paragraph, on_delete=models.CASCADE, related_name="+")
    basis = models.CharField(max_length=10, choices=Basis.choices)
    status = models.CharField(max_length=20, choices=Status.choices)
    known_from = models.DateField()
    public_from = models.DateField()
    # A pointer that every rebuild sets again, without a constraint in the database: deleting a
    # million demo actions must not check each of them against this table at commit.
    action = models.ForeignKey(
        "FollowUpAction",
        on_delete=models.SET_NULL,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        help_text="The action whose published version first gave the status (none for an explicit status).",
    )

    class Meta:
        ordering = ["paragraph", "actor", "basis", "known_from"]
        constraints = [
            models.UniqueConstraint(fields=["actor", "paragraph", "basis", "status"], name="status_milestone_unique"),
            models.CheckConstraint(condition=Q(status__in=Status.values), name="status_milestone_status_valid"),
            models.CheckConstraint(condition=Q(basis__in=Basis.values), name="status_milestone_basis_valid"),
            models.CheckConstraint(
                condition=Q(public_from__gte=models.F("known_from")), name="status_milestone_public_after_known"
            ),
        ]
        indexes = [models.Index(fields=["paragraph", "actor"], name="status_milestone_pair_idx")]

    def __str__(self) -> str:
        return f"{self.actor_id} on {self.paragraph_id}: {self.status} ({self.basis}) from {self.known_from}"
