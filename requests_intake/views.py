"""LEA-facing request pages: My requests, drafting by section, submission and follow-up.

Every page reads the request through a selector that limits it to the person's approved LEAs,
so a request that is not theirs is a 404 like one that does not exist.
"""

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse, HttpResponseBadRequest, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from core.files import private_file_response
from core.pagination import IdsFirstPaginator
from eligibility import rules
from eligibility.statute import STATUTE

from . import documents, drafts, notices, permissions, progress, selectors, state_data, workflow
from .forms import (
    SECTION_FORMS,
    AttestationForm,
    ContactFormSet,
    EvidenceUploadForm,
    NewRequestForm,
    PartnerFormSet,
    ReplyForm,
    RequestListFilterForm,
    WithdrawForm,
    contact_rows,
    partner_rows,
)
from .models import (
    AssistanceRequest,
    AssistanceType,
    Attachment,
    EvidenceFor,
    LocalEducationalAgency,
)
from .panels import render_panels
from .schools import schools_of
from .validation import submission_problems
from .waiting import waiting_on

S = AssistanceRequest.Status
STASH_PREFIX = "intake_stash:"
SECTION_SLUGS = list(drafts.SECTIONS)
FORMSETS = {"contacts": (ContactFormSet, "contacts"), "threshold": (PartnerFormSet, "partners")}
PREVIEW_SECTIONS = ("eligibility", "threshold")


# My requests shows this many a page.
REQUESTS_PER_PAGE = 25


def _sections_nav(req, current):
    """Return the section navigation, each section with its state (complete, problems, …)."""
    states = progress.section_states(req)
    return [
        {
            "slug": slug,
            "title": title,
            "number": index,
            "url": reverse("requests_intake:request_section", args=[req.pk, slug]),
            "current": slug == current,
            "state": states.get(slug, ""),
            "state_label": progress.STATE_LABELS.get(states.get(slug), ""),
        }
        for index, (slug, title) in enumerate(drafts.SECTIONS.items(), start=1)
    ]


def _problem_links(req, problems: dict) -> list[dict]:
    """Return each submission problem with a link to the field in its section."""
    rows = []
    for name, field_messages in problems.items():
        slug = drafts.FIELD_SECTION.get(name, "review")
        url = reverse("requests_intake:request_section", args=[req.pk, slug])
        anchor = f"id_{name}_0" if name in ("assistance_types", "board_approval") else f"id_{name}"
        for message in field_messages:
            rows.append(
                {
                    "section": drafts.SECTIONS[slug],
                    "label": drafts.FIELD_LABELS.get(name, name),
                    "message": message,
                    "url": f"{url}?check=1#{anchor}",
                }
            )
    return rows


def state_data_rows(data_facts: dict) -> list[dict]:
    """Return the facts the state's data answers as the LEA's pages list them."""
    return [
        {"label": rules.FACT_LABELS[name], "value": fact["value"], "source": fact["source"]}
        for name, fact in data_facts.items()
    ]


def preview_determination(
    req, values: dict | None = None, other_partners=None, data_facts: dict | None = None
):
    """Return (determination, note): the rules run on the saved facts with `values` over them.

    The facts the state's data answers take the data's value, as they will on submission.
    """
    facts = req.eligibility_facts()
    for name, value in (values or {}).items():
        if name in rules.BOOLEAN_FIELDS or name == "estimated_months":
            facts[name] = value
        elif name == "lea_type":
            facts["lea_type"] = value or req.lea.lea_type
        elif name == "partner_county_office":
            facts["partners"]["county_office"] = value
        elif name == "partner_geographic_lead":
            facts["partners"]["geographic_lead"] = value
    if other_partners is not None:
        facts["partners"]["other"] = other_partners
    if data_facts is None:
        data_facts = state_data.data_facts_for(req.lea)
    facts = state_data.with_data(facts, data_facts)
    try:
        return workflow.evaluate_request(req, facts), ""
    except rules.FactsError as error:
        if error.field == "estimated_months":
            return None, (
                "The preview appears once section 3 (CCEE's minimum threshold) gives the months "
                "needed to address the presenting need."
            )
        return None, f"The preview cannot be shown yet: {rules.FACT_LABELS.get(error.field, '')}"


