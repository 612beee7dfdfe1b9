"""The shapes of the API, typed field by field for the schema.

The read serializers describe the exports' rows (recommendations/public/exports.py) and are
fed those rows, so that an item of the API is the export row with the same identifier: the
same keys and values, except that a date or web address the export leaves as an empty cell is
null here. The write serializers take what a focal point's system sends, which the action
form then checks by the same rules as the workspace's form.
"""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..models import ActionRevision, ActorKind, EvidenceLink, FollowUpAction, Meeting, Status, Theme
from ..reporting.workflow import CONTENT_FIELDS

# The identifiers of the exports.
PARAGRAPH_ID = r"^[-a-zA-Z0-9_]+/[0-9]{1,9}$"
ACTOR_CODE = r"^[A-Z0-9-]+$"
ACTION_ID = r"^action-[0-9]+$"


class Identifier(serializers.RegexField):
    """An identifier of the exports, given with its pattern in the schema."""

    def __init__(self, pattern: str, **kwargs):
        super().__init__(pattern, **kwargs)


class OptionalDate(serializers.DateField):
    """A date, or null where the export's cell is empty."""

    def __init__(self, **kwargs):
        super().__init__(allow_null=True, **kwargs)


class OptionalAddress(serializers.URLField):
    """A web address, or null where the export's cell is empty."""

    def __init__(self, **kwargs):
        super().__init__(allow_null=True, **kwargs)

    def to_representation(self, value):
        return value or None


def _codes(**kwargs) -> serializers.ListField:
    return serializers.ListField(child=Identifier(ACTOR_CODE), **kwargs)


class RecommendationSerializer(serializers.Serializer):
    """A paragraph of an outcome document: a row of the recommendations export."""

    id = Identifier(PARAGRAPH_ID, help_text="Stable identifier: meeting code / paragraph number.")
    meeting = serializers.SlugField(help_text="Code of the meeting whose outcome document holds the paragraph.")
    paragraph = serializers.IntegerField(min_value=1, help_text="Paragraph number as written.")
    theme_number = serializers.CharField(allow_blank=True, help_text="The theme heading's number as written.")
    theme = serializers.CharField(allow_blank=True, help_text="The theme heading as written.")
    text = serializers.CharField(help_text="The paragraph, verbatim.")
    tracked = serializers.BooleanField(help_text="true for a tracked recommendation, false for a context paragraph.")
    addressees = _codes(help_text="Codes of the actors the paragraph names or addresses, as written.")
    addressed_to = _codes(help_text="Codes of the actors it addresses, by name or as members of a group it names.")
    url = serializers.URLField(help_text="The paragraph's permalink.")


class ActionSerializer(serializers.Serializer):
    """A published follow-up action: a row of the actions export."""

    id = Identifier(ACTION_ID, help_text="Stable identifier of the action.")
    actor = Identifier(ACTOR_CODE, help_text="Code of the actor that reports the action.")
    actor_name = serializers.CharField()
    partners = _codes(help_text="Codes of partner actors of a joint action; it counts for each of them.")
    recommendations = serializers.ListField(
        child=Identifier(PARAGRAPH_ID), help_text="Identifiers of the recommendations it answers."
    )
    title = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    status = serializers.ChoiceField(choices=Status.choices)
    status_as_of = serializers.DateField(help_text="Date the status holds on.")
    status_source = serializers.CharField(allow_blank=True)
    start_date = OptionalDate()
    end_date = OptionalDate()
    responsible_agency = serializers.CharField(allow_blank=True)
    evidence = serializers.ListField(child=serializers.URLField(), help_text="Addresses of the evidence.")
    published_at = serializers.DateTimeField(help_text="When the secretariat published it (UTC).")
    demo = serializers.BooleanField(help_text="true for demonstration data, which is not a real record.")
    url = serializers.URLField(help_text="The action's page.")


class StatusSerializer(serializers.Serializer):
    """One actor's status on one recommendation: a row of the statuses export."""

    recommendation = Identifier(PARAGRAPH_ID)
    actor = Identifier(ACTOR_CODE)
    actor_name = serializers.CharField()
    actor_kind = serializers.ChoiceField(choices=ActorKind.choices)
    status = serializers.ChoiceField(choices=Status.choices)
    status_label = serializers.ChoiceField(
        choices=[(label, label) for label in Status.labels], help_text="The status as shown on the site."
    )
    as_of = OptionalDate(help_text="Date the status holds on.")
    set_by = serializers.ChoiceField(
        choices=[("actions", "actions"), ("secretariat", "secretariat")],
        help_text="actions when derived from published actions, secretariat when set by it.",
    )
    source = serializers.CharField(allow_blank=True, help_text="The secretariat's source for a status it set.")
    url = serializers.URLField(help_text="The recommendation's page.")


class ActorSerializer(serializers.Serializer):
    """A government, organisation, regional process or stakeholder group: a row of the actors export."""

    code = Identifier(ACTOR_CODE, help_text="ISO 3166 alpha-3 for a government, an agreed code otherwise.")
    name = serializers.CharField()
    short_name = serializers.CharField()
    kind = serializers.ChoiceField(choices=ActorKind.choices)
    description = serializers.CharField(allow_blank=True)
    website = OptionalAddress()
    demo = serializers.BooleanField()
    url = serializers.URLField(help_text="The actor's page.")


