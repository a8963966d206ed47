"""The authorization matrix: every URL pattern × persona × object of LEA A / LEA B (issue 18).

A declarative table. Each `Route` names a URL pattern (namespace:name, or the pattern itself for
the admin's unnamed ones), the object its arguments come from, and the status each persona gets
for LEA A's object and for LEA B's. tests/security/test_authorization_matrix.py requests every
cell, checks the status and that no foreign marker is in the body, and fails on a URL pattern
the table does not name. Adding a URL is one entry here (README, "Tests").

Personas: anonymous, lea_a (approved member of LEA A), lea_b (of LEA B), unapproved (pending
member of LEA A), reviewer, lead, agent, provider_a (a person of provider A, assigned to LEA A's
engagement), provider_b (of provider B, assigned to LEA B's). `expect` maps a persona to one
status for both objects, or to a pair (status for LEA A's object, status for LEA B's).
"""

from dataclasses import dataclass, field

from requests_intake.invitations import invitation_token

PROVIDER_PERSONAS = ("provider_a", "provider_b")
PERSONAS = (
    "anonymous",
    "lea_a",
    "lea_b",
    "unapproved",
    "reviewer",
    "lead",
    "agent",
    *PROVIDER_PERSONAS,
)
LEA_PERSONAS = ("lea_a", "lea_b", "unapproved")
# Signed in on the site, never in the admin.
SITE_PERSONAS = LEA_PERSONAS + PROVIDER_PERSONAS
STAFF = ("reviewer", "lead", "agent")
REVIEWERS = ("reviewer", "lead")


@dataclass(frozen=True)
class Route:
    name: str
    # What the URL's arguments come from: a key of the world's per-LEA objects (tests'
    # conftest), or None for a URL without one (requested once, the "A" column).
    obj: str | None = None
    args: tuple = ()  # callables of (objects of one LEA) -> argument
    expect: dict = field(default_factory=dict)
    # The page may name LEA B's objects to LEA A's staff only where it is theirs.
    why: str = ""

    def status(self, persona: str, side: str) -> int:
        value = self.expect[persona]
        if isinstance(value, tuple):
            return value[0] if side == "a" else value[1]
        return value


def every(status, **overrides):
    """The same status for every persona, but the named ones."""
    return {persona: overrides.get(persona, status) for persona in PERSONAS}


def signed_in(status, *, anonymous=302, **overrides):
    """Anonymous visitors are sent to sign in; everyone signed in gets `status`."""
    return every(status, anonymous=anonymous, **overrides)


# LEA A's staff get their own object and a 404 for LEA B's (and the reverse); the unapproved
# member of LEA A, staff and providers' people get a 404 for both unless the overrides say
# otherwise.
def members_only(ok=200, *, staff=404, unapproved=404, providers=404, **overrides):
    expect = {
        "anonymous": 302,
        "lea_a": (ok, 404),
        "lea_b": (404, ok),
        "unapproved": unapproved,
        **dict.fromkeys(STAFF, staff),
        **dict.fromkeys(PROVIDER_PERSONAS, providers),
    }
    expect.update(overrides)
    return expect


# Provider A's person gets provider A's object (and LEA A's engagement it is assigned to) and a
# 404 for B's; the reverse for provider B's person.
ASSIGNED = {"provider_a": (200, 404), "provider_b": (404, 200)}


def pk(key):
    return lambda objects: objects[key].pk


def county_token(confirmation):
    from requests_intake.county_confirmations import make_token

    return make_token(confirmation)