def _ready(form):
    """Return the form with its fields tied to their help and messages, ready to render."""
    form.prepare_display()
    return form


def _assistance_labels(req) -> list[str]:
    labels = dict(AssistanceType.choices)
    return [str(labels.get(value, value)) for value in req.assistance_types or []]


# --- My requests ------------------------------------------------------------------------------

# A number no request has yet, put in an address to find where a request's number goes.
_ANY_PK = 987654321987


def _page_address(url_name):
    """Return a function of a request's pk giving its page's address, reversing it only once.

    reverse() for each of 25 rows was about 5 % of My requests.
    """
    pattern = reverse(url_name, args=[_ANY_PK])
    head, tail = pattern.split(str(_ANY_PK))
    return lambda pk: f"{head}{pk}{tail}"


@login_required
def request_list(request):
    """List the requests of the person's approved LEAs, a page at a time, with what each waits on.

    `?status=` narrows the list to one status; a status that is not one is said next to the
    field, and the whole list is shown.
    """
    form = RequestListFilterForm(request.GET or None)
    lea_ids = selectors.member_lea_ids(request.user)
    ids = selectors.request_ids_for_member(request.user, lea_ids)
    status = form.chosen_status() if form.is_bound else ""
    if status:
        ids = ids.filter(status=status)
    paginator = IdsFirstPaginator(ids, REQUESTS_PER_PAGE, rows=selectors.member_list_rows)
    page = paginator.get_page(request.GET.get("page"))
    errors = form.prepare_display()
    url = _page_address("requests_intake:request_detail")
    return render(
        request,
        "requests_intake/assistancerequest_list.html",
        {
            "rows": [(req, waiting_on(req), url(req.pk)) for req in page],
            "page": page,
            "form": form,
            "errors": errors,
            "status": status,
            "status_label": S(status).label if status else "",
            "can_create": bool(lea_ids),
        },
    )


@login_required
def request_create(request):
    """Start a draft for one of the person's approved LEAs."""
    leas = selectors.approved_leas_for_user(request.user)
    form = NewRequestForm(request.POST or None, leas=leas)
    if request.method == "POST" and form.is_valid():
        try:
            req = drafts.draft_create(lea=form.cleaned_data["lea"], by=request.user)
        except drafts.DraftRefused as refusal:
            form.add_error("lea", str(refusal))
        else:
            messages.success(request, "Your draft is started. It is saved each time you save.")
            return redirect("requests_intake:request_section", req.pk, "contacts")
    errors = form.prepare_display()
    return render(
        request,
        "requests_intake/assistancerequest_create.html",
        {"form": form, "errors": errors, "has_leas": leas.exists()},
    )


# --- Drafting by section ----------------------------------------------------------------------


def _stash_post(request):
    """Keep what an expired session posted, for the same path, in the new anonymous session.

    Only one section's answers, and only up to ANONYMOUS_STASH_MAX_BYTES (a full section fits):
    an anonymous visitor cannot grow a session row with a large POST.
    """
    data = {key: request.POST.getlist(key) for key in request.POST if key != "csrfmiddlewaretoken"}
    for key in [key for key in request.session.keys() if key.startswith(STASH_PREFIX)]:  # noqa: SIM118
        del request.session[key]
    if len(json.dumps(data).encode()) > settings.ANONYMOUS_STASH_MAX_BYTES:
        messages.warning(request, drafts.STASH_TOO_LARGE)
        return
    request.session[STASH_PREFIX + request.path] = data


def _stash_as_querydict(stash: dict) -> QueryDict:
    data = QueryDict(mutable=True)
    for key, values in stash.items():
        data.setlist(key, values)
    return data


def _bind(slug, req, data=None, files=None):
    form_class = SECTION_FORMS[slug]
    if data is None:
        form = form_class(initial=form_class.initial_for(req), req=req)
    else:
        form = form_class(data, files, req=req)
    formset = None
    if slug in FORMSETS:
        formset_class, prefix = FORMSETS[slug]
        if data is None:
            rows = contact_rows(req) if slug == "contacts" else partner_rows(req)
            formset = formset_class(initial=rows, prefix=prefix)
        else:
            formset = formset_class(data, prefix=prefix)
    return form, formset