class MeetingSerializer(serializers.ModelSerializer):
    """A meeting and its outcome document."""

    url = serializers.SerializerMethodField(help_text="The outcome document's page.")

    class Meta:
        model = Meeting
        fields = [
            "code", "title", "document_title", "place", "start_date", "end_date", "host",
            "prepares_for", "prepares_for_place", "prepares_for_start", "prepares_for_end", "url",
        ]  # fmt: skip

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, meeting: Meeting) -> str:
        return self.context["request"].build_absolute_uri(reverse("recommendations:document", args=[meeting.code]))


class ThemeSerializer(serializers.ModelSerializer):
    """A heading of an outcome document; `id` is what ?theme= takes."""

    meeting = serializers.SlugRelatedField(slug_field="code", read_only=True)
    number = serializers.CharField(source="label", allow_blank=True, help_text="The heading's number as written.")

    class Meta:
        model = Theme
        fields = ["id", "meeting", "number", "heading", "position"]


class LinkSerializer(serializers.Serializer):
    """An evidence link: a web address and what it is."""

    url = serializers.URLField(max_length=EvidenceLink._meta.get_field("url").max_length)
    label = serializers.RegexField(
        r"^[^\r\n]*$",
        max_length=EvidenceLink._meta.get_field("label").max_length,
        allow_blank=True,
        required=False,
        default="",
        help_text="One line.",
    )


class ActionInputSerializer(serializers.Serializer):
    """A new draft, or the whole content of a draft, returned action or update."""

    recommendations = serializers.ListField(
        child=Identifier(PARAGRAPH_ID), min_length=1, help_text="Identifiers of the tracked recommendations it answers."
    )
    title = serializers.CharField(max_length=300)
    description = serializers.CharField(allow_blank=True, required=False, default="")
    status = serializers.ChoiceField(choices=Status.choices, help_text="How far the action has got.")
    status_as_of = serializers.DateField(help_text="The date the status holds on.")
    status_source = serializers.CharField(max_length=500, allow_blank=True, required=False, default="")
    start_date = serializers.DateField(allow_null=True, required=False, default=None)
    end_date = serializers.DateField(allow_null=True, required=False, default=None)
    responsible_agency = serializers.CharField(max_length=300, allow_blank=True, required=False, default="")
    partners = _codes(required=False, default=list, help_text="Codes of the partner actors (no groups).")
    evidence_links = LinkSerializer(many=True, required=False, default=list)


class ActionEditSerializer(ActionInputSerializer):
    version = serializers.IntegerField(min_value=0, help_text="The action's version as last read.")


class LinksInputSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=0, help_text="The action's version as last read.")
    links = LinkSerializer(many=True, min_length=1, help_text="Links added after the ones it has.")


class VersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=0, help_text="The action's version as last read.")


class OwnActionSerializer(serializers.Serializer):
    """An action of the token's actor as its focal point edits it: the draft, or the open update
    of a published action, with the version every write must send back."""

    number = serializers.IntegerField(help_text="The number in this action's addresses.")
    id = Identifier(ACTION_ID, help_text="Its identifier in the exports once published.")
    state = serializers.ChoiceField(choices=FollowUpAction.State.choices)
    is_update = serializers.BooleanField(help_text="true for an update of a published action, under review apart.")
    version = serializers.IntegerField()
    recommendations = serializers.ListField(child=Identifier(PARAGRAPH_ID))
    title = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    status = serializers.ChoiceField(choices=Status.choices)
    status_as_of = serializers.DateField()
    status_source = serializers.CharField(allow_blank=True)
    start_date = OptionalDate()
    end_date = OptionalDate()
    responsible_agency = serializers.CharField(allow_blank=True)
    partners = _codes()
    evidence_links = LinkSerializer(many=True)
    review_comment = serializers.CharField(allow_blank=True, help_text="The secretariat's comment when returned.")
    url = serializers.URLField(help_text="The action's page in the workspace.")


def own_action(action: FollowUpAction, request) -> dict:
    """What OwnActionSerializer shows of `action`, read from its working copy."""
    copy = action.working_copy()
    return {
        "number": action.pk,
        "id": f"action-{action.pk}",
        "state": copy.state,
        "is_update": isinstance(copy, ActionRevision),
        "version": action.version,
        "recommendations": [
            f"{meeting}/{number}"
            for meeting, number in copy.recommendations.order_by("meeting__code", "number").values_list(
                "meeting__code", "number"
            )
        ],
        **{name: getattr(copy, name) for name in [*CONTENT_FIELDS, "review_comment"]},
        "partners": list(copy.partners.order_by("code").values_list("code", flat=True)),
        "evidence_links": [
            {"url": url, "label": label} for url, label in copy.evidence_links.values_list("url", "label")
        ],
        "url": request.build_absolute_uri(reverse("recommendations:workspace-action", args=[action.pk])),
    }