SITE = [
    # Staff go to the admin; a provider's person (of no LEA) to the provider's page.
    Route("home", expect=signed_in(200, **dict.fromkeys(STAFF + PROVIDER_PERSONAS, 302))),
    Route("healthz", expect=every(200)),
    Route("health", expect=every(200)),
    Route("accounts:login", expect=every(302, anonymous=200)),
    Route("accounts:logout", expect=every(405)),
    Route("accounts:verification_link", expect=every(200)),
    Route(
        "accounts:verify_email",
        obj="person",
        args=(pk("person"), lambda o: "bad-token"),
        expect=every(400),
    ),
    Route("accounts:password_reset", expect=every(200)),
    Route("accounts:password_reset_done", expect=every(200)),
    Route(
        "accounts:password_reset_confirm",
        obj="person",
        args=(lambda o: "MQ", lambda o: "set-password"),
        expect=every(200),
    ),
    Route("accounts:password_reset_complete", expect=every(200)),
    Route("accounts:password_change", expect=signed_in(200)),
    Route("accounts:password_change_done", expect=signed_in(200)),
    Route("accounts:mfa_manage", expect=signed_in(200)),
    Route("accounts:mfa_setup", expect=signed_in(200)),
    # People of the site (LEA staff, providers) who did not opt in have no code to give: they are
    # sent to set one up.
    Route("accounts:mfa_verify", expect=signed_in(200, **dict.fromkeys(SITE_PERSONAS, 302))),
    Route("accounts:signup", expect=every(302, anonymous=200)),
    Route("accounts:membership_request", expect=signed_in(200)),
    # The LEA picker's search: the public directory (active LEAs), for sign-up too.
    Route("accounts:lea_search", expect=every(200)),
    # Who belongs to an LEA: its approved members only; inviting is a POST.
    Route("accounts:lea_members", obj="lea", args=(pk("lea"),), expect=members_only()),
    Route("accounts:lea_invite", obj="lea", args=(pk("lea"),), expect=signed_in(405)),
    # An invitation's link: anonymous visitors go to sign-up with it; anyone signed in with
    # another address than the invited one gets a 404.
    Route(
        "accounts:invitation",
        obj="invitation",
        args=(lambda o: invitation_token(o["invitation"]),),
        expect=every(404, anonymous=302),
    ),
    Route("requests_intake:request_list", expect=signed_in(200)),
    Route("requests_intake:request_create", expect=signed_in(200)),
    Route(
        "requests_intake:request_detail",
        obj="request",
        args=(pk("request"),),
        expect=members_only(),
    ),
    Route(
        "requests_intake:request_review", obj="draft", args=(pk("draft"),), expect=members_only()
    ),
    Route(
        "requests_intake:request_section",
        obj="draft",
        args=(pk("draft"), lambda o: "need"),
        expect=members_only(),
    ),
    # The need section's school search: a fragment for the draft's LEA members only.
    Route(
        "requests_intake:school_search",
        obj="draft",
        args=(pk("draft"),),
        expect=members_only(),
    ),
    Route(
        "requests_intake:eligibility_preview",
        obj="draft",
        args=(pk("draft"),),
        expect=members_only(
            405, staff=405, unapproved=405, lea_a=405, lea_b=405, anonymous=405, providers=405
        ),
    ),
    Route(
        "requests_intake:request_submitted",
        obj="request",
        args=(pk("request"),),
        expect=members_only(),
    ),
    Route(
        "requests_intake:request_resubmit", obj="request", args=(pk("request"),), expect=every(405)
    ),
    # Evidence of a submitted request: its LEA's staff, and reviewers and leads.
    Route(
        "requests_intake:attachment_download",
        obj="attachment",
        args=(lambda o: o["request"].pk, pk("attachment")),
        expect=members_only(**dict.fromkeys(REVIEWERS, 200)),
    ),
    # Evidence of a draft never submitted: its LEA's staff alone (issue 18).
    Route(
        "requests_intake:attachment_download",
        obj="draft_attachment",
        args=(lambda o: o["draft"].pk, pk("draft_attachment")),
        expect=members_only(),
    ),
    Route(
        "requests_intake:attachment_delete",
        obj="draft_attachment",
        args=(lambda o: o["draft"].pk, pk("draft_attachment")),
        expect=every(405),
    ),
    Route(
        "contracts:scopeofwork_print",
        obj="sow",
        args=(pk("sow"),),
        expect=members_only(**dict.fromkeys(STAFF, 200)),
    ),
    Route(
        "contracts:document_download",
        obj="document",
        args=(pk("document"),),
        expect=members_only(**dict.fromkeys(STAFF, 200)),
    ),
    Route(
        "contracts:document_download",
        obj="document_pdf",
        args=(pk("document_pdf"),),
        expect=members_only(**dict.fromkeys(STAFF, 200)),
    ),
    Route("contracts:agreement_return", obj="sow", args=(pk("sow"),), expect=members_only()),
    Route("contracts:agreement_sign", obj="sow", args=(pk("sow"),), expect=signed_in(405)),
    Route("contracts:agreement_upload", obj="sow", args=(pk("sow"),), expect=signed_in(405)),
    # The confirmation page, stating the consequences, before the withdrawal (a POST).
    Route(
        "requests_intake:request_withdraw",
        obj="request",
        args=(pk("request"),),
        expect=members_only(),
    ),
    Route(
        "requests_intake:request_pdf", obj="request", args=(pk("request"),), expect=members_only()
    ),
    Route(
        "requests_intake:evidence_upload", obj="request", args=(pk("request"),), expect=every(405)
    ),
    # Engagements: its LEA's staff, and reviewers and leads; the agent sees deliverables only.
    Route("engagements:list", expect=signed_in(200)),
    # The provider assigned to the engagement sees it and co-authors its reports (below).
    Route(
        "engagements:detail",
        obj="engagement",
        args=(pk("engagement"),),
        expect=members_only(**dict.fromkeys(REVIEWERS, 200), **ASSIGNED),
    ),
    *(
        Route(
            f"engagements:{name}",
            obj="engagement",
            args=(pk("engagement"),),
            expect=members_only(**dict.fromkeys(REVIEWERS, 200)),
        )
        for name in (
            "indicator_add",
            "team_add",
            "problem_revise",
            "theory_revise",
            "closeout",
        )
    ),
    Route(
        "engagements:report_edit",
        obj="report",
        args=(lambda o: o["engagement"].pk, lambda o: o["report"].number),
        expect=members_only(**dict.fromkeys(REVIEWERS, 200), **ASSIGNED),
    ),
    Route(
        "engagements:consent",
        obj="engagement",
        args=(pk("engagement"),),
        expect=signed_in(405),
    ),
    Route(
        "engagements:attachment_download",
        obj="report_attachment",
        args=(pk("report_attachment"),),
        expect=members_only(**dict.fromkeys(REVIEWERS, 200), **ASSIGNED),
    ),
    # The provider registry: applying and the directory are public (staff apply nowhere: they
    # are sent to the admin); a provider's pages are its people's (and its lead's, to edit).
    Route("providers:apply", expect=every(200, **dict.fromkeys(STAFF, 302))),
    Route("providers:directory", expect=every(200)),
    Route("providers:home", expect=signed_in(200)),
    Route(
        "providers:profile",
        obj="provider",
        args=(pk("provider"),),
        expect=members_only(
            staff=404, **dict.fromkeys(REVIEWERS, 200), lea_a=404, lea_b=404, **ASSIGNED
        ),
    ),
    *(
        Route(
            f"providers:{name}",
            obj="provider",
            args=(pk("provider"),),
            expect=members_only(lea_a=404, lea_b=404, **ASSIGNED),
        )
        for name in ("profile_edit", "conflict_add")
    ),
    # The county office's and geographic lead's signed link: whoever holds a valid one gets the
    # page (what the contact must confirm, nothing else); a bad one opens nothing, for everyone.
    Route(
        "requests_intake:county_confirmation",
        obj="county_confirmation",
        args=(lambda o: county_token(o["county_confirmation"]),),
        expect=every(200),
    ),
    Route(
        "requests_intake:county_confirmation",
        obj="county_confirmation",
        args=(lambda o: county_token(o["county_confirmation"])[:-2] + "xx",),
        expect=every(404),
    ),
    # The public dashboard: counts only, for everyone.
    Route("reporting:public_dashboard", expect=every(200)),
    # The read API: a token, never the session (401 without one); its schema is public.
    Route("api-v1:openapi-json", expect=every(200)),
    Route("api-v1:api-root", expect=every(404)),
    Route("api-v1:list_requests", expect=every(401)),
    Route("api-v1:get_request", obj="request", args=(pk("request"),), expect=every(401)),
    Route("api-v1:list_engagements", expect=every(401)),
    Route("api-v1:get_engagement", obj="engagement", args=(pk("engagement"),), expect=every(401)),
    Route("api-v1:list_support_records", expect=every(401)),
    Route("api-v1:get_report", expect=every(401)),
]