def refused_uploads(form) -> dict[str, list[str]]:
    """Return {evidence field: [why its file was refused]} for a bound section form."""
    names = getattr(form, "EVIDENCE_FIELDS", ())
    return {name: list(form.errors[name]) for name in names if name in form.errors}


def _savable(form, formset) -> bool:
    """Return whether the section can be saved: every field valid but refused files, if any.

    A refused file does not stop the save: the section's answers and the files accepted are
    saved, and the refused file's message is shown next to its field.
    """
    form.is_valid()
    if formset is not None and not formset.is_valid():
        return False
    return not (set(form.errors) - set(refused_uploads(form)))


def _save(request, req, slug, form, formset):
    """Validate and save a bound section; return (saved request, conflict or None)."""
    if not _savable(form, formset):
        return None, None
    rows = formset.rows() if formset is not None else None
    try:
        saved = drafts.draft_save_section(
            assistance_request=req,
            by=request.user,
            section=slug,
            values=form.section_values(),
            base_version=form.cleaned_data["version"],
            contacts=rows if slug == "contacts" else None,
            partners=rows if slug == "threshold" else None,
            uploads=form.uploads(),
        )
    except drafts.DraftConflict as conflict:
        return None, conflict
    return saved, None


def _login_or_stash(request):
    """Return the sign-in redirect for a visitor whose session expired, keeping what they posted."""
    if request.user.is_authenticated:
        return None
    if request.method == "POST":
        _stash_post(request)
    return redirect_to_login(request.get_full_path())


def request_section(request, pk, slug):
    """Show and save one section of a draft; an expired session's text is kept for after login."""
    if slug not in SECTION_FORMS:
        raise Http404("No such section.")
    if (to_login := _login_or_stash(request)) is not None:
        return to_login
    stash = request.session.pop(STASH_PREFIX + request.path, None)
    saving = request.method == "POST" or bool(stash)
    # A save that succeeds redirects: the contacts, partners and evidence are read for a page only.
    req = selectors.request_for_editing(request.user, pk, related=not saving)
    if not req.is_editable_by_lea:
        messages.info(request, "This request was submitted; it can no longer be changed here.")
        return redirect("requests_intake:request_detail", req.pk)
    if saving:
        outcome = _post_section(request, req, slug, stash)
        if not isinstance(outcome, tuple):
            return outcome
        form, formset, conflict = outcome
        selectors.with_editing_related(req)
    else:
        (form, formset), conflict = _bind(slug, req), None
    return render(
        request,
        f"requests_intake/section_{slug}.html",
        _section_context(request, req, slug, form, formset, conflict),
        status=409 if conflict is not None else 200,
    )


def _post_section(request, req, slug, stash):
    """Save what was posted (or stashed before sign-in): a redirect, or the forms to show again.

    A save refused for a conflict keeps the person's text, based on the current version, so
    that the next save keeps it knowingly: (form, formset, conflict).
    """
    if request.method == "POST":
        data, files = request.POST, request.FILES
    else:
        data, files = _stash_as_querydict(stash), None
        messages.info(request, drafts.STASH_APPLIED)
    form, formset = _bind(slug, req, data, files)
    try:
        saved, conflict = _save(request, req, slug, form, formset)
    except drafts.DraftRefused as refusal:
        messages.error(request, str(refusal))
        return redirect("requests_intake:request_detail", req.pk)
    refused = refused_uploads(form)
    if saved is not None and refused:
        return _after_refused_upload(request, saved, slug, form, refused)
    if saved is not None:
        messages.success(request, f"Saved {drafts.section_in_sentence(slug)}.")
        target = slug
        if request.method == "POST" and request.POST.get("action") == "continue":
            target = SECTION_SLUGS[SECTION_SLUGS.index(slug) + 1]
        return redirect("requests_intake:request_section", req.pk, target)
    _ask_to_choose_again(form)
    if conflict is not None:
        data = data.copy()
        data["version"] = str(conflict.current_version)
        form, formset = _bind(slug, req, data)
        form.is_valid()
        if formset is not None:
            formset.is_valid()
    return form, formset, conflict


