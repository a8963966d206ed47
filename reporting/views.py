"""The public dashboard: LEAs supported by county and initiative, and public success stories.

No sign-in. It shows aggregate counts only, from the report's totals, and the success stories
an engagement marked public with the LEA's consent: never a person, a request or a note.
"""

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from . import selectors, sources
from .fiscal import fiscal_year_label
from .totals import totals_version


class YearForm(forms.Form):
    year = forms.TypedChoiceField(label="Fiscal year", coerce=int)

    def __init__(self, data, years, default):
        super().__init__({"year": data.get("year", default)})
        self.fields["year"].choices = [(y, fiscal_year_label(y)) for y in years]
        self.default = default


def _dashboard(year: int) -> dict:
    figures = selectors.public_dashboard_figures(year)
    figures["stories"] = sources.public_success_stories()
    top = sorted(
        figures["counties"], key=lambda row: (-row["direct"] - row["indirect"], row["county"])
    )
    figures["chart"] = {
        "counties": {
            "labels": [row["county"] for row in top[:15]],
            "datasets": [
                {"label": "Direct", "data": [row["direct"] for row in top[:15]]},
                {"label": "Indirect", "data": [row["indirect"] for row in top[:15]]},
            ],
        }
    }
    return figures


def cached_dashboard(year: int) -> dict:
    """Return the dashboard's figures for `year`, cached until the totals change or it expires."""
    key = f"reporting:public-dashboard:{year}:{totals_version()}"
    return cache.get_or_set(key, lambda: _dashboard(year), settings.PUBLIC_DASHBOARD_CACHE_SECONDS)


@require_safe
@cache_control(public=True, max_age=300)
def public_dashboard(request):
    years = cache.get_or_set(
        f"reporting:public-years:{totals_version()}",
        selectors.report_years,
        settings.PUBLIC_DASHBOARD_CACHE_SECONDS,
    )
    form = YearForm(request.GET, years, years[0])
    year = form.cleaned_data["year"] if form.is_valid() else form.default
    return render(
        request, "reporting/public_dashboard.html", {"form": form, "data": cached_dashboard(year)}
    )
