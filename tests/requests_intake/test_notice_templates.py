"""Every request notice has its own text and HTML body, names the request and links to it."""

import pytest
from django.conf import settings
from django.template.loader import select_template
from django.urls import reverse

from notices import rendering
from requests_intake import notice_kinds, notices
from requests_intake.notice_kinds import K
from tests.factories import submitted_request

REQUEST_KINDS = [kind for kind in K.values if not kind.startswith("contract_")]


@pytest.fixture
def submitted(db, reviewer):
    req = submitted_request(primary_contact_name="Jordan <Lee>")
    req.assigned_to = reviewer
    return req


def sent(rendered):
    """Return a rendered (subject, text, html) as it is sent: links completed from SITE_URL."""
    return tuple(rendering.at_send(part) for part in rendered)


def lea_person(req):
    return notices.Recipient(req.primary_contact_email, None, req.primary_contact_name, "lea")


@pytest.mark.parametrize("kind", REQUEST_KINDS)
def test_every_request_kind_has_its_own_text_and_html_template(kind):
    for ext in ("txt", "html"):
        found = select_template([f"requests_intake/notices/{kind}.{ext}"])
        assert found.template.name == f"requests_intake/notices/{kind}.{ext}"


@pytest.mark.parametrize("kind", REQUEST_KINDS)
def test_notice_to_the_lea_names_the_request_and_links_to_its_site_page(submitted, kind):
    subject, text, html = sent(
        notices.render_notice(
            kind, submitted, lea_person(submitted), {"reason": "Because.", "message": "Add data."}
        )
    )
    site_link = settings.SITE_URL + reverse("requests_intake:request_detail", args=[submitted.pk])
    assert submitted.reference in subject
    assert submitted.reference in text and submitted.reference in html
    assert site_link in text
    assert f'href="{site_link}"' in html
    assert "/admin/" not in text + html
    # Text is plain; HTML escapes what people typed.
    assert "Hello Jordan <Lee>," in text
    assert "Hello Jordan &lt;Lee&gt;," in html
    assert "<html" in html and "<html" not in text


@pytest.mark.parametrize("kind", REQUEST_KINDS)
def test_notice_to_staff_links_to_the_admin_page(submitted, reviewer, kind):
    _, text, html = sent(
        notices.render_notice(
            kind,
            submitted,
            notices.staff_recipient(reviewer),
            {"reason": "Because.", "by": reviewer},
        )
    )
    admin_link = settings.SITE_URL + reverse(
        "admin:requests_intake_assistancerequest_change", args=[submitted.pk]
    )
    assert admin_link in text
    assert f'href="{admin_link}"' in html


def test_receipt_gives_the_reference_receipt_time_and_verification_deadline(submitted):
    _, text, _ = notices.render_notice(K.RECEIPT, submitted, lea_person(submitted), {})
    assert "within 48 hours of receipt" in text
    due = submitted.verification_due_at
    assert str(due.astimezone().year) in text
    assert "CCEE received your Request for Assistance" in text


def test_verification_notice_explains_the_determination_and_what_happens_next(submitted):
    _, text, html = notices.render_notice(K.VERIFIED, submitted, lea_person(submitted), {})
    plain = notices.determination_in_plain_words(submitted.determination)
    assert plain["pathways"]
    for pathway in plain["pathways"]:
        assert pathway in text and pathway in html
    assert f"Cost: {plain['cost']}" in text
    assert "What happens next" in text and "What happens next" in html


def test_information_request_quotes_the_reviewers_message(submitted):
    _, text, html = notices.render_notice(
        K.INFORMATION_REQUESTED,
        submitted,
        lea_person(submitted),
        {"message": "Attach the county superintendent's letter & the LCAP goal."},
    )
    assert "Attach the county superintendent's letter & the LCAP goal." in text
    assert "letter &amp; the LCAP goal." in html
    assert "resubmit" in text


def test_approval_says_contract_development_starts_within_five_business_days(submitted):
    _, text, _ = notices.render_notice(K.APPROVED, submitted, lea_person(submitted), {})
    assert "starts developing the contract" in text
    assert "five business days" in text


def test_decline_gives_the_reason(submitted):
    _, text, html = notices.render_notice(
        K.DECLINED, submitted, lea_person(submitted), {"reason": "The request duplicates 2025-3."}
    )
    assert "The reason:\nThe request duplicates 2025-3." in text
    assert "The request duplicates 2025-3." in html


def test_reminder_to_an_unassigned_request_asks_someone_to_take_it(submitted, reviewer):
    submitted.assigned_to = None
    _, text, _ = notices.render_notice(
        K.VERIFICATION_REMINDER, submitted, notices.staff_recipient(reviewer), {}
    )
    assert "Nobody is assigned to it yet" in text
    assert "(48 hours after receipt)" in text


def test_every_subject_names_the_reference():
    for kind, subject in notice_kinds.SUBJECTS.items():
        assert "{ref}" in subject, kind
    assert set(notice_kinds.SUBJECTS) == set(K.values)