def _after_refused_upload(request, saved, slug, form, refused):
    """Show the section saved without its refused files, each refusal next to its field."""
    names = ", ".join(
        str(form.fields[name].label) for name in form.EVIDENCE_FIELDS if name in refused
    )
    messages.warning(
        request,
        f"Saved {drafts.SECTIONS[slug].lower()}, with the files that were accepted. "
        f"A file was refused ({names}): see why below, then choose a corrected file.",
    )
    req = selectors.request_for_editing(request.user, saved.pk)
    fresh, formset = _bind(slug, req)
    return render(
        request,
        f"requests_intake/section_{slug}.html",
        _section_context(request, req, slug, fresh, formset, None, extra_problems=refused),
        status=400,
    )


def _ask_to_choose_again(form) -> None:
    """When a section is not saved, ask again for the files it did accept (not kept)."""
    for name in getattr(form, "EVIDENCE_FIELDS", ()):
        checked = getattr(form, "cleaned_data", {}).get(name)
        if checked:
            form.add_error(
                name,
                f"{checked.original_name} was not saved, because of the problems above: "
                "choose it again after fixing them.",
            )


def _section_context(request, req, slug, form, formset, conflict, extra_problems=None) -> dict:
    """Return what a section's page shows: its forms with their messages, and the preview."""
    problems = dict(extra_problems or {})
    if request.GET.get("check"):
        problems.update(
            {
                name: msgs
                for name, msgs in submission_problems(req).items()
                if drafts.FIELD_SECTION.get(name) == slug
            }
        )
    errors = form.prepare_display(problems)
    if formset is not None:
        errors += formset.prepare_display()
        errors += [
            {"id": "", "label": "", "message": message} for message in formset.non_form_errors()
        ]
    context = {
        "req": req,
        "slug": slug,
        "title": drafts.SECTIONS[slug],
        "sections": _sections_nav(req, slug),
        "form": form,
        "formset": formset,
        "errors": errors,
        "conflict": conflict,
        "conflict_values": _conflict_values(req, conflict, slug),
        "information_request": _latest_information_request(req),
    }
    if slug in PREVIEW_SECTIONS:
        data_facts = state_data.data_facts_for(req.lea)
        context["state_data"] = state_data_rows(data_facts)
        preview = _preview_for_forms(req, slug, form, formset, data_facts)
        context["determination"], context["preview_note"], context["preview_problems"] = preview
    if slug == "eligibility":
        context["evidence"] = _evidence_by_kind(req)
        context["statute"] = STATUTE
    if slug == "need":
        context.update(_need_context(req))
    if slug == "agreement":
        context["reimbursable"] = (req.determination_in_force or {}).get("cost_basis") == (
            rules.REIMBURSABLE
        ) or req.agrees_to_reimburse
    return context


def _need_context(req) -> dict:
    """Return what the need section shows besides its form: the state's DA status, the LCAP."""
    return {
        "da_from_data": state_data.da_status_for(req.lea),
        "lcap_files": [a for a in req.attachments.all() if a.evidence_for == EvidenceFor.LCAP],
        "school_search_url": reverse("requests_intake:school_search", args=[req.pk]),
    }


# The school search shows at most this many matches.
SCHOOL_SEARCH_LIMIT = 20


@login_required
def school_search(request, pk):
    """Return the LEA's schools matching `q` (name or CDS code), for the need section's search.

    A fragment for the search box (htmx); without scripts the field takes CDS codes typed in.
    """
    req = selectors.request_for_editing(request.user, pk)
    query = (request.GET.get("q") or "").strip()[:100]
    schools = []
    if len(query) >= 2:
        found = schools_of(req.lea).filter(status=LocalEducationalAgency.Status.ACTIVE)
        if query.isdigit():
            found = found.filter(cds_code__startswith=query)
        else:
            found = found.filter(name__icontains=query)
        schools = list(found.order_by("name")[:SCHOOL_SEARCH_LIMIT])
    return render(
        request,
        "requests_intake/partials/school_results.html",
        {"schools": schools, "query": query, "limit": SCHOOL_SEARCH_LIMIT},
    )


# A partner counts as engaged in the preview only with a possible "since" date.
SINCE_OF_PARTNER = {
    "partner_county_office": "partner_county_office_since",
    "partner_geographic_lead": "partner_geographic_lead_since",
}


