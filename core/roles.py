"""The portal's roles: Django groups and exactly the permissions each one needs.

The groups are created by a migration (accounts 0002); their permissions are set from ROLES after
every migrate, because permissions of models added later exist only once their migration ran.
Admin access follows `is_staff`, which `assign_role` sets for the roles that work in the admin.
"""

LEA_STAFF = "LEA staff"
CCEE_REVIEWER = "CCEE reviewer"
CCEE_LEAD = "CCEE lead"
ADMINISTRATIVE_AGENT = "Administrative agent"
ASSISTANCE_PROVIDER = "Assistance provider"

_REVIEWER_PERMISSIONS = [
    "requests_intake.view_localeducationalagency",
    "requests_intake.view_leamembership",
    "requests_intake.change_leamembership",
    "requests_intake.view_assistancerequest",
    "requests_intake.change_assistancerequest",
    "requests_intake.verify_assistancerequest",
    "requests_intake.decide_assistancerequest",
    "requests_intake.view_internal_notes",
    "requests_intake.view_attachment",
    "requests_intake.view_statuschange",
    "requests_intake.view_requestmessage",
    "requests_intake.view_internalnote",
    "requests_intake.add_internalnote",
    "notices.view_notice",
    "requests_intake.view_historicalassistancerequest",
    "contracts.view_scopeofwork",
    "contracts.change_scopeofwork",
    "contracts.add_activity",
    "contracts.change_activity",
    "contracts.delete_activity",
    "contracts.view_activity",
    "contracts.add_deliverable",
    "contracts.change_deliverable",
    "contracts.delete_deliverable",
    "contracts.view_deliverable",
    "contracts.add_costline",
    "contracts.change_costline",
    "contracts.delete_costline",
    "contracts.view_costline",
    "contracts.view_agreementdocument",
    "contracts.view_contractchange",
    "contracts.send_scopeofwork",
    # Engagements (h15, issue 15): reviewers and leads do everything there.
    "engagements.view_engagement",
    "engagements.change_engagement",
    "engagements.manage_engagement",
    "engagements.view_progressreport",
    "engagements.change_progressreport",
    "engagements.review_progressreport",
    "engagements.view_problemofpractice",
    "engagements.change_problemofpractice",
    "engagements.check_problemofpractice",
    "engagements.mark_success_story",
    "engagements.view_deliverable_status",
    # reporting (issue 17): the OKR report (read-only), its records and definitions
    "reporting.view_report",
    "reporting.view_initiative",
    "reporting.view_fiscalyear",
    "reporting.view_supportrecord",
    "reporting.view_importbatch",
    "reporting.view_keyresult",
    "reporting.view_keyresultentry",
    # The provider registry: vetting, notes, conflicts, members.
    "providers.view_provider",
    "providers.change_provider",
    "providers.vet_provider",
    "providers.view_vettingnotes",
    "providers.view_vettingnote",
    "providers.add_vettingnote",
    "providers.view_providerchange",
    "providers.view_providerconflict",
    "providers.add_providerconflict",
    "providers.change_providerconflict",
    "providers.delete_providerconflict",
    "providers.view_providermember",
    "providers.add_providermember",
    "providers.change_providermember",
    "providers.delete_providermember",
    "providers.view_providerassignment",
    # Matching: assign providers to work and end assignments (with a reason); cohorts.
    "providers.add_providerassignment",
    "providers.change_providerassignment",
    "providers.view_assignmentchange",
    "providers.view_cohort",
    "providers.add_cohort",
    "providers.change_cohort",
]
# reporting (issue 17): leads keep the initiatives, goals, definitions and key results, and
# import participation files.
_REPORTING_LEAD_PERMISSIONS = [
    "reporting.add_initiative",
    "reporting.change_initiative",
    "reporting.add_fiscalyear",
    "reporting.change_fiscalyear",
    "reporting.import_supportrecord",
    "reporting.add_keyresult",
    "reporting.change_keyresult",
    "reporting.delete_keyresult",
    "reporting.add_keyresultentry",
    "reporting.change_keyresultentry",
    "reporting.delete_keyresultentry",
]

