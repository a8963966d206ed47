"""Load the sample LEA directory and one approved demo person per role (DEBUG only)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from ccee_portal import demo
from core import roles
from engagements.demo import load_demo_engagement
from providers.demo import load_demo_providers
from reporting.demo import load_reporting_demo
from requests_intake import drafts, workflow
from requests_intake.models import AssistanceRequest, LeaMembership, LocalEducationalAgency


class Command(BaseCommand):
    help = "Load demo data: the sample LEA directory and the documented demo accounts."

    def handle(self, *args, **options):
        if not settings.DEMO_ACCOUNTS_ENABLED:
            raise CommandError(
                "Demo accounts have published passwords and are refused when DEBUG is off."
            )
        call_command("import_lea_directory", str(demo.SAMPLE_DIRECTORY), verbosity=0)
        with transaction.atomic():
            User = get_user_model()
            lea = LocalEducationalAgency.objects.get(cds_code=demo.DEMO_LEA_CDS)
            for account in demo.DEMO_ACCOUNTS:
                user, created = User.objects.get_or_create(
                    email=account["email"],
                    defaults={
                        "full_name": account["full_name"],
                        "job_title": account["job_title"],
                        "is_demo": True,
                        "email_verified_at": timezone.now(),
                    },
                )
                if created:
                    user.set_password(account["password"])
                    user.save(update_fields=["password"])
                roles.assign_role(user, account["role"])
                if account["role"] == roles.LEA_STAFF:
                    LeaMembership.objects.update_or_create(
                        user=user,
                        lea=lea,
                        defaults={
                            "status": LeaMembership.Status.APPROVED,
                            "decided_at": timezone.now(),
                        },
                    )
        created = self.demo_requests(lea)
        # The provider registry: vetted providers of each kind, one on the demo engagement.
        new_providers = load_demo_providers(
            reviewer=User.objects.get(email="reviewer@demo.ccee.test"),
            provider_user=User.objects.get(email="provider@demo.ccee.test"),
        )
        self.stdout.write(f"Provider registry demo: {new_providers} new provider(s).")
        # reporting (issue 17): initiatives, goals, key results and support records.
        self.stdout.write(f"Reporting demo: {load_reporting_demo()}.")
        self.stdout.write(
            f"Demo data ready: {LocalEducationalAgency.objects.count()} LEAs, "
            f"{len(demo.DEMO_ACCOUNTS)} demo accounts, {created} new demo request(s)."
        )

    def demo_requests(self, lea) -> int:
        """Submit two demo requests (once): one awaiting verification, one approved."""
        if AssistanceRequest.objects.filter(lea=lea).exists():
            return 0
        User = get_user_model()
        staff = User.objects.get(email="lea@demo.ccee.test")
        reviewer = User.objects.get(email="reviewer@demo.ccee.test")
        submitted = []
        for _ in range(2):
            req = drafts.draft_create(lea=lea, by=staff)
            for section, values in demo.DEMO_REQUEST_SECTIONS.items():
                req = drafts.draft_save_section(
                    assistance_request=req,
                    by=staff,
                    section=section,
                    values=values,
                    base_version=req.version,
                )
            submitted.append(drafts.request_attest_and_submit(assistance_request=req, by=staff))
        approved = workflow.assistance_request_verify(assistance_request=submitted[1], by=reviewer)
        workflow.assistance_request_approve(
            assistance_request=approved, by=reviewer, reason="Meets the threshold; tier 1."
        )
        return len(submitted) + self.demo_engagement(lea, staff, reviewer)

    def demo_engagement(self, lea, staff, reviewer) -> int:
        """A third request, approved and executed: an active engagement a year into its work."""
        agent = get_user_model().objects.get(email="agent@demo.ccee.test")
        req = drafts.draft_create(lea=lea, by=staff)
        for section, values in demo.DEMO_REQUEST_SECTIONS.items():
            req = drafts.draft_save_section(
                assistance_request=req,
                by=staff,
                section=section,
                values=values,
                base_version=req.version,
            )
        req = drafts.request_attest_and_submit(assistance_request=req, by=staff)
        req = workflow.assistance_request_verify(assistance_request=req, by=reviewer)
        req = workflow.assistance_request_approve(
            assistance_request=req, by=reviewer, reason="Meets the threshold."
        )
        load_demo_engagement(
            scope_of_work=req.scope_of_work, lea_staff=staff, reviewer=reviewer, agent=agent
        )
        return 1
