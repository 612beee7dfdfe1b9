"""One FilterSet per public list or export.

On a page an invalid value is ignored and named in a message above the results; an export
answers 400 with the reason, so that a script never receives rows it did not ask for.
"""

from __future__ import annotations

import re

import django_filters
from django.db import connection
from django.db.models import BooleanField, Exists, F, Func, OuterRef, Q, QuerySet, Value, Window
from django.db.models.functions import RowNumber

from ..models import (
    ActionPartner,
    ActionRecommendation,
    ActionWord,
    Actor,
    FollowUpAction,
    ImplementationStatus,
    Meeting,
    Paragraph,
    Status,
)
from ..progress.history import TODAY, Reading, statuses_on

SEARCH_MAX_LENGTH = 200
# Characters that PostgreSQL's parser reads as joining two words into one compound or phrase
# (hyphens, dashes, apostrophes, underscores, other punctuation), which a search of words
# should separate: "labour-migration" finds "labour migration". A hyphen that starts a word
# negates it, and ".", "@" and "/" keep abbreviations, addresses and paths whole.
JOINERS = re.compile(r'(?<=\S)-|_|[^\w\s".@/-]')
# A quoted phrase or a word, excluded when a "-" starts it (but not when it joins two words).
TERMS = re.compile(r'(?:(?<!\S)(-))?(?:"([^"]*)"|([^\W_]+))')
WORDS = re.compile(r"[^\W_]+")
# Words too common to be worth marking in the results: PostgreSQL's search ignores them.
UNMARKED = frozenset(
    ("a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "has", "have", "in", "into", "is", "it", "its")
    + ("not", "of", "on", "or", "that", "the", "their", "this", "to", "was", "with")
)

SORTS = {
    "document": ("In document order", ["meeting__start_date", "meeting__code", "number"]),
    "theme": ("By theme", ["theme__meeting__code", "theme__position", "number"]),
    "-progress": ("Most progress first", [F("progress").desc(nulls_last=True), "meeting__code", "number"]),
    "progress": ("Least progress first", [F("progress").asc(nulls_last=True), "meeting__code", "number"]),
    "-reported": ("Most actors reporting first", ["-reported", "meeting__code", "number"]),
}


class _AnyOf(Func):
    """`value = ANY(array)`: whether the array (the second expression) holds the value (the first)."""

    arg_joiner = " = ANY("
    template = "%(expressions)s)"
    output_field = BooleanField()


class ParagraphFilter(django_filters.FilterSet):
    """The recommendations list and its exports.

    The choices of meeting, theme and actor are given by the caller (`meetings` with their
    `theme_list`, `actors`: every actor, stakeholder groups too), so that the form renders and
    validates without a query per field. A group can be chosen as addressee, never as the
    reporting actor: groups do not report.
    """

    q = django_filters.CharFilter(
        label="Search",
        method="search",
        max_length=SEARCH_MAX_LENGTH,
        help_text="Words in the recommendation or in its published actions.",
    )
    meeting = django_filters.ChoiceFilter(
        field_name="meeting__code",
        label="Meeting",
        empty_label="Any meeting",
        error_messages={"invalid_choice": "No meeting has the code given in ?meeting=."},
    )
    theme = django_filters.ChoiceFilter(
        field_name="theme_id",
        label="Theme",
        empty_label="Any theme",
        error_messages={"invalid_choice": "No theme has the number given in ?theme=."},
    )
    addressee = django_filters.ChoiceFilter(
        label="Addressed to",
        method="addressed_to",
        empty_label="Anyone",
        error_messages={"invalid_choice": "No actor has the code given in ?addressee=."},
    )
    actor = django_filters.ChoiceFilter(
        label="Reporting actor",
        method="reported_by",
        empty_label="Any actor",
        error_messages={"invalid_choice": "No actor has the code given in ?actor=."},
    )
    status = django_filters.ChoiceFilter(
        label="Status",
        method="with_status",
        choices=Status.choices,
        empty_label="Any status",
        error_messages={"invalid_choice": "Unknown status in ?status=; the statuses are listed on the About page."},
    )
    tracked = django_filters.ChoiceFilter(
        field_name="is_tracked",
        label="Paragraphs",
        empty_label="Recommendations and context",
        choices=[("yes", "Tracked recommendations"), ("no", "Context paragraphs")],
        method="tracked_or_context",
        error_messages={"invalid_choice": "?tracked= is yes or no."},
    )
    sort = django_filters.ChoiceFilter(
        label="Sort",
        method="sorted_by",
        empty_label=None,
        choices=[(key, label) for key, (label, _) in SORTS.items()],
        error_messages={"invalid_choice": "Unknown sort order; the recommendations are in document order."},
    )

    class Meta:
        model = Paragraph
        fields: list[str] = []

    def __init__(
        self, data=None, *args, meetings: list[Meeting], actors: list[Actor], reading: Reading = TODAY, **kwargs
    ):
        super().__init__(data, *args, **kwargs)
        # The date the statuses are read on; the actors and addressees are today's.
        self.reading = reading
        themes = [theme for meeting in meetings for theme in meeting.theme_list]
        fields = self.form.fields
        # Each field's empty_label adds its "Any …" choice in front of these.
        fields["meeting"].choices = [(meeting.code, meeting.title) for meeting in meetings]
        fields["theme"].choices = [(str(theme.pk), str(theme)) for theme in themes]
        self.actors = {actor.code: actor for actor in actors}
        choices = {actor.code: f"{actor.short_name} ({actor.code})" for actor in actors}
        fields["addressee"].choices = list(choices.items())
        fields["actor"].choices = [(actor.code, choices[actor.code]) for actor in actors if not actor.is_group]

    @property
    def search_words(self) -> list[str]:
        """The words of the search that the results mark: neither negated ones nor the commonest."""
        if "q" in self.form.errors:
            return []
        return marked_words(self.form.cleaned_data.get("q") or "")

    def matching_actions(self, paragraphs: list[Paragraph]) -> dict[int, FollowUpAction]:
        """One published action of each of `paragraphs` that has a word of the search, in one query.

        On PostgreSQL the recommendation's `ActionWord` row of each word typed names such an
        action, so that the query reads a few rows per paragraph through their index however many
        actions there are. Elsewhere the newest action with one of the words is looked for.
        """
        words = self.search_words
        if not words or not paragraphs:
            return {}
        ids = [paragraph.pk for paragraph in paragraphs]
        if connection.vendor == "postgresql":
            from django.contrib.postgres.search import SearchVector

            typed = Func(SearchVector(Value(" ".join(words)), config="english"), function="tsvector_to_array")
            rows = (
                ActionWord.objects.filter(_AnyOf(F("word"), typed), paragraph__in=ids, action__isnull=False)
                .select_related("action")
                .order_by("paragraph_id", "word")
            )
        else:
            has_a_word = Q()
            for word in words:
                has_a_word |= Q(action__title__icontains=word) | Q(action__description__icontains=word)
            rows = (
                ActionRecommendation.objects.filter(
                    has_a_word, paragraph__in=ids, action__state=FollowUpAction.State.PUBLISHED
                )
                .alias(newest=Window(RowNumber(), partition_by=F("paragraph_id"), order_by=F("action_id").desc()))
                .filter(newest=1)
                .select_related("action")
            )
        found: dict[int, FollowUpAction] = {}
        for row in rows:
            found.setdefault(row.paragraph_id, row.action)
        return found

    @property
    def messages(self) -> list[str]:
        return [message for messages in self.errors.values() for message in messages]

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        """Filters first, then the order: a search ranks its results unless a sort is chosen.

        Every filter tests the paragraph's rows elsewhere with a subquery and joins nothing but
        its meeting and theme, so no paragraph comes twice: without a DISTINCT the count of a
        page leaves out the progress computed for sorting.
        """
        data = self.form.cleaned_data
        if not data.get("sort"):
            data["sort"] = "relevance" if data.get("q") and connection.vendor == "postgresql" else "document"
        return super().filter_queryset(queryset)

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """Paragraphs whose text, or the text of their published actions taken together, has the words.

        The words may come in any order and need not be side by side; a quoted phrase must appear
        as written in the paragraph text. On PostgreSQL the paragraph text is matched and ranked
        with full-text search (English stemming and stop words; `or` and a leading `-` work as in
        `websearch_to_tsquery`), and the actions through their recommendation's `ActionWord` rows:
        the words of all its published actions, so that a search reads a few rows per
        recommendation however many actions there are. Those rows keep no word order, so the
        actions match a phrase when they have all its words. Elsewhere every word and quoted
        phrase must occur, as a case-insensitive substring, in the paragraph text or in its
        published actions, and none that a "-" excludes.
        """
        if connection.vendor != "postgresql":
            terms = search_terms(value)
            if not terms:
                return queryset.none()
            published = FollowUpAction.objects.published()
            in_text, in_actions = Q(), Q()
            for term, excluded in terms:
                actions = published.filter(Q(title__icontains=term) | Q(description__icontains=term))
                text_has = Q(text__icontains=term)
                actions_have = Q(pk__in=ActionRecommendation.objects.filter(action__in=actions).values("paragraph_id"))
                in_text &= ~text_has if excluded else text_has
                in_actions &= ~actions_have if excluded else actions_have
            return queryset.filter(in_text | in_actions)

        from django.contrib.postgres.expressions import ArraySubquery
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector, SearchVectorField

        text = JOINERS.sub(" ", value)
        # The action words have no positions, so the words of a phrase are looked for one by one.
        action_text = text.replace('"', " ")
        query = SearchQuery(text, search_type="websearch", config="english")
        # Only the rows of the words typed: the lexemes of the search text itself.
        typed = Func(SearchVector(Value(action_text), config="english"), function="tsvector_to_array")
        action_words = ActionWord.objects.filter(_AnyOf(F("word"), typed), paragraph=OuterRef("pk"))
        document = SearchVector("text", config="english")
        return queryset.annotate(
            document=document,
            rank=SearchRank(document, query),
            action_document=Func(
                ArraySubquery(action_words.values("word")),
                function="array_to_tsvector",
                output_field=SearchVectorField(),
            ),
        ).filter(
            Q(document=query) | Q(action_document=SearchQuery(action_text, search_type="websearch", config="english"))
        )

    def addressed_to(self, queryset: QuerySet, name: str, code: str) -> QuerySet:
        """Paragraphs addressed to the actor, by name or through a group it belongs to."""
        return queryset.addressed_to(self.actors[code])

    def reported_by(self, queryset: QuerySet, name: str, code: str) -> QuerySet:
        """Recommendations the actor has a status on (its own or from actions it takes part in)."""
        if not self.reading.is_today:
            return queryset.filter(pk__in=self._having_status(code))
        return queryset.filter(Exists(ImplementationStatus.objects.filter(paragraph=OuterRef("pk"), actor__code=code)))

    def with_status(self, queryset: QuerySet, name: str, status: str) -> QuerySet:
        """Recommendations on which some actor (the chosen reporting actor, if any) has the status."""
        if not self.reading.is_today:
            return queryset.filter(pk__in=self._having_status(self.form.cleaned_data.get("actor"), status))
        statuses = ImplementationStatus.objects.filter(paragraph=OuterRef("pk"), status=status)
        if code := self.form.cleaned_data.get("actor"):
            statuses = statuses.filter(actor__code=code)
        return queryset.filter(Exists(statuses))

    def _having_status(self, code: str | None, status: str | None = None) -> set[int]:
        """The paragraphs on which the actor (any, without a code) has the status (any, without one) on the date."""
        actor_id = self.actors[code].pk if code else None
        return {
            paragraph_id
            for (actor, paragraph_id), value in statuses_on(self.reading, None).items()
            if actor_id in (None, actor) and status in (None, value)
        }

    def tracked_or_context(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(is_tracked=value == "yes")

    def sorted_by(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == "relevance":
            return queryset.order_by("-rank", "meeting__code", "number")
        return queryset.order_by(*SORTS[value][1])


class MatrixFilter(ParagraphFilter):
    """The list's filters for the wide status matrix, and `kind`: the kind of actor of its rows."""

    kind = django_filters.ChoiceFilter(
        label="Kind of actor",
        method="of_kind",
        choices=[(kind.value, kind.label) for kind in Actor.Kind if kind != Actor.Kind.STAKEHOLDER_GROUP],
        empty_label="Any kind",
        error_messages={"invalid_choice": "?kind= is government, international_organisation or regional_process."},
    )

    def of_kind(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """The kind chooses the matrix's rows, the actors, which it reads from the cleaned data:
        the recommendations stay the same."""
        return queryset


def search_terms(value: str) -> list[tuple[str, bool]]:
    """The quoted phrases and the words outside quotes of a search, in the order typed, each
    with whether it is excluded."""
    terms = ((" ".join(phrase.split()) or word, bool(minus)) for minus, phrase, word in TERMS.findall(value))
    return [(term, excluded) for term, excluded in terms if WORDS.search(term)]


def marked_words(value: str) -> list[str]:
    """The words of a search that are not excluded, lower-cased and once each."""
    typed = (word.lower() for term, excluded in search_terms(value) if not excluded for word in WORDS.findall(term))
    return [word for word in dict.fromkeys(typed) if word not in UNMARKED]


def involving(actions: QuerySet, code: str) -> QuerySet:
    """Actions the actor with this code reports or takes part in, without a DISTINCT over the table."""
    return actions.filter(
        Q(actor__code=code) | Exists(ActionPartner.objects.filter(action=OuterRef("pk"), actor__code=code))
    )