# --- The admin ----------------------------------------------------------------------------------
# Everyone outside the admin (anonymous, LEA staff) is sent to the admin's sign-in (302). Staff
# get 200 where their role grants the model permission, 403 where it does not.

ADMIN_OUTSIDE = {"anonymous": 302, **dict.fromkeys(SITE_PERSONAS, 302)}


def staff(allowed=(), *, ok=200, refused=403, missing=None):
    """Staff in `allowed` get `ok`; other staff `refused`; outsiders the admin's sign-in."""
    return {**ADMIN_OUTSIDE, **{p: (ok if p in allowed else refused) for p in STAFF}}


@dataclass(frozen=True)
class AdminModel:
    """The five pages the admin makes for a model, and its bare object URL (a redirect)."""

    label: str  # app_model, e.g. "requests_intake_assistancerequest"
    obj: str | None  # world key of the object shown (None: an id no row has)
    view: tuple = ()
    add: tuple = ()
    delete: tuple = ()
    prefix: str = ""  # the admin's URL path of the model, e.g. "requests_intake/assistancerequest"

    def routes(self):
        args = (pk(self.obj),) if self.obj else (lambda o: "999999",)
        # A missing object: 302 to the admin index for those who may view the model.
        change_ok = 200 if self.obj else 302
        yield Route(f"admin:{self.label}_changelist", expect=staff(self.view))
        yield Route(f"admin:{self.label}_add", expect=staff(self.add))
        yield Route(
            f"admin:{self.label}_change",
            obj=self.obj or "lea",
            args=args,
            expect=staff(self.view, ok=change_ok),
        )
        yield Route(
            f"admin:{self.label}_history",
            obj=self.obj or "lea",
            args=args,
            expect=staff(self.view, ok=change_ok) if self.obj else staff(STAFF, ok=302),
        )
        yield Route(
            f"admin:{self.label}_delete",
            obj=self.obj or "lea",
            args=args,
            expect=staff(self.delete, ok=200 if self.obj else 302),
        )
        yield Route(
            f"admin/{self.prefix}/<path:object_id>/",
            obj=self.obj or "lea",
            args=args,
            expect={**ADMIN_OUTSIDE, **dict.fromkeys(STAFF, 302)},
        )


