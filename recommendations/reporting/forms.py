"""Forms of the reporting workspace and the review queue."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db.models import QuerySet
from django.template.defaultfilters import filesizeformat

from ..models import ActionContent, Actor, EvidenceFile, EvidenceLink, FollowUpAction, Paragraph, Status
from .uploads import ACCEPTED, validate_evidence_file
from .workflow import CONTENT_FIELDS, ActionInput


class RecommendationChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, paragraph: Paragraph) -> str:
        excerpt = paragraph.text if len(paragraph.text) <= 90 else paragraph.text[:90].rsplit(" ", 1)[0] + "…"
        return f"¶{paragraph.number} — {excerpt}"


class FileChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, evidence: EvidenceFile) -> str:
        restricted = ", restricted" if evidence.is_restricted else ""
        return f"Remove {evidence.name} ({filesizeformat(evidence.size)}{restricted})"


class DateInput(forms.DateInput):
    """The browser's date picker, which reads and writes ISO dates whatever the locale."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class ActionForm(forms.Form):
    """Log or edit an action. `version` is the action's version when the form was opened."""

    recommendations = RecommendationChoiceField(
        queryset=Paragraph.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one recommendation the action answers."},
    )
    title = forms.CharField(max_length=300)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)
    # No status is chosen for the reporter: one left as it came would be reported unread.
    status = forms.ChoiceField(
        choices=[("", "Choose a status"), *Status.choices],
        help_text="How far the action has got, as your government sees it.",
        error_messages={"required": "Choose the status of the action."},
    )
    status_as_of = forms.DateField(label="Status as of", widget=DateInput, help_text="The date the status holds on.")
    status_source = forms.CharField(
        max_length=500, required=False, label="Source", help_text="What shows the status: a law, a notice, a link."
    )
    start_date = forms.DateField(required=False, widget=DateInput)
    end_date = forms.DateField(required=False, widget=DateInput)
    responsible_agency = forms.CharField(max_length=300, required=False)
    # Checkboxes work without a script and from the keyboard; partner-filter.js adds a box
    # that filters them by name, as the list holds every government and organisation.
    partners = forms.ModelMultipleChoiceField(
        queryset=Actor.objects.none(),
        required=False,
        label="Partner actors",
        help_text="Other governments or organisations taking part; the action counts for each of them.",
        widget=forms.CheckboxSelectMultiple(attrs={"class": "filterable-choices"}),
        error_messages={
            "invalid_choice": "Choose partners from the list: groups such as “All States” cannot be partners."
        },
    )
    evidence_links = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="One web address per line, optionally followed by a space and a label.",
    )
    remove_files = FileChoiceField(
        queryset=EvidenceFile.objects.none(),
        required=False,
        label="Files attached",
        help_text="Tick a file to remove it when you save.",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Only the files listed here can be removed."},
    )
    evidence_file = forms.FileField(
        required=False, label="Add an evidence file", help_text=f"{ACCEPTED}, checked by its content."
    )
    evidence_restricted = forms.BooleanField(
        required=False,
        label="Restricted file",
        help_text="Only your actor's focal points and the secretariat may open it, even once the action is public.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, actor: Actor, files: QuerySet[EvidenceFile] | None = None, **kwargs):
        """`files` are those of the content edited that may be removed (`removable_files`)."""
        super().__init__(*args, label_suffix="", **kwargs)
        self.fields["recommendations"].queryset = (
            Paragraph.objects.tracked().select_related("meeting").order_by("meeting__start_date", "number")
        )
        self.fields["partners"].queryset = Actor.objects.that_act().exclude(pk=actor.pk).order_by("short_name")
        if files is not None and files.exists():
            self.fields["remove_files"].queryset = files
        else:
            del self.fields["remove_files"]

    @classmethod
    def initial_from(cls, content: ActionContent) -> dict:
        initial = {name: getattr(content, name) for name in CONTENT_FIELDS}
        initial["recommendations"] = list(content.recommendations.all())
        initial["partners"] = list(content.partners.all())
        links = content.evidence_links.values_list("url", "label")
        initial["evidence_links"] = "\n".join(f"{url} {label}".strip() for url, label in links)
        return initial

    def clean_evidence_links(self) -> list[tuple[str, str]]:
        """(url, label) pairs, each address once and each fitting its column, as the database requires."""
        links, validate = [], URLValidator(schemes=["http", "https"])
        longest_url = EvidenceLink._meta.get_field("url").max_length
        longest_label = EvidenceLink._meta.get_field("label").max_length
        for number, line in enumerate(self.cleaned_data["evidence_links"].splitlines(), start=1):
            if not line.strip():
                continue
            url, _, label = line.strip().partition(" ")
            label = label.strip()
            try:
                validate(url)
            except ValidationError:
                raise ValidationError(f"Line {number}: {url!r} is not a web address (http:// or https://).") from None
            if len(url) > longest_url:
                raise ValidationError(f"Line {number}: the address is longer than {longest_url} characters.")
            if len(label) > longest_label:
                raise ValidationError(f"Line {number}: the label is longer than {longest_label} characters.")
            if url in (listed for listed, _ in links):
                raise ValidationError(f"Line {number}: {url!r} is already listed; give each address once.")
            links.append((url, label))
        return links

    def clean_evidence_file(self):
        upload = self.cleaned_data["evidence_file"]
        if upload:
            validate_evidence_file(upload)
        return upload

    def action_input(self) -> ActionInput:
        data = self.cleaned_data
        upload = data["evidence_file"]
        return ActionInput(
            content={name: data[name] for name in CONTENT_FIELDS},
            recommendations=list(data["recommendations"]),
            partners=list(data["partners"]),
            links=data["evidence_links"],
            files=[(upload, data["evidence_restricted"])] if upload else [],
            removed_files=list(data.get("remove_files", [])),
        )


class ReviewForm(forms.Form):
    """The approve and return forms share a page: their field ids carry the form's name."""

    def __init__(self, *args, **kwargs):
        name = type(self).__name__.removesuffix("Form").lower()
        super().__init__(*args, auto_id=f"{name}_%s", label_suffix="", **kwargs)


class ReturnForm(ReviewForm):
    comment = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), help_text="What the focal point should change. They get it by email."
    )


class ApproveForm(ReviewForm):
    validated_status = forms.ChoiceField(
        choices=[("", "As reported"), *Status.choices],
        required=False,
        label="Validated status",
        help_text="Set it only when the evidence shows another status than the one reported.",
    )
    comment = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)


class BulkApproveForm(forms.Form):
    actions = forms.ModelMultipleChoiceField(
        queryset=FollowUpAction.objects.awaiting_review(),
        error_messages={"required": "Tick the actions to approve."},
    )
