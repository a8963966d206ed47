"""From application to engagement in a real browser: a coach applies to the registry, a reviewer
vets and approves it, finds it among the ranked candidates of an approved request (each
component's points shown), assigns it with a role and days, and, once the request's agreement is
executed through the contracts services, the coach sees the engagement on the provider's page and
opens it. axe-core finds nothing serious or critical on any page visited."""

from datetime import timedelta

from django.utils import timezone

from accounts.services import user_verify_email
from contracts.models import Deliverable
from providers.models import Provider, ProviderAssignment
from tests.browser.conftest import axe_violations, sign_in, sign_in_admin
from tests.contracts.flow import advance
from tests.factories import PASSWORD, approved_request


def _apply(page):
    page.goto("/providers/apply/")
    assert axe_violations(page) == []
    page.get_by_label("Full name").fill("Maria Lopez")
    page.get_by_label("Email address").fill("maria@coach.example.org")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.get_by_label("A district success coach (an individual or a team)").check()
    page.get_by_label("Name of the provider").fill("Maria Lopez Coaching")
    page.get_by_label("Your experience building capacity in school systems").fill(
        "Twelve years as a principal, then five coaching district leading teams in literacy."
    )
    page.get_by_label("Contact email").fill("maria@coach.example.org")
    for label in ("English learners", "Quality of teaching", "Grades 1–5", "Alameda", "Spanish"):
        page.get_by_label(label, exact=True).check()
    page.get_by_label("Engagements you can take on at once").fill("2")
    page.get_by_label("References: systems you helped improve, and whom CCEE may ask").fill(
        "Sample Unified: the assistant superintendent."
    )
    page.get_by_role("button", name="Send the application").click()
    assert page.get_by_role("heading", name="Check your email").is_visible()
    assert axe_violations(page) == []


def _vet(page, provider):
    page.goto(f"/admin/providers/provider/{provider.pk}/change/")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Start the review").click()
    page.get_by_role("button", name="Start the review").or_(
        page.locator('input[type="submit"][value="Start the review"]')
    ).click()
    page.get_by_role("link", name="Approve", exact=True).click()
    page.get_by_label("Reason (the provider is told it)").fill("References checked.")
    page.get_by_role("button", name="Approve").or_(
        page.locator('input[type="submit"][value="Approve"]')
    ).click()
    page.wait_for_load_state()
    provider.refresh_from_db()
    assert provider.status == Provider.Status.APPROVED


def _approved_request(lea, lea_staff, reviewer):
    req = approved_request(
        reviewer=reviewer,
        lea=lea,
        created_by=lea_staff,
        problem_of_practice="Grade 3-5 English learners are not reaching reading proficiency.",
    )
    sow = req.scope_of_work
    today = timezone.localdate()
    sow.term_start, sow.term_end = today - timedelta(days=10), today + timedelta(days=360)
    sow.term_reason = "A school year of coaching cycles."
    sow.save(update_fields=["term_start", "term_end", "term_reason"])
    Deliverable.objects.create(scope_of_work=sow, title="Coaching cycles", due_date=sow.term_end)
    return req


def _match_and_assign(page, req, provider):
    page.goto(f"/admin/requests_intake/assistancerequest/{req.pk}/change/")
    page.get_by_role("link", name="Provider candidates").click()
    assert page.get_by_role("heading", name=f"Provider candidates for {req.reference}").is_visible()
    row = page.locator(f"#candidate-{provider.pk}")
    for label in ("Expertise overlap", "Success on similar past engagements", "Region"):
        assert row.get_by_text(label).is_visible()
    assert axe_violations(page) == []
    # Ticked without a role or days: said next to the fields, nobody assigned.
    page.get_by_label("Assign Maria Lopez Coaching").check()
    page.get_by_role("button", name="Assign the ticked providers").click()
    assert page.get_by_text("Give the provider's role.").is_visible()
    assert not ProviderAssignment.objects.exists()
    assert axe_violations(page) == []
    page.get_by_label("Role of Maria Lopez Coaching").fill("Lead coach")
    page.get_by_label("Days committed by Maria Lopez Coaching").fill("12")
    page.get_by_role("button", name="Assign the ticked providers").click()
    assert page.get_by_text("Assigned: Maria Lopez Coaching.").is_visible()
    assert page.locator("#active-assignments").get_by_text("Lead coach").is_visible()
    assert axe_violations(page) == []


def test_a_provider_applies_is_vetted_matched_assigned_and_sees_its_engagement(
    page, reviewer, agent, lea, lea_staff
):
    _apply(page)
    provider = Provider.objects.get()
    person = provider.members.get().user
    user_verify_email(user=person)

    sign_in_admin(page, reviewer)
    _vet(page, provider)
    req = _approved_request(lea, lea_staff, reviewer)
    _match_and_assign(page, req, provider)
    assignment = ProviderAssignment.objects.get()
    assert (assignment.role, assignment.days_committed) == ("Lead coach", 12)

    # Before execution the provider sees the engagement to be; after, the engagement itself.
    page.context.clear_cookies()
    sign_in(page, person)
    assert page.get_by_text("the agreement is being prepared").is_visible()
    assert axe_violations(page) == []
    sow = req.scope_of_work
    advance(sow, sow.Status.EXECUTED, reviewer=reviewer, agent=agent)
    assignment.refresh_from_db()
    assert assignment.engagement is not None
    page.goto("/providers/")
    link = page.get_by_role("link", name=f"{req.reference} — {lea.name}")
    assert link.is_visible()
    assert page.get_by_text("your role: Lead coach").is_visible()
    assert axe_violations(page) == []
    link.click()
    page.wait_for_load_state()
    assert req.reference in page.content()
    assert axe_violations(page) == []
