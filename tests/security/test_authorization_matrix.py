"""Every URL pattern × persona × object of LEA A / LEA B: the status, and no foreign marker.

The table is tests/security/matrix.py; this file builds the world (two LEAs, each with a
submitted request and its evidence and internal note, a draft with evidence, an approved request
with its agreement document (Word and PDF), a membership and a notice, an engagement under way
with a submitted progress report, its attachment and a problem-of-practice version, a scope of
work at its second version, a support record), signs each persona in, and requests every cell.
One test per persona, so a failure lists every wrong cell of that persona at once.
"""

import re

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from core import roles
from requests_intake.models import InternalNote, LeaInvitation, LeaMembership
from tests.contracts.flow import advance, checked_signed_pdf
from tests.engagements.flow import add_indicator, executed_engagement, fill_report
from tests.factories import (
    TINY_PDF,
    AttachmentFactory,
    DraftRequestFactory,
    LeaFactory,
    MembershipFactory,
    ProviderFactory,
    ProviderMemberFactory,
    SupportRecordFactory,
    UserFactory,
    approved_request,
    assign_provider,
    submitted_request,
)
from tests.mfa import enrol_totp

from .matrix import NOT_REQUESTED, PERSONAS, ROUTES

pytestmark = pytest.mark.django_db

INTERNAL_MARKER = "MARKER-INTERNAL-NOTE"


def marker(side):
    return f"MARKER-LEA-{side.upper()}-PRIVATE"


def provider_marker(side):
    return f"MARKER-PROVIDER-{side.upper()}-PRIVATE"


def _provider_objects(side, objects, reviewer):
    """Provider A (or B): approved, with a person, a vetting note (internal), a declared
    conflict, assigned to that side's engagement."""
    from providers import services as providers

    provider = ProviderFactory(
        name=f"Provider {side.upper()}", references=f"{provider_marker(side)} references"
    )
    person = ProviderMemberFactory(provider=provider).user
    providers.vetting_note_add(
        provider=provider, by=reviewer, criterion="other", text=f"{INTERNAL_MARKER} vetting {side}"
    )
    assign_provider(provider, engagement=objects["engagement"], by=reviewer)
    return provider, person


def _objects(side, lea, member, reviewer, agent):
    from contracts.models import ScopeOfWork

    text = marker(side)
    request = submitted_request(lea=lea, by=member, problem_of_practice=f"{text} problem")
    note = InternalNote.objects.create(
        request=request, author=reviewer, body=f"{INTERNAL_MARKER} {side}"
    )
    attachment = AttachmentFactory(
        request=request, uploaded_by=member, original_name=f"{text}-evidence.pdf"
    )
    draft = DraftRequestFactory(lea=lea, created_by=member, problem_of_practice=f"{text} draft")
    draft_attachment = AttachmentFactory(
        request=draft, uploaded_by=member, original_name=f"{text}-draft-evidence.pdf"
    )
    approved = approved_request(
        reviewer=reviewer, lea=lea, created_by=member, problem_of_practice=f"{text} approved"
    )
    sow = advance(
        approved.scope_of_work, ScopeOfWork.Status.SENT_TO_LEA, reviewer=reviewer, agent=agent
    )
    from notices.models import Notice
    from requests_intake.county_confirmations import county_confirmations_open

    request.coe_contact_name, request.coe_contact_email = "Casey Moreno", f"coe-{side}@example.org"
    (county_confirmation,) = county_confirmations_open(request)
    county_confirmation.file.save("letter.pdf", ContentFile(TINY_PDF))
    county_confirmation.file_name = "letter.pdf"
    county_confirmation.file_content_type = "application/pdf"
    county_confirmation.save(update_fields=["file", "file_name", "file_content_type"])

    return {
        **_engagement_objects(text, lea, member, reviewer, agent),
        "lea": lea,
        "person": member,
        "request": request,
        "note": note,
        "attachment": attachment,
        "draft": draft,
        "draft_attachment": draft_attachment,
        "sow": sow,
        # Sending makes the agreement twice: the Word document and its PDF.
        "document": sow.documents.filter(kind="sent", extension=".docx").get(),
        "document_pdf": sow.documents.filter(kind="sent", extension=".pdf").get(),
        "membership": LeaMembership.objects.get(user=member, lea=lea),
        # An authenticator the person started to add (unconfirmed: they have no second factor).
        "device": TOTPDevice.objects.create(user=member, name="Phone", confirmed=False),
        "notice": Notice.objects.filter(request=request).order_by("pk").first(),
        # A colleague's invitation to the LEA, for an address none of the personas has.
        "invitation": LeaInvitation.objects.create(
            lea=lea, email=f"colleague-{side}@example.org", invited_by=member
        ),
        "county_confirmation": county_confirmation,
    }


