"""The engagement pages of the site: parse → authorise → call a service → render.

LEA members of the engagement's LEA (and CCEE staff) see an engagement; anyone else gets a 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from core.files import private_file_response
from requests_intake import panels

from . import forms, selectors, services
from . import permissions as perms
from .models import Engagement, ReportAttachment


def _page(request, engagement, **extra):
    context = selectors.engagement_page(engagement, timezone.localdate())
    context.update(
        can_edit=bool(perms.can_edit_as_lea(request.user, engagement)),
        can_write_reports=bool(perms.can_write_report(request.user, engagement)),
        is_member=perms.is_lea_member(request.user, engagement),
        consent_form=forms.ConsentForm(),
        **extra,
    )
    return context


@login_required
def engagement_list(request):
    """List the engagements of the person's LEAs."""
    return render(
        request,
        "engagements/engagement_list.html",
        {"engagements": selectors.lea_engagements(request.user)},
    )


@login_required
def engagement_detail(request, pk):
    """Show the engagement: charts per indicator, the report timeline, statements, team."""
    engagement = selectors.engagement_get_for_user(request.user, pk)
    return render(request, "engagements/engagement_detail.html", _page(request, engagement))


def _editable(request, pk) -> Engagement:
    engagement = selectors.engagement_get_for_user(request.user, pk)
    if not perms.can_edit_as_lea(request.user, engagement):
        raise Http404
    return engagement


def _form_view(request, pk, *, form_class, template, service, done, form_kwargs=None):
    """A page with one form whose cleaned data a service takes; refusals stay on the page."""
    engagement = _editable(request, pk)
    form_kwargs = form_kwargs(engagement) if form_kwargs else {}
    form = form_class(request.POST or None, request.FILES or None, **form_kwargs)
    if request.method == "POST" and form.is_valid():
        data = form.service_kwargs() if hasattr(form, "service_kwargs") else dict(form.cleaned_data)
        try:
            service(engagement=engagement, by=request.user, **data)
        except services.EngagementRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, done)
            return redirect("engagements:detail", engagement.pk)
    return render(request, template, {"engagement": engagement, "form": form})


@login_required
def indicator_add(request, pk):
    return _form_view(
        request,
        pk,
        form_class=forms.IndicatorForm,
        template="engagements/indicator_form.html",
        service=services.indicator_add,
        done="The indicator was added.",
    )


@login_required
def team_member_add(request, pk):
    return _form_view(
        request,
        pk,
        form_class=forms.TeamMemberForm,
        template="engagements/team_form.html",
        service=services.team_member_add,
        done="The team member was added.",
    )


@login_required
def problem_revise(request, pk):
    def initial(engagement):
        current = engagement.problem_versions.order_by("-number").first()
        return {"initial": {"text": current.text if current else ""}}

    return _form_view(
        request,
        pk,
        form_class=forms.ProblemForm,
        template="engagements/problem_form.html",
        service=services.problem_of_practice_revise,
        done="The problem of practice was revised.",
        form_kwargs=initial,
    )


@login_required
def theory_revise(request, pk):
    def initial(engagement):
        current = engagement.theory_versions.order_by("-number").first()
        if current is None:
            return {}
        names = ("actions", "practice_changes", "student_outcomes")
        return {"initial": {n: getattr(current, n) for n in names}}

    return _form_view(
        request,
        pk,
        form_class=forms.TheoryForm,
        template="engagements/theory_form.html",
        service=services.theory_of_action_revise,
        done="The theory of action was revised.",
        form_kwargs=initial,
    )


@login_required
def closeout(request, pk):
    def kwargs(engagement):
        return {"engagement": engagement, "indicators": list(engagement.indicators.all())}

    return _form_view(
        request,
        pk,
        form_class=forms.CloseoutForm,
        template="engagements/closeout_form.html",
        service=services.closeout_record,
        done="The closeout was recorded.",
        form_kwargs=kwargs,
    )


@login_required
def report_edit(request, pk, number):
    """Write a progress report: save the draft, or save and submit it to CCEE."""
    engagement = selectors.engagement_get_for_user(request.user, pk)
    if not perms.can_write_report(request.user, engagement):
        raise Http404
    report = selectors.report_get_for_user(request.user, engagement, number)
    indicators = list(engagement.indicators.all())
    cadence = services.schedule.report_cadence_months(indicators)
    due = [i for i in indicators if services.schedule.indicator_due(i, report, cadence)]
    deliverables = list(engagement.agreement.deliverables.all())
    form = forms.ReportForm(
        request.POST or None,
        request.FILES or None,
        report=report,
        indicators=due,
        deliverables=deliverables,
    )
    editable = (
        report.status in (report.Status.OPEN, report.Status.RETURNED) and engagement.is_running
    )
    if request.method == "POST" and editable and form.is_valid():
        try:
            services.progress_report_save(report=report, by=request.user, **form.service_kwargs())
            if "submit" in request.POST:
                services.progress_report_submit(report=report, by=request.user)
        except services.EngagementRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(
                request,
                f"{report} was submitted." if "submit" in request.POST else "The draft was saved.",
            )
            return redirect("engagements:detail", engagement.pk)
    return render(
        request,
        "engagements/report_form.html",
        {
            "engagement": engagement,
            "report": report,
            "form": form,
            "editable": editable,
            "attachments": list(report.attachments.all()),
            "can_submit": bool(perms.can_submit_report(request.user, report)),
        },
    )


@login_required
@require_POST
def consent(request, pk):
    """Record the LEA's consent to a public success story."""
    engagement = selectors.engagement_get_for_user(request.user, pk)
    form = forms.ConsentForm(request.POST)
    if form.is_valid():
        try:
            services.success_story_consent(
                engagement=engagement, by=request.user, summary=form.cleaned_data["summary"]
            )
        except services.EngagementRefused as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, "Your LEA's consent was recorded.")
            return redirect("engagements:detail", engagement.pk)
    return render(
        request, "engagements/engagement_detail.html", _page(request, engagement, consent_form=form)
    )


@login_required
def attachment_download(request, pk):
    attachment = (
        ReportAttachment.objects.select_related("report__engagement__request").filter(pk=pk).first()
    )
    if attachment is None or not perms.can_view(request.user, attachment.report.engagement):
        raise Http404
    return private_file_response(
        attachment.file, filename=attachment.original_name, content_type=attachment.content_type
    )


def engagement_panel(http_request, assistance_request) -> str:
    """Return the engagement panel of the LEA's request page, or "" when there is none."""
    if panels.known_to_have_no_agreement(assistance_request):
        return ""  # an engagement opens with its executed agreement
    engagement = Engagement.objects.filter(request=assistance_request).first()
    if engagement is None or not perms.can_view(http_request.user, engagement):
        return ""
    html = render_to_string(
        "engagements/partials/engagement_panel.html",
        {"engagement": engagement},
        request=http_request,
    )
    return mark_safe(html)  # noqa: S308 - rendered by an autoescaping template
