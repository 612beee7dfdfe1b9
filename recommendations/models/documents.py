"""The outcome documents of APC meetings and the actors they name.

A *meeting* has one outcome document, split into *themes* (its headings) and numbered
*paragraphs*, held verbatim; a paragraph that is tracked is a *recommendation*. *Actors* are
the governments, organisations, regional processes and stakeholder groups the documents
address, and *participations* record who took part in a meeting.
"""

from __future__ import annotations

import pycountry
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Upper
from django.urls import reverse


class MeetingManager(models.Manager):
    def get_by_natural_key(self, code: str) -> Meeting:
        return self.get(code=code)

    def with_themes(self) -> list[Meeting]:
        """Every meeting in order, each with its themes in order as `theme_list`, in one query.

        The meetings are joined to their themes with a LEFT JOIN, so that a meeting whose
        document has no headings is there too, with none. Only what names a meeting or a theme
        is read, not the documents' text.
        """
        meetings: dict[int, Meeting] = {}
        rows = self.order_by("start_date", "code", "themes__position").values_list(
            "pk", "code", "title", "themes__pk", "themes__position", "themes__label", "themes__heading"
        )
        for pk, code, title, *theme_values in rows:
            if pk not in meetings:
                meetings[pk] = self.model.from_db(self.db, ["id", "code", "title"], [pk, code, title])
                meetings[pk].theme_list = []
            if theme_values[0] is not None:
                theme = Theme.from_db(self.db, ["id", "position", "label", "heading"], theme_values)
                theme.meeting = meetings[pk]
                meetings[pk].theme_list.append(theme)
        return list(meetings.values())


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
    def that_act(self) -> ActorQuerySet:
        """Actors that can carry out or join an action: all but the stakeholder groups."""
        return self.exclude(kind=ActorKind.STAKEHOLDER_GROUP)


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

    @property
    def is_group(self) -> bool:
        """A stakeholder group ("All States", "Civil society") names many actors at once: the
        documents address it, but it cannot itself carry out or join an action."""
        return self.kind == self.Kind.STAKEHOLDER_GROUP

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
