"""The quarterly OKR report for CCEE leads and reviewers (admin pages, read-only), its exports."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse

from core.pdf import render_pdf

from . import exports, selectors
from .forms import ParticipationImportForm, ReportFilterForm
from .imports import ImportRefused, participation_import

REPORT_PERMISSION = "reporting.view_report"
IMPORT_PERMISSION = "reporting.import_supportrecord"


def _report_for(request):
    if not request.user.has_perm(REPORT_PERMISSION):
        raise PermissionDenied
    now = selectors.current_period()
    form = ReportFilterForm(
        request.GET,
        years=selectors.report_years(),
        default_year=now.fiscal_year,
        default_quarter=now.quarter,
    )
    year, quarter = form.period()
    return form, selectors.quarterly_report(year, quarter)


def _file_name(report, extension):
    year = report.fiscal_year
    return f"ccee-okr-report-{year - 1}-{year % 100:02d}-q{report.quarter}.{extension}"


def report_view(request, admin_site):
    form, report = _report_for(request)
    context = {
        **admin_site.each_context(request),
        "title": f"OKR report {report.label}, year to date through Q{report.quarter}",
        "form": form,
        "report": report,
        "chart_data": selectors.chart_data(report),
        "query": request.GET.urlencode(),
        "can_import": request.user.has_perm(IMPORT_PERMISSION),
    }
    return TemplateResponse(request, "admin/reporting/report.html", context)


def report_print_view(request, admin_site):
    _form, report = _report_for(request)
    return TemplateResponse(request, "reporting/report_print.html", {"report": report})


def report_pdf_view(request, admin_site):
    _form, report = _report_for(request)
    pdf = render_pdf("reporting/report_print.html", {"report": report, "for_pdf": True}, request)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_file_name(report, "pdf")}"'
    return response


def report_xlsx_view(request, admin_site):
    _form, report = _report_for(request)
    response = HttpResponse(
        exports.report_xlsx(report),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{_file_name(report, "xlsx")}"'
    return response


def report_csv_view(request, admin_site):
    _form, report = _report_for(request)
    response = HttpResponse(exports.report_csv(report), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_file_name(report, "csv")}"'
    return response


def import_view(request, admin_site):
    """Upload a participation file; a refused file lists each bad line and changes nothing."""
    if not request.user.has_perm(IMPORT_PERMISSION):
        raise PermissionDenied
    form = ParticipationImportForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = participation_import(
                content=upload.read(), file_name=upload.name, by=request.user
            )
        except ImportRefused as refused:
            problems = refused.problems
            form.add_error(
                "file", f"The file was not imported: {len(problems)} problem(s), listed below."
            )
        else:
            messages.success(
                request,
                f"Imported {result.rows} rows from {upload.name}: {result.created} records "
                f"created, {result.updated} updated, {result.unchanged} unchanged.",
            )
            return redirect("admin:reporting_import")
    context = {
        **admin_site.each_context(request),
        "title": "Import participation",
        "form": form,
        "problems": problems[:500],
        "more_problems": max(len(problems) - 500, 0),
    }
    return TemplateResponse(request, "admin/reporting/import.html", context)