ADMIN_MODELS = [
    # django-otp's device admins: superusers only (leads reset from the people's admin).
    AdminModel("otp_totp_totpdevice", None, prefix="otp_totp/totpdevice"),
    AdminModel("otp_static_staticdevice", None, prefix="otp_static/staticdevice"),
    AdminModel("auth_group", None, prefix="auth/group"),
    AdminModel("axes_accessattempt", None, prefix="axes/accessattempt"),
    AdminModel("axes_accesslog", None, prefix="axes/accesslog"),
    AdminModel("axes_accessfailurelog", None, prefix="axes/accessfailurelog"),
    AdminModel("accounts_user", "person", view=("lead",), prefix="accounts/user"),
    AdminModel(
        "eligibility_assistancestatusrecord", None, prefix="eligibility/assistancestatusrecord"
    ),
    AdminModel(
        "eligibility_emergencyapportionment", None, prefix="eligibility/emergencyapportionment"
    ),
    AdminModel("notices_notice", "notice", view=REVIEWERS, prefix="notices/notice"),
    AdminModel(
        "requests_intake_localeducationalagency",
        "lea",
        view=REVIEWERS,
        prefix="requests_intake/localeducationalagency",
    ),
    AdminModel(
        "requests_intake_leamembership",
        "membership",
        view=REVIEWERS,
        prefix="requests_intake/leamembership",
    ),
    AdminModel(
        "requests_intake_internalnote",
        "note",
        view=REVIEWERS,
        prefix="requests_intake/internalnote",  # notes are added on the request's page
    ),
    AdminModel(
        "requests_intake_assistancerequest",
        "request",
        view=REVIEWERS,
        prefix="requests_intake/assistancerequest",
    ),
    AdminModel("contracts_scopeofwork", "sow", view=STAFF, prefix="contracts/scopeofwork"),
    AdminModel(
        "contracts_agreementtemplate",
        None,
        view=("agent",),
        add=("agent",),
        prefix="contracts/agreementtemplate",
    ),
    AdminModel(
        "contracts_agreementdocument",
        "document",
        view=STAFF,
        prefix="contracts/agreementdocument",
    ),
    AdminModel("contracts_contractchange", None, view=STAFF, prefix="contracts/contractchange"),
    AdminModel(
        "contracts_closure",
        None,
        view=("agent",),
        add=("agent",),
        delete=("agent",),
        prefix="contracts/closure",
    ),
    AdminModel(
        "engagements_engagement", "engagement", view=REVIEWERS, prefix="engagements/engagement"
    ),
    AdminModel(
        "engagements_progressreport", "report", view=REVIEWERS, prefix="engagements/progressreport"
    ),
    AdminModel(
        "engagements_problemofpractice",
        "problem",
        view=REVIEWERS,
        prefix="engagements/problemofpractice",
    ),
    AdminModel(
        "reporting_initiative", None, view=REVIEWERS, add=("lead",), prefix="reporting/initiative"
    ),
    AdminModel(
        "reporting_fiscalyear", None, view=REVIEWERS, add=("lead",), prefix="reporting/fiscalyear"
    ),
    AdminModel(
        "reporting_supportrecord",
        "support_record",
        view=REVIEWERS,
        prefix="reporting/supportrecord",
    ),
    AdminModel("reporting_importbatch", None, view=REVIEWERS, prefix="reporting/importbatch"),
    AdminModel(
        "reporting_keyresult",
        None,
        view=REVIEWERS,
        add=("lead",),
        delete=("lead",),
        prefix="reporting/keyresult",
    ),
    AdminModel("providers_cohort", None, view=REVIEWERS, add=REVIEWERS, prefix="providers/cohort"),
    AdminModel(
        "providers_provider", "provider", view=REVIEWERS, add=("lead",), prefix="providers/provider"
    ),
    # Tokens come from a management command; no role views them in the admin.
    AdminModel("reporting_apitoken", None, prefix="reporting/apitoken"),
]

