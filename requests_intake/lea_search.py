"""The LEA picker's search: active agencies by name, city, county or CDS code.

Every word typed must match one of them: anywhere in the name, city or county (case
ignored), or the start of the CDS code. Names that start with the words come first. Two
queries whatever the directory's size (the matches shown, and how many there are), served by
the trigram indexes of LocalEducationalAgency on PostgreSQL.
"""

import re
from dataclasses import dataclass

from django.db.models import Case, IntegerField, Q, Value, When

from .models import LocalEducationalAgency

MIN_LENGTH = 2
LIMIT = 20
MAX_WORDS = 5


@dataclass(frozen=True)
class SearchResult:
    query: str
    leas: list
    total: int

    @property
    def too_short(self) -> bool:
        return len(self.query) < MIN_LENGTH

    @property
    def more(self) -> int:
        return max(self.total - len(self.leas), 0)


def words_of(query: str) -> list[str]:
    return re.findall(r"[\w'’.-]+", query or "")[:MAX_WORDS]


def _word_matches(word: str) -> Q:
    match = Q(name__icontains=word) | Q(city__icontains=word) | Q(county__icontains=word)
    if word.isdigit():
        match |= Q(cds_code__startswith=word)
    return match


def active_leas():
    return LocalEducationalAgency.objects.filter(status=LocalEducationalAgency.Status.ACTIVE)


def search_leas(query: str, limit: int = LIMIT) -> SearchResult:
    """Return the active LEAs matching every word of `query` (the first `limit`, and the total)."""
    query = " ".join((query or "").split())[:100]
    words = words_of(query)
    if len(query) < MIN_LENGTH or not words:
        return SearchResult(query=query, leas=[], total=0)
    matches = active_leas()
    for word in words:
        matches = matches.filter(_word_matches(word))
    ranked = matches.annotate(
        starts=Case(
            When(name__istartswith=words[0], then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
    ).order_by("starts", "name", "cds_code")
    leas = list(ranked[:limit])
    total = len(leas) if len(leas) < limit else matches.count()
    return SearchResult(query=query, leas=leas, total=total)