ROLES: dict[str, dict] = {
    # Works only on the public site, on the requests of the LEAs where a reviewer approved the
    # person's membership; no admin access.
    LEA_STAFF: {
        "staff": False,
        "permissions": [
            "requests_intake.submit_assistancerequest",
            # With an approved membership of the engagement's LEA: indicators, team, reports.
            "engagements.change_progressreport",
            # sign and return the agreement of an LEA where the membership is approved.
            "contracts.return_signed_scopeofwork",
        ],
    },
    CCEE_REVIEWER: {"staff": True, "permissions": _REVIEWER_PERMISSIONS},
    CCEE_LEAD: {
        "staff": True,
        "permissions": _REVIEWER_PERMISSIONS
        + [
            "requests_intake.reassign_assistancerequest",
            "requests_intake.reopen_assistancerequest",
            "requests_intake.change_localeducationalagency",
            "notices.resend_notice",
            # a lead resets a person's two-step sign-in from the people's admin.
            "accounts.view_user",
            "accounts.reset_mfa",
            # Taking a provider off the registry is a lead's decision.
            "providers.remove_provider",
            "providers.add_provider",
        ]
        + _REPORTING_LEAD_PERMISSIONS,
    },
    # Contracts only: never the requests' internal notes or the triage admin.
    ADMINISTRATIVE_AGENT: {
        "staff": True,
        "permissions": [
            "contracts.view_scopeofwork",
            "contracts.change_scopeofwork",
            "contracts.approve_scopeofwork",
            "contracts.view_activity",
            "contracts.change_activity",
            "contracts.add_activity",
            "contracts.delete_activity",
            "contracts.view_deliverable",
            "contracts.change_deliverable",
            "contracts.add_deliverable",
            "contracts.delete_deliverable",
            "contracts.view_costline",
            "contracts.change_costline",
            "contracts.add_costline",
            "contracts.delete_costline",
            "contracts.view_agreementtemplate",
            "contracts.add_agreementtemplate",
            "contracts.view_agreementdocument",
            "contracts.add_agreementdocument",
            "contracts.view_contractchange",
            "contracts.view_closure",
            "contracts.add_closure",
            "contracts.change_closure",
            "contracts.delete_closure",
            # Engagements: the deliverables' status only, never narratives or notes (h15).
            "engagements.view_deliverable_status",
        ],
    },
}

# The people of a provider in the registry: the public site only, and there only their own
# provider's profile and the engagements it is assigned to (providers.selectors).
ROLES[ASSISTANCE_PROVIDER] = {
    "staff": False,
    "permissions": [
        "providers.work_as_provider",
        # Co-author the progress reports of assigned engagements (engagements.permissions).
        "engagements.change_progressreport",
    ],
}

STAFF_ROLES = tuple(name for name, role in ROLES.items() if role["staff"])
REVIEW_ROLES = (CCEE_REVIEWER, CCEE_LEAD)


def sync_role_permissions(sender=None, **kwargs):
    """Give each role group exactly the permissions ROLES declares (those that exist yet)."""
    from django.contrib.auth.models import Group, Permission
    from django.db.models import Q

    using = kwargs.get("using", "default")
    for name, role in ROLES.items():
        group, _ = Group.objects.using(using).get_or_create(name=name)
        wanted = Q(pk__in=[])
        for dotted in role["permissions"]:
            app_label, codename = dotted.split(".", 1)
            wanted |= Q(content_type__app_label=app_label, codename=codename)
        group.permissions.set(Permission.objects.using(using).filter(wanted))


def assign_role(user, role_name: str) -> None:
    """Put the user in the role's group and set admin access to match the role."""
    from django.contrib.auth.models import Group

    if role_name not in ROLES:
        raise ValueError(f"Unknown role {role_name!r}; roles are {', '.join(ROLES)}.")
    user.groups.add(Group.objects.get(name=role_name))
    if ROLES[role_name]["staff"] and not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])


def users_holding(permission: str):
    """Return the active people granted `permission` ("app_label.codename") by a group or directly.

    The people `has_perm` would answer yes for (superusers aside), as one query. Each way of
    holding it is a subquery of ids: joining the person to both ways at once multiplies every
    person by their groups' permissions and needs DISTINCT over all of them, a cost that grows
    with the number of people (about 3 ms at 1,000 LEA staff) for a handful of reviewers.
    """
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission
    from django.db.models import Q

    user_model = get_user_model()
    app_label, codename = permission.split(".", 1)
    wanted = Permission.objects.filter(codename=codename, content_type__app_label=app_label)
    through_group = user_model.groups.through.objects.filter(group__permissions__in=wanted).values(
        "user_id"
    )
    direct = user_model.user_permissions.through.objects.filter(permission__in=wanted).values(
        "user_id"
    )
    return user_model.objects.filter(Q(pk__in=through_group) | Q(pk__in=direct), is_active=True)
