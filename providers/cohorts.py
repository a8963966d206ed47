"""Suggest district-to-district pairs: LEAs facing a similar challenge at the same time.

Plain Python with no Django import. Seed 004's first method of assistance is district-to-district,
"one where two or more districts face a similar challenge and devise a solution collectively":
two open requests or active engagements of different LEAs are suggested together when their
problems of practice share taxonomy tags and the LEAs are alike (`ranking.profile_similarity`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import combinations

from .ranking import LeaProfile, profile_similarity

# A pair needs at least this many shared tags and LEAs at least this alike.
MIN_SHARED_TAGS = 1
MIN_SIMILARITY = 0.5
# A pair's strength: the tags' overlap (Jaccard) and the LEAs' likeness, weighted so.
TAG_WEIGHT = 0.6
SIMILARITY_WEIGHT = 0.4

REQUEST = "request"
ENGAGEMENT = "engagement"


@dataclass(frozen=True)
class Item:
    """An open request or an active engagement, as a possible member of a cohort."""

    kind: str  # REQUEST or ENGAGEMENT
    pk: int
    label: str
    lea: LeaProfile
    tags: frozenset[str]

    @property
    def key(self) -> tuple[str, int]:
        return (self.kind, self.pk)


@dataclass(frozen=True)
class Suggestion:
    first: Item
    second: Item
    shared_tags: frozenset[str]
    similarity: float
    strength: float


def suggest_pairs(
    items: Iterable[Item], *, together: Iterable[frozenset[tuple[str, int]]] = ()
) -> list[Suggestion]:
    """Return the pairs worth grouping, strongest first.

    Pairs of the same LEA are left out (that is one district, not two), and so is a pair whose
    two members already share a cohort (`together`: each cohort's member keys).
    """
    grouped = [frozenset(keys) for keys in together]
    suggestions = []
    for a, b in combinations(sorted(items, key=lambda i: i.key), 2):
        suggestion = _pair(a, b)
        if suggestion is None or any({a.key, b.key} <= keys for keys in grouped):
            continue
        suggestions.append(suggestion)
    suggestions.sort(key=lambda s: (-s.strength, s.first.label, s.second.label))
    return suggestions


def _pair(a: Item, b: Item) -> Suggestion | None:
    if a.lea.lea_id is not None and a.lea.lea_id == b.lea.lea_id:
        return None
    shared = a.tags & b.tags
    if len(shared) < MIN_SHARED_TAGS:
        return None
    similarity = profile_similarity(a.lea, b.lea)
    if similarity < MIN_SIMILARITY:
        return None
    overlap = len(shared) / len(a.tags | b.tags)
    strength = round(TAG_WEIGHT * overlap + SIMILARITY_WEIGHT * similarity, 3)
    return Suggestion(a, b, shared, round(similarity, 3), strength)
