"""The lifecycle runner: every status change of every aggregate goes through `Lifecycle.run`.

An app declares its lifecycle as data (a table of `Transition` rows: name, label, sources,
target, who may, whether a reason is needed and how the page asks for it) and one service
function per transition, registered with `@lifecycle.service(name)`, that calls `run`. The
runner locks the row, authorises the person, checks the source state and the reason, applies the
change, saves with `update_fields`, writes the app's history row and runs the service's effects,
all in one transaction. Effects that must wait for the commit (handing an outbox row to Celery)
register themselves with `transaction.on_commit`, so a refused or rolled-back change sends
nothing. A refusal raises the lifecycle's `refused` exception with a sentence a person can act
on, and changes nothing.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from .decisions import Decision


class TransitionRefused(Exception):
    """A transition that is not allowed now, for this person; the message says why."""


@dataclass(frozen=True)
class Transition:
    """One row of a lifecycle's table."""

    name: str
    label: str  # what the button says: "Verify", "Send to the agent"
    verb: str  # how a sentence names it done: "verified", "sent to the agent"
    sources: frozenset
    target: str
    may: Callable[..., Decision]  # (person, locked object) -> Decision
    reason_required: bool = False
    # The label of the reason field on the intermediate page; empty when none is asked for.
    reason_prompt: str = ""
    # The service's keyword argument that takes the reason ("reason", "message", "comments").
    reason_keyword: str = "reason"
    # What a refusal says when a required reason is missing; empty for the lifecycle's sentence.
    reason_missing: str = ""
    # Offered as an admin action on a selection of rows (not only on one row's page).
    bulk: bool = True
    # Who hears of it: audience -> notice kind; the app's effects say who each audience is.
    notices: dict = field(default_factory=dict)

    @property
    def asks_reason(self) -> bool:
        return bool(self.reason_prompt)


def transition(name, label, verb, sources: Iterable, target, may, **options) -> Transition:
    """Return a Transition row; `sources` may be any iterable of states."""
    return Transition(name, label, verb, frozenset(sources), target, may, **options)


# (locked object, transition, previous state, person, time, reason) -> the history row
Recorder = Callable[..., object]


@dataclass
class Lifecycle:
    """A model's states, its transitions as data, and the one runner that applies them."""

    model: type
    transitions: Iterable[Transition]
    record: Recorder
    refused: type[TransitionRefused] = TransitionRefused
    state_field: str = "status"
    # The keyword under which the services take the object ("assistance_request", …).
    object_keyword: str = "obj"
    # Joined when the row is locked (only the row itself is locked).
    select_related: tuple = ()
    # Sets the fields every change touches and returns their names (besides the state).
    touch: Callable | None = None
    # How a refusal names the object: "RFA-2026-0001", "The scope of work for RFA-2026-0001".
    describe: Callable = str
    # How the missing-reason refusal names the kind of object: "a request".
    noun: str = "it"
    services: dict = field(default_factory=dict, init=False)

    def __post_init__(self):
        self.transitions = {t.name: t for t in self.transitions}
        states = self.model._meta.get_field(self.state_field).choices
        self.allowed = {value: set() for value, _label in states}
        for t in self.transitions.values():
            unknown = (t.sources | {t.target}) - set(self.allowed)
            if unknown:
                raise ValueError(f"Transition {t.name!r} names unknown states {sorted(unknown)}.")
            for source in t.sources:
                self.allowed[source].add(t.target)

    def __getitem__(self, name: str) -> Transition:
        return self.transitions[name]

    def __contains__(self, name: str) -> bool:
        return name in self.transitions

    def service(self, name: str):
        """Register the decorated function as the service that performs transition `name`."""
        if name not in self.transitions:
            raise ValueError(f"{name!r} is not a transition of {self.model.__name__}.")

        def register(function):
            self.services[name] = function
            return function

        return register

    def perform(self, name: str, obj, *, by, **kwargs):
        """Call transition `name`'s service (the entry point for admin buttons and actions)."""
        return self.services[name](**{self.object_keyword: obj}, by=by, **kwargs)

    def available(self, obj, user, names: Iterable[str] | None = None) -> list[Transition]:
        """Return the transitions this person could make on the object now, in table order."""
        state = getattr(obj, self.state_field)
        wanted = None if names is None else set(names)
        return [
            t
            for t in self.transitions.values()
            if state in t.sources and (wanted is None or t.name in wanted) and t.may(user, obj)
        ]

    def lock(self, obj):
        """Return the object's row locked until the transaction ends, `select_related` joined.

        `of=("self",)` locks only the row itself: PostgreSQL refuses FOR UPDATE on the nullable
        side of the outer joins that select_related makes for optional relations.
        """
        return (
            self.model.objects.select_for_update(of=("self",))
            .select_related(*self.select_related)
            .get(pk=obj.pk)
        )

    def state_label(self, obj) -> str:
        return str(getattr(obj, f"get_{self.state_field}_display")()).lower()

    def check(self, t: Transition, obj, by, reason: str, wrong_state=None) -> None:
        """Raise the lifecycle's refusal unless the person may make `t` on `obj` now."""
        decision = t.may(by, obj)
        if not decision:
            raise self.refused(decision.reason)
        if getattr(obj, self.state_field) not in t.sources:
            if wrong_state is not None:
                raise wrong_state(obj)
            raise self.refused(
                f"{self.describe(obj)} cannot be {t.verb}: it is {self.state_label(obj)}."
            )
        if t.reason_required and not reason:
            raise self.refused(
                t.reason_missing or f"A reason is required for {self.noun} to be {t.verb}."
            )

    def run(
        self,
        name: str,
        obj,
        *,
        by,
        reason: str = "",
        change: Callable | None = None,
        after: Callable | None = None,
        wrong_state: Callable | None = None,
    ):
        """Apply transition `name` to `obj` for `by`, in one transaction; return the locked row.

        `change(row, now)` sets the transition's own fields and returns their names; `after(row,
        history)` writes what follows from it (messages, outbox rows, the next aggregate);
        `wrong_state(row)` returns the exception for a row no longer in a source state, where
        that case has its own meaning (a repeated submission).
        """
        t = self.transitions[name]
        reason = (reason or "").strip()
        with transaction.atomic():
            row = self.lock(obj)
            self.check(t, row, by, reason, wrong_state)
            now = timezone.now()
            previous = getattr(row, self.state_field)
            setattr(row, self.state_field, t.target)
            fields = [self.state_field]
            if self.touch is not None:
                fields += self.touch(row, now)
            if change is not None:
                fields += change(row, now)
            row._history_user = by  # django-simple-history records who made the change
            row.save(update_fields=list(dict.fromkeys(fields)))
            history = self.record(
                row=row, transition=t, previous=previous, by=by, at=now, reason=reason
            )
            if after is not None:
                after(row, history)
        return row
