"""The outcome documents of APC meetings and the actors they name.

A *meeting* has one outcome document, split into *themes* (its headings) and numbered
*paragraphs*, held verbatim; a paragraph that is tracked is a *recommendation*. *Actors* are
the governments, organisations, regional processes and stakeholder groups the documents
address, and *participations* record who took part in a meeting.

A paragraph addressed to a stakeholder group is addressed to each member of the group: the
rule is `Paragraph.objects.addressed_to` (in SQL) and `Paragraph.objects.addressed_pairs` (for
many paragraphs and actors at once), both reading the members from `Actor.objects.groups_of`'s
definition: "All States" and "International organisations" hold every actor of their kind, by
rule; the other groups hold the members the secretariat enters, each with its source.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, F, OuterRef, Q, Value
from django.db.models.functions import Upper
from django.urls import reverse
from django.utils import dateformat

from .countries import un_names


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

    @property
    def label(self) -> str:
        """A short name people read, from the meeting's city and month: "Bangkok, April 2006".

        The code ("bangkok-2006") is for URLs and exports; the title is a sentence long.
        """
        if not (self.place and self.start_date):
            return self.title
        return f"{self.place.split(',')[0]}, {dateformat.format(self.start_date, 'F Y')}"

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

    def addressed_to(self, actor: Actor) -> ParagraphQuerySet:
        """Paragraphs addressed to the actor, by name or through a group it belongs to."""
        return self.filter(addresses(actor))

    def with_addressed(self, actor: Actor) -> ParagraphQuerySet:
        """Each paragraph with `addressed`: whether it is addressed to the actor (see `addressed_to`)."""
        return self.annotate(addressed=addresses(actor))

    def addressed_pairs(self, paragraph_ids: Iterable[int], actors: Iterable[Actor]) -> set[tuple[int, int]]:
        """(actor id, paragraph id) for each of `actors` that each paragraph addresses, in two queries.

        The same rule as `addressed_to`, for a whole matrix at once: an actor is addressed by
        the paragraphs that name it and by those that name a group it belongs to.
        """
        named: dict[int, set[int]] = defaultdict(set)
        group_ids: dict[str, int] = {}
        rows = Paragraph.addressees.through.objects.filter(paragraph_id__in=paragraph_ids)
        for paragraph_id, actor_id, code in rows.values_list("paragraph_id", "actor_id", "actor__code"):
            named[actor_id].add(paragraph_id)
            group_ids[code] = actor_id
        listed: dict[int, set[int]] = defaultdict(set)
        for member_id, group_id in GroupMembership.objects.values_list("member_id", "group_id"):
            listed[member_id].add(group_id)
        pairs = set()
        for actor in actors:
            by_rule = {group_ids[code] for code in rule_groups(actor.kind) if code in group_ids}
            for addressee in {actor.pk, *by_rule, *listed[actor.pk]}:
                pairs.update((actor.pk, paragraph_id) for paragraph_id in named[addressee])
        return pairs


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
        return f"Paragraph {self.number} — {self.meeting.label}"

    def get_absolute_url(self) -> str:
        return reverse("recommendations:paragraph", args=[self.meeting.code, self.number])

    def natural_key(self) -> tuple[str, int]:
        return (*self.meeting.natural_key(), self.number)

    natural_key.dependencies = ["recommendations.meeting", "recommendations.theme"]

    def clean(self) -> None:
        if self.theme_id and self.meeting_id and self.theme.meeting_id != self.meeting_id:
            raise ValidationError({"theme": "The theme belongs to another meeting's document."})


class ActorQuerySet(models.QuerySet):
    def groups_of(self, actor: Actor) -> ActorQuerySet:
        """The stakeholder groups the actor belongs to: by rule for its kind, or as entered with a source."""
        return self.filter(kind=ActorKind.STAKEHOLDER_GROUP).filter(
            Q(code__in=rule_groups(actor.kind)) | Q(memberships__member=actor)
        )

    def members_of(self, group: Actor) -> ActorQuerySet:
        """The group's members: every actor of its rule's kind, or those entered for it.

        Each has `source`, what shows it belongs: empty for a member by rule.
        """
        if kind := group.members_by_rule:
            return self.filter(kind=kind).annotate(source=Value(""))
        return self.filter(group_memberships__group=group).annotate(source=F("group_memberships__source"))

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


# The groups whose membership the text itself defines: "All States" is every government and
# "International organisations" every UN agency and intergovernmental organisation, whoever is
# recorded now or later. Every other group holds only the members entered with a source.
MEMBERS_BY_RULE = {
    "ALL-STATES": ActorKind.GOVERNMENT,
    "INTERNATIONAL-ORGANISATIONS": ActorKind.INTERNATIONAL_ORGANISATION,
}


def rule_groups(kind: str) -> list[str]:
    """The codes of the groups that hold every actor of `kind` by rule."""
    return [code for code, members in MEMBERS_BY_RULE.items() if members == kind]


def addresses(actor: Actor) -> Exists:
    """Whether the outer paragraph names the actor or a group it belongs to."""
    return Exists(
        Paragraph.addressees.through.objects.filter(paragraph=OuterRef("pk")).filter(
            Q(actor=actor) | Q(actor__in=Actor.objects.groups_of(actor))
        )
    )


# Each kind's name for all its actors, as it reads after "All": the labels are singular, and
# lower-casing one would turn "UN" into "un".
ACTOR_KIND_PLURALS = {
    ActorKind.GOVERNMENT: "governments",
    ActorKind.INTERNATIONAL_ORGANISATION: "UN agencies and intergovernmental organisations",
    ActorKind.REGIONAL_PROCESS: "regional consultative processes",
    ActorKind.STAKEHOLDER_GROUP: "stakeholder groups",
}


class Actor(models.Model):
    """A government, organisation, regional process or stakeholder group."""

    Kind = ActorKind

    code = models.CharField(
        max_length=32,
        unique=True,
        help_text="ISO 3166-1 alpha-3 for governments (THA); upper-case letters, digits and hyphens otherwise.",
    )
    # Blank in forms so that a government's names can be left for the UN's names to fill (see
    # clean); the database still refuses an empty name.
    name = models.CharField(max_length=300, blank=True, help_text="For governments, the UN's formal name unless set.")
    short_name = models.CharField(
        max_length=100, blank=True, help_text='For governments, the UN\'s short name ("Viet Nam") unless set.'
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

    @property
    def kind_plural(self) -> str:
        return ACTOR_KIND_PLURALS[self.kind]

    def natural_key(self) -> tuple[str]:
        return (self.code,)

    @property
    def is_group(self) -> bool:
        """A stakeholder group ("All States", "Civil society") names many actors at once: the
        documents address it, but it cannot itself carry out or join an action."""
        return self.kind == self.Kind.STAKEHOLDER_GROUP

    @property
    def members_by_rule(self) -> ActorKind | None:
        """The kind of actor the group holds every one of, if its membership is a rule."""
        return MEMBERS_BY_RULE.get(self.code) if self.is_group else None

    def clean(self) -> None:
        self.code = self.code.strip().upper()
        if self.kind == self.Kind.GOVERNMENT:
            names = un_names(self.code)
            if names is None:
                raise ValidationError({"code": f"{self.code!r} is not an ISO 3166-1 alpha-3 country code."})
            self.name = self.name or names.name
            self.short_name = self.short_name or names.short_name
        missing = {field: "This field is required." for field in ("name", "short_name") if not getattr(self, field)}
        if missing:
            raise ValidationError(missing)


class GroupMembership(models.Model):
    """An actor that belongs to a stakeholder group, with the source that shows it.

    Only groups without a rule (see MEMBERS_BY_RULE) have members entered; nothing is assumed.
    Whether group and member are of the right kinds is a rule across two rows, so it is checked
    here and by the admin's choices rather than by the database.
    """

    group = models.ForeignKey(
        Actor,
        on_delete=models.CASCADE,
        related_name="memberships",
        limit_choices_to={"kind": ActorKind.STAKEHOLDER_GROUP},
    )
    member = models.ForeignKey(
        Actor,
        on_delete=models.CASCADE,
        related_name="group_memberships",
        limit_choices_to=~Q(kind=ActorKind.STAKEHOLDER_GROUP),
    )
    source = models.CharField(max_length=500, help_text="What shows that the actor belongs to the group.")

    class Meta:
        ordering = ["group", "member"]
        constraints = [
            models.UniqueConstraint(fields=["group", "member"], name="group_membership_unique"),
            models.CheckConstraint(condition=~Q(source=""), name="group_membership_has_source"),
            models.CheckConstraint(condition=~Q(group=F("member")), name="group_membership_not_itself"),
        ]

    def __str__(self) -> str:
        return f"{self.member} in {self.group}"

    def clean(self) -> None:
        errors = {}
        if self.group_id and not self.group.is_group:
            errors["group"] = "Only a stakeholder group has members."
        elif self.group_id and self.group.members_by_rule:
            kind = ActorKind(self.group.members_by_rule).label
            errors["group"] = f"{self.group} holds every actor of the kind “{kind}” by rule; no member is entered."
        if self.member_id and self.member.is_group:
            errors["member"] = "A stakeholder group cannot be a member of a group."
        if errors:
            raise ValidationError(errors)


def government(code: str, **fields) -> Actor:
    """An unsaved government actor, named as the United Nations writes its name."""
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
        return f"{self.actor} — {self.get_role_display()} at {self.meeting.label}"

    def natural_key(self) -> tuple[str, str]:
        return (*self.meeting.natural_key(), *self.actor.natural_key())

    natural_key.dependencies = ["recommendations.meeting", "recommendations.actor"]