def _preview_values(slug, form) -> tuple[dict, list[str]]:
    """Return (values the preview counts, messages for the values it cannot count).

    A value that is not possible (months out of range, a "since" date in the future) is not
    counted, and its message says why, instead of the preview silently using the saved one.
    """
    values = {
        name: form.cleaned_data[name]
        for name in drafts.SECTION_FIELDS[slug]
        if name in form.cleaned_data
    }
    problems = []
    for name in drafts.SECTION_FIELDS[slug]:
        for message in form.errors.get(name, []):
            problems.append(f"{form.fields[name].label}: {message}")
    for partner, since in SINCE_OF_PARTNER.items():
        if since in form.errors and partner in values:
            values[partner] = False
    return values, problems


def _preview_partners(formset) -> tuple[list[str] | None, list[str]]:
    """Return (other partners the preview counts, messages for the rows it cannot count)."""
    if formset is None or not formset.is_bound:
        return None, []
    formset.is_valid()
    names, problems = [], []
    for index, row in enumerate(formset.forms, start=1):
        if row.errors:
            for field, field_messages in row.errors.items():
                label = row.fields[field].label if field in row.fields else ""
                problems += [f"Other partner {index}, {label}: {m}" for m in field_messages]
        elif (found := row.row()) is not None:
            names.append(found["name"])
    return names, problems


def _preview_for_forms(req, slug, form, formset, data_facts=None):
    """Return (determination, note, problems) for the section's fields as the form holds them.

    With months that are not possible the preview shows the message and no determination.
    """
    if not form.is_bound:
        determination, note = preview_determination(req, {}, None, data_facts)
        return determination, note, []
    form.is_valid()
    values, problems = _preview_values(slug, form)
    others, partner_problems = _preview_partners(formset)
    problems += partner_problems
    if "estimated_months" in form.errors:
        return None, "", problems
    determination, note = preview_determination(req, values, others, data_facts)
    return determination, note, problems


def _conflict_values(req, conflict, slug) -> list[dict]:
    """Return the other person's saved values of this section's changed fields."""
    if conflict is None:
        return []
    fresh = AssistanceRequest.objects.get(pk=req.pk)
    return [
        {"label": drafts.FIELD_LABELS[name], "value": getattr(fresh, name)}
        for name in conflict.changed_fields
        if drafts.FIELD_SECTION.get(name) == slug
    ]


def _evidence_by_kind(req) -> dict:
    grouped = {kind: [] for kind in EvidenceFor.values}
    for attachment in req.attachments.all():
        grouped.setdefault(attachment.evidence_for, []).append(attachment)
    return grouped


@require_POST
@login_required
def eligibility_preview(request, pk):
    """Return the determination partial for the eligibility or threshold fields as typed."""
    req = selectors.request_for_editing(request.user, pk)
    slug = request.POST.get("section")
    if slug not in PREVIEW_SECTIONS:
        return HttpResponseBadRequest("The preview covers the eligibility and threshold sections.")
    form, formset = _bind(slug, req, request.POST)
    determination, note, problems = _preview_for_forms(req, slug, form, formset)
    return render(
        request,
        "requests_intake/partials/eligibility_preview.html",
        {"determination": determination, "preview_note": note, "preview_problems": problems},
    )


# --- Review, submission, follow-up ------------------------------------------------------------