def _engagement_objects(text, lea, member, reviewer, agent):
    """An engagement under way (indicator, team, schedule of reports, a report's attachment, a
    problem-of-practice version), a scope of work at its second version, a support record."""
    from contracts import services as contracts
    from contracts.models import ScopeOfWork
    from engagements import services
    from requests_intake.models import AssistanceRequest

    engagement = executed_engagement(lea=lea, lea_staff=member, reviewer=reviewer, agent=agent)
    AssistanceRequest.objects.filter(pk=engagement.request_id).update(
        problem_of_practice=f"{text} engagement"
    )
    add_indicator(engagement, member)
    services.team_member_add(
        engagement=engagement, by=member, name="Dana Diaz", role="Principal", email=member.email
    )
    engagement = services.engagement_activate(engagement=engagement, by=reviewer)
    problem = services.problem_of_practice_revise(
        engagement=engagement, by=member, text=f"{text} problem version", reason="Sharper."
    )
    report = engagement.reports.order_by("number").first()
    services.progress_report_submit(report=fill_report(report, member), by=member)
    report_attachment = services.attachment_store(
        report=report, by=member, checked=checked_signed_pdf()
    )
    report_attachment.original_name = f"{text}-report-evidence.pdf"
    report_attachment.save(update_fields=["original_name"])
    # A scope of work sent, returned for revisions and revised: version 2, comparable to 1.
    revised = approved_request(
        reviewer=reviewer, lea=lea, created_by=member, problem_of_practice=f"{text} revised"
    ).scope_of_work
    advance(revised, ScopeOfWork.Status.REVISIONS_REQUESTED, reviewer=reviewer, agent=agent)
    contracts.scope_of_work_revise(scope_of_work=revised, by=reviewer)
    revised.refresh_from_db()
    return {
        "engagement": engagement,
        "report": report,
        "report_attachment": report_attachment,
        "problem": problem,
        "sow_v2": revised,
        "support_record": SupportRecordFactory(lea=lea),
        "assignment": assign_provider(ProviderFactory(), engagement=engagement, by=reviewer),
    }


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private"
    settings.PRIVATE_MEDIA_ROOT = settings.MEDIA_ROOT
    reviewer = UserFactory(role=roles.CCEE_REVIEWER)
    lead = UserFactory(role=roles.CCEE_LEAD)
    agent = UserFactory(role=roles.ADMINISTRATIVE_AGENT)
    for person in (reviewer, lead, agent):
        enrol_totp(person)
    lea_a, lea_b = LeaFactory(name="Alpha Unified"), LeaFactory(name="Bravo Unified")
    member_a = MembershipFactory(lea=lea_a).user
    member_b = MembershipFactory(lea=lea_b).user
    people = {
        "anonymous": None,
        "lea_a": member_a,
        "lea_b": member_b,
        "unapproved": MembershipFactory(lea=lea_a, status="pending").user,
        "reviewer": reviewer,
        "lead": lead,
        "agent": agent,
    }
    objects = {
        "a": _objects("a", lea_a, member_a, reviewer, agent),
        "b": _objects("b", lea_b, member_b, reviewer, agent),
    }
    for side in ("a", "b"):
        objects[side]["provider"], people[f"provider_{side}"] = _provider_objects(
            side, objects[side], reviewer
        )
    return people, objects


def _foreign_markers(persona):
    """What this persona's pages may never show."""
    a, b = marker("a"), marker("b")
    pa, pb = provider_marker("a"), provider_marker("b")
    return {
        "anonymous": [a, b, pa, pb, INTERNAL_MARKER],
        "lea_a": [b, pa, pb, INTERNAL_MARKER],
        "lea_b": [a, pa, pb, INTERNAL_MARKER],
        "unapproved": [a, b, pa, pb, INTERNAL_MARKER],
        "reviewer": [],
        "lead": [],
        "agent": [pa, pb, INTERNAL_MARKER],
        # A provider's person sees the engagement it is assigned to (its LEA's words there),
        # never the other LEA's, the other provider's, nor any internal or vetting note.
        "provider_a": [b, pb, INTERNAL_MARKER],
        "provider_b": [a, pa, INTERNAL_MARKER],
    }[persona]


def url_of(route, objects):
    args = [arg(objects) for arg in route.args]
    if "/" not in route.name:
        return reverse(route.name, args=args)
    # An unnamed pattern: its arguments in place of its converters, in order.
    path = "/" + route.name.replace("(?P<url>.*)$", "{}")
    path = re.sub(r"<[^>]+>", "{}", path)
    return path.format(*args)


def _cells(route):
    return ("a", "b") if route.obj else ("a",)


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_gets_what_the_matrix_says_and_nothing_foreign(world, persona):
    people, objects = world
    client = Client()
    if people[persona] is not None:
        client.force_login(people[persona])
    wrong = []
    for route in ROUTES:
        for side in _cells(route):
            url = url_of(route, objects[side])
            response = client.get(url)
            expected = route.status(persona, side)
            raw = b"".join(response.streaming_content) if response.streaming else response.content
            body = raw.decode(errors="replace")
            leaked = [m for m in _foreign_markers(persona) if m in body]
            if response.status_code != expected or leaked:
                wrong.append(
                    f"{route.name} [{side}] {url}: {response.status_code} "
                    f"(expected {expected}){' leaks ' + str(leaked) if leaked else ''}"
                )
    assert not wrong, f"{persona}:\n" + "\n".join(wrong)


def _patterns(resolver=None, prefix="", namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = (
                f"{namespace}:{entry.namespace}"
                if entry.namespace and namespace
                else (entry.namespace or namespace)
            )
            yield from _patterns(entry, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            if entry.name:
                yield f"{namespace}:{entry.name}" if namespace else entry.name
            else:
                yield prefix + str(entry.pattern)


def test_every_url_pattern_is_in_the_matrix():
    covered = {route.name for route in ROUTES} | set(NOT_REQUESTED)
    missing = sorted(set(_patterns()) - covered)
    assert not missing, (
        "URL patterns the authorization matrix does not cover; add each to "
        f"tests/security/matrix.py: {missing}"
    )


def test_the_matrix_names_no_url_pattern_that_does_not_exist():
    stale = sorted({route.name for route in ROUTES} - set(_patterns()))
    assert not stale, f"entries of tests/security/matrix.py with no URL pattern: {stale}"