ADMIN = [
    Route("admin:index", expect=staff(STAFF)),
    Route("admin:login", expect=every(302, anonymous=200, **dict.fromkeys(SITE_PERSONAS, 200))),
    Route("admin:logout", expect=staff(STAFF, ok=405)),
    Route("admin:password_change", expect=staff(STAFF)),
    Route("admin:password_change_done", expect=staff(STAFF)),
    Route("admin:autocomplete", expect=staff(refused=403, ok=403)),
    Route("admin:jsi18n", expect=staff(STAFF)),
    Route(
        "admin:view_on_site",
        obj="request",
        args=(lambda o: "0", lambda o: o["request"].pk),
        expect=staff(refused=404, ok=404),
    ),
    Route(
        "admin:app_list", args=(lambda o: "requests_intake",), expect=staff(REVIEWERS, refused=404)
    ),
    Route("admin/(?P<url>.*)$", args=(lambda o: "no-such-page/",), expect=staff(STAFF, ok=404)),
    Route(
        "admin:auth_user_password_change",
        obj="person",
        args=(pk("person"),),
        expect=staff(refused=403),
    ),
    # Custom pages of the reviewers' and the agent's admin.
    Route("admin:requests_intake_assistancerequest_dashboard", expect=staff(REVIEWERS)),
    Route(
        "admin:requests_intake_assistancerequest_transition",
        obj="request",
        # Decline is refused before anything is typed for a request only submitted (a 302 to
        # its page); asking for information opens its form.
        args=(pk("request"), lambda o: "request_information"),
        expect=staff(REVIEWERS),
    ),
    Route(
        "admin:requests_intake_assistancerequest_verified_facts",
        obj="request",
        args=(pk("request"),),
        expect=staff(REVIEWERS, ok=405, refused=403),
    ),
    Route(
        "admin:requests_intake_assistancerequest_recompute",
        obj="request",
        args=(pk("request"),),
        expect=staff(REVIEWERS, ok=405, refused=403),
    ),
    Route(
        "admin:requests_intake_assistancerequest_check_state_data",
        obj="request",
        args=(pk("request"),),
        expect=staff(REVIEWERS, ok=405, refused=403),
    ),
    Route(
        "admin:requests_intake_assistancerequest_county_resend",
        obj="county_confirmation",
        args=(lambda o: o["request"].pk, pk("county_confirmation")),
        expect=staff(REVIEWERS, ok=405, refused=403),
    ),
    Route(
        "admin:requests_intake_assistancerequest_county_document",
        obj="county_confirmation",
        args=(lambda o: o["request"].pk, pk("county_confirmation")),
        expect=staff(REVIEWERS),
    ),
    Route(
        "admin:requests_intake_assistancerequest_county_replace",
        obj="county_confirmation",
        args=(lambda o: o["request"].pk, pk("county_confirmation")),
        expect=staff(REVIEWERS, ok=405, refused=403),
    ),
    Route(
        "admin:requests_intake_assistancerequest_simple_history",
        obj="request",
        args=(pk("request"), lambda o: o["request"].history.first().history_id),
        expect=staff(REVIEWERS),
    ),
    Route(
        "admin:requests_intake_internalnote_simple_history",
        obj="note",
        args=(pk("note"), lambda o: o["note"].history.first().history_id),
        expect=staff(REVIEWERS),
    ),
    Route(
        "admin:requests_intake_leamembership_transition",
        obj="membership",
        args=(pk("membership"), lambda o: "reject"),
        expect=staff(REVIEWERS),
    ),
    Route("admin:contracts_dashboard", expect=staff(STAFF)),
    Route(
        "admin:contracts_scopeofwork_transition",
        obj="sow_v2",
        args=(pk("sow_v2"), lambda o: "send_to_agent"),
        # The draft's confirmation for reviewers and leads; the agent may not send it, and is
        # told so on the agreement's page before anything is typed (a 302).
        expect=staff(REVIEWERS, refused=302),
    ),
    Route(
        "admin:contracts_scopeofwork_negotiation", obj="sow", args=(pk("sow"),), expect=staff(STAFF)
    ),
    Route(
        "admin:contracts_scopeofwork_generate",
        obj="sow",
        args=(pk("sow"),),
        expect=staff(),  # a POST-only page: staff get 403 on GET
    ),
    Route(
        "admin:contracts_agreementtemplate_download",
        args=(lambda o: 999999,),
        expect=staff(("agent",), ok=404),
    ),
    Route("admin:contracts_agreementtemplate_default", expect=staff(("agent",))),
    Route("admin:otp_totp_totpdevice_config", obj="device", args=(pk("device"),), expect=staff()),
    Route("admin:otp_totp_totpdevice_qrcode", obj="device", args=(pk("device"),), expect=staff()),
    Route(
        "admin:contracts_scopeofwork_compare",
        obj="sow_v2",
        args=(pk("sow_v2"), lambda o: 2),
        expect=staff(STAFF),
    ),
    Route("admin:engagements_portfolio", expect=staff(REVIEWERS)),
    Route("admin:engagements_deliverables", expect=staff(STAFF)),
    Route(
        "admin:engagements_engagement_transition",
        obj="engagement",
        args=(pk("engagement"), lambda o: "pause"),
        expect=staff(REVIEWERS),
    ),
    Route(
        "admin:engagements_progressreport_transition",
        obj="report",
        args=(pk("report"), lambda o: "return"),  # the report is submitted: its feedback form
        expect=staff(REVIEWERS),
    ),
    *(
        Route(f"admin:reporting_report{page}", expect=staff(REVIEWERS))
        for page in ("", "_print", "_pdf", "_xlsx", "_csv")
    ),
    Route("admin:reporting_import", expect=staff(("lead",))),
    # Matching: the candidates of a request and of an engagement, ending an assignment, the
    # cohort suggestions (reviewers and leads; the agent has no provider permission).
    Route(
        "admin:providers_candidates_request",
        obj="request",
        args=(pk("request"),),
        expect=staff(REVIEWERS),
    ),
    Route(
        "admin:providers_candidates_engagement",
        obj="engagement",
        args=(pk("engagement"),),
        expect=staff(REVIEWERS),
    ),
    Route(
        "admin:providers_assignment_end",
        obj="assignment",
        args=(pk("assignment"),),
        expect=staff(REVIEWERS),
    ),
    Route("admin:providers_cohort_suggestions", expect=staff(REVIEWERS)),
    Route(
        "admin:providers_provider_transition",
        obj="provider",
        args=(pk("provider"), lambda o: "pause"),  # approved: the reason's page
        expect=staff(REVIEWERS),
    ),
]
for model in ADMIN_MODELS:
    ADMIN.extend(model.routes())

ROUTES = SITE + ADMIN

# URL patterns the matrix does not request, each with the reason. Keep this short.
NOT_REQUESTED = {
    "health_worker": "answers only with a live Celery worker (compose's worker health check); "
    "the proxy never serves /health/ outside",
}