def request_review(request, pk):
    """Show the whole request and the determination; attest and submit a draft."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    # A submission reads its own locked row: a POST reads only what decides where it goes, and
    # the page, when it is shown again, reads the request afresh.
    posted = request.method == "POST"
    if posted:
        req = selectors.request_to_submit(request.user, pk)
    else:
        req = selectors.request_for_editing(request.user, pk)
    if req.status != S.DRAFT:
        if posted and req.reference:
            return redirect("requests_intake:request_submitted", req.pk)
        if req.status != S.INFORMATION_REQUESTED:
            return redirect("requests_intake:request_detail", req.pk)
    problems = {}
    form = AttestationForm(request.POST if posted else None, user=request.user)
    if posted and req.status == S.DRAFT and form.is_valid():
        try:
            drafts.request_attest_and_submit(assistance_request=req, by=request.user)
        except workflow.AlreadySubmitted:
            return redirect("requests_intake:request_submitted", req.pk)
        except workflow.IncompleteRequest as incomplete:
            problems = incomplete.problems
        except (workflow.TransitionRefused, drafts.DraftRefused) as refusal:
            messages.error(request, str(refusal))
        else:
            return redirect("requests_intake:request_submitted", req.pk)
    if posted:
        req = selectors.request_for_editing(request.user, pk)
    if not problems:
        problems = submission_problems(req)
    problems.pop("attested_at", None)
    determination, note = preview_determination(req)
    return render(
        request,
        "requests_intake/section_review.html",
        {
            "req": req,
            "slug": "review",
            "title": drafts.SECTIONS["review"],
            "sections": _sections_nav(req, "review"),
            "form": form,
            "errors": form.prepare_display(),
            "problems": _problem_links(req, problems),
            "determination": determination,
            "preview_note": note,
            "reply_form": _ready(ReplyForm()),
            "information_request": _latest_information_request(req),
            "assistance_labels": _assistance_labels(req),
        },
        status=400 if posted else 200,
    )


def _latest_information_request(req):
    if req.status != S.INFORMATION_REQUESTED:
        return None
    message = selectors.latest_information_request(req)
    if message is None:
        return None
    named = [
        {
            "title": drafts.SECTIONS[slug],
            "url": reverse("requests_intake:request_section", args=[req.pk, slug]),
        }
        for slug in message.sections
        if slug in drafts.SECTIONS
    ]
    others = [s for s in message.sections if s not in drafts.SECTIONS]
    return {
        "message": message,
        "sections": named,
        "other_sections": others,
        # Evidence is asked for when the message names the eligibility section (its files).
        "asks_evidence": "eligibility" in message.sections,
    }


@login_required
def request_submitted(request, pk):
    """Confirm a submission: the reference, when it was received, when verification is due."""
    req = selectors.request_get_for_member(request.user, pk)
    if not req.reference:
        return redirect("requests_intake:request_review", req.pk)
    return render(request, "requests_intake/assistancerequest_submitted.html", {"req": req})


# Once a request is decided or withdrawn, the evidence CCEE checks is no longer asked for.
EVIDENCE_CHECKED = (S.APPROVED, S.DECLINED, S.WITHDRAWN)


def _section_url_name(slug) -> str:
    if slug == "review":
        return "requests_intake:request_review"
    return "requests_intake:request_section"


def _section_args(req, states) -> list:
    slug = progress.first_unfinished(states)
    return [req.pk] if slug == "review" else [req.pk, slug]


def _detail_context(request, req, **extra):
    withdraw = workflow.TRANSITIONS["withdraw"]
    info = _latest_information_request(req)
    context = {
        "evidence_form": _ready(EvidenceUploadForm()),
        "req": req,
        "waiting_on": waiting_on(req),
        "timeline": selectors.request_timeline_for_lea(req),
        "can_withdraw": req.status in withdraw.sources,
        "information_request": info,
        "reply_form": _ready(ReplyForm()),
        "assistance_labels": _assistance_labels(req),
        "panels": render_panels(request, req),
        "attachments": list(req.attachments.all()),
        "determination_changes": notices.determination_changes(req),
        "evidence_pending": req.status not in EVIDENCE_CHECKED,
    }
    if req.status == S.DRAFT:
        states = progress.section_states(req)
        context["continue_url"] = reverse(
            _section_url_name(progress.first_unfinished(states)), args=_section_args(req, states)
        )
    context.update(extra)
    return context


@login_required
def request_detail(request, pk):
    """Show one request of the person's LEAs: what was sent, the determination, the timeline."""
    req = selectors.request_for_lea_detail(request.user, pk)
    return render(
        request, "requests_intake/assistancerequest_detail.html", _detail_context(request, req)
    )


