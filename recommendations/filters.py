"""One FilterSet per public list or export. An unknown value is a 400 with the reason."""

import django_filters

from .models import Meeting, Paragraph


class ParagraphFilter(django_filters.FilterSet):
    meeting = django_filters.ModelChoiceFilter(
        to_field_name="code",
        queryset=Meeting.objects.all(),
        error_messages={"invalid_choice": "No meeting has the code given in ?meeting=."},
    )

    class Meta:
        model = Paragraph
        fields = ["meeting"]
