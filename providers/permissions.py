"""Who may do what in the provider registry: `can_<verb>(user, obj) -> Decision`.

Reviewers vet (take under review, approve, pause, resume, decline an application); taking an
approved or paused provider off the registry is a lead's decision. A provider's people see their
own provider and the engagements it is assigned to, nothing else: "not yours" is a 404.
"""

from core.decisions import ALLOW, Decision, deny

from .models import ProviderAssignment

VET = "providers.vet_provider"
REMOVE = "providers.remove_provider"
VIEW = "providers.view_provider"
VIEW_NOTES = "providers.view_vettingnotes"
WORK = "providers.work_as_provider"

ONLY_REVIEWERS = "Only CCEE reviewers and leads can vet providers."
ONLY_LEADS = "Only a CCEE lead can take a provider off the registry."


def _active(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def _holding(permission, refusal):
    def check(user, provider=None) -> Decision:
        return ALLOW if _active(user) and user.has_perm(permission) else deny(refusal)

    return check


can_vet = _holding(VET, ONLY_REVIEWERS)
can_remove = _holding(REMOVE, ONLY_LEADS)


def is_registry_staff(user) -> bool:
    """CCEE staff who see providers' profiles (reviewers and leads)."""
    return _active(user) and user.has_perm(VIEW)


def can_see_vetting_notes(user) -> bool:
    return _active(user) and user.has_perm(VIEW_NOTES)


def is_member(user, provider) -> bool:
    """Return whether the person signs in for this provider."""
    if not _active(user):
        return False
    return provider.members.filter(user=user).exists()


def is_lead_member(user, provider) -> bool:
    if not _active(user):
        return False
    return provider.members.filter(user=user, role="lead").exists()


def works_on(user, engagement) -> bool:
    """Whether the person is of a provider actively assigned to this engagement.

    engagements.permissions.PARTICIPANT_CHECKS holds it (providers.apps): assigned providers
    see the engagement and co-author its reports. A removed provider sees nothing.
    """
    if not (_active(user) and user.has_perm(WORK)):
        return False
    return ProviderAssignment.objects.of_user(user).filter(engagement=engagement).exists()
