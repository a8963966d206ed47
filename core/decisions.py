"""A permission or lifecycle check's answer: allowed or not, and the sentence that says why."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str = ""

    def __bool__(self):
        return self.allowed


ALLOW = Decision(True)


def deny(reason: str) -> Decision:
    """Return a refusal carrying the sentence a person can act on."""
    return Decision(False, reason)