@login_required
def request_withdraw(request, pk):
    """Ask for confirmation, stating the consequences, then withdraw a request before approval."""
    req = selectors.request_get_for_member(request.user, pk)
    if req.status not in workflow.TRANSITIONS["withdraw"].sources:
        status = req.get_status_display().lower()
        messages.info(request, f"{req} can no longer be withdrawn: it is {status}.")
        return redirect("requests_intake:request_detail", req.pk)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            workflow.assistance_request_withdraw(
                assistance_request=req, by=request.user, reason=form.cleaned_data["reason"]
            )
        except workflow.TransitionRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, f"{req} is withdrawn. CCEE has been told.")
        return redirect("requests_intake:request_detail", req.pk)
    errors = form.prepare_display()
    return render(
        request,
        "requests_intake/assistancerequest_withdraw.html",
        {"req": req, "form": form, "errors": errors},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@login_required
def request_resubmit(request, pk):
    """Send a request back to CCEE after answering its request for information."""
    req = selectors.request_get_for_member(request.user, pk)
    form = ReplyForm(request.POST)
    problems = {}
    if form.is_valid():
        try:
            workflow.assistance_request_resubmit(
                assistance_request=req, by=request.user, reply=form.cleaned_data["reply"]
            )
        except workflow.IncompleteRequest as incomplete:
            problems = incomplete.problems
        except workflow.TransitionRefused as refusal:
            messages.error(request, str(refusal))
            return redirect("requests_intake:request_detail", req.pk)
        else:
            messages.success(request, f"{req} is back with CCEE, with your reply.")
            return redirect("requests_intake:request_detail", req.pk)
    req = selectors.request_for_lea_detail(request.user, pk)
    errors = form.prepare_display()
    context = _detail_context(
        request,
        req,
        reply_form=form,
        errors=errors,
        problems=_problem_links(req, problems),
    )
    return render(request, "requests_intake/assistancerequest_detail.html", context, status=400)


@require_POST
@login_required
def evidence_upload(request, pk):
    """Attach evidence asked for in a request for information, from the request's page."""
    req = selectors.request_get_for_member(request.user, pk)
    form = EvidenceUploadForm(request.POST, request.FILES)
    if form.is_valid():
        checked = form.cleaned_data["file"]
        try:
            drafts.draft_save_section(
                assistance_request=req,
                by=request.user,
                section="eligibility",
                values={},
                base_version=req.version,
                uploads=[(form.cleaned_data["evidence_for"], checked)],
            )
        except (drafts.DraftRefused, drafts.DraftConflict) as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, f"Attached {checked.original_name} to {req}.")
        return redirect("requests_intake:request_detail", req.pk)
    req = selectors.request_for_lea_detail(request.user, pk)
    errors = form.prepare_display()
    context = _detail_context(request, req, evidence_form=form, errors=errors)
    return render(request, "requests_intake/assistancerequest_detail.html", context, status=400)


@login_required
def request_pdf(request, pk):
    """Send the PDF copy of a submitted request to a member of its LEA (a draft has none)."""
    req = selectors.request_for_lea_detail(request.user, pk)
    if not req.reference:
        raise Http404("A draft has no copy as sent.")
    response = HttpResponse(documents.request_pdf(req), content_type=documents.PDF)
    filename = documents.request_pdf_filename(req)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def attachment_download(request, pk, attachment_pk):
    """Send a request's evidence file to a member of its LEA, or to a CCEE reviewer or lead.

    Reviewers and leads see the evidence of submitted requests only: a draft that was never
    submitted belongs to its LEA alone (a 404, as for anything not theirs).
    """
    if permissions.is_reviewer(request.user):
        attachment = get_object_or_404(
            Attachment,
            pk=attachment_pk,
            request_id=pk,
            request__in=AssistanceRequest.objects.submitted_ever(),
        )
    else:
        req = selectors.request_get_for_member(request.user, pk)
        attachment = get_object_or_404(Attachment, pk=attachment_pk, request=req)
    return private_file_response(
        attachment.file, filename=attachment.original_name, content_type=attachment.content_type
    )


@require_POST
@login_required
def attachment_delete(request, pk, attachment_pk):
    """Remove evidence from a request that can still be edited."""
    req = selectors.request_get_for_member(request.user, pk)
    attachment = get_object_or_404(Attachment, pk=attachment_pk, request=req)
    try:
        drafts.attachment_delete(attachment=attachment, by=request.user)
    except drafts.DraftRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, f"Removed {attachment.original_name}.")
    # The LCAP is asked for in the need section, the other evidence in the eligibility section.
    slug = "need" if attachment.evidence_for == EvidenceFor.LCAP else "eligibility"
    return redirect("requests_intake:request_section", req.pk, slug)
