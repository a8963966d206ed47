"""The admin side of a lifecycle: buttons, bulk actions and the intermediate page, from the table.

A ModelAdmin that mixes in LifecycleAdminMixin and names its `lifecycle` gets, for every
transition it offers: a button on the change view (`lifecycle_buttons`), a URL that runs it
(`<pk>/transition/<name>/`, asking first for the reason where the transition has a prompt, or
for the fields of a form named in `transition_forms`), and, for transitions marked `bulk`, an
admin action on the changelist that asks the same questions once for the whole selection and
reports each row as done or skipped. The services do the work; this only parses and reports.
"""

from django import forms
from django.contrib import messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from .lifecycle import TransitionRefused

TRANSITION_TEMPLATE = "admin/core/transition.html"


class DescribedErrorsMixin:
    """Point each invalid field at its error list (aria-describedby), as the template renders it.

    The error list's id is the field's id followed by `error_id_suffix`.
    """

    error_id_suffix = "_error"

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["aria-describedby"] = f"{self[name].auto_id}{self.error_id_suffix}"
                widget.attrs["aria-invalid"] = "true"


class ReasonForm(DescribedErrorsMixin, forms.Form):
    """The reason a transition asks for, labelled with the transition's prompt."""

    def __init__(self, *args, transition, field_name="reason", error_id_suffix=None, **kwargs):
        required_message = kwargs.pop("required_message", "")
        super().__init__(*args, **kwargs)
        self.transition, self.field_name = transition, field_name
        if error_id_suffix is not None:
            self.error_id_suffix = error_id_suffix
        field = forms.CharField(
            label=transition.reason_prompt,
            required=transition.reason_required,
            widget=forms.Textarea(attrs={"rows": 6, "cols": 80}),
            strip=True,
        )
        if required_message:
            field.error_messages["required"] = required_message
        self.fields[field_name] = field

    def service_kwargs(self) -> dict:
        return {self.transition.reason_keyword: self.cleaned_data[self.field_name]}


def form_kwargs(form) -> dict:
    """Return the service's keyword arguments from a valid transition form (or none)."""
    if form is None:
        return {}
    if hasattr(form, "service_kwargs"):
        return form.service_kwargs()
    return dict(form.cleaned_data)


class LifecycleAdminMixin:
    lifecycle = None
    # The transitions this admin offers (None: every one in the table).
    lifecycle_names = None
    # Transitions that ask for more than a reason: name -> form class whose cleaned_data are the
    # service's keyword arguments.
    transition_forms: dict = {}
    # The reason field's name, what it says when a required reason is left empty, and the
    # suffix of its error list's id.
    reason_field_name = "reason"
    reason_required_message = ""
    reason_error_id_suffix = "_error"
    # Transitions that always ask first on an intermediate page, even when they need no form
    # (final ones: approving starts the scope of work and tells the LEA).
    confirmed_transitions: frozenset = frozenset()

    # -- hooks -----------------------------------------------------------------------------

    def get_lifecycle_object(self, request, pk):
        """Return the object a transition URL names, or refuse (PermissionDenied)."""
        obj = self.get_object(request, str(pk))
        if obj is None or not self.has_view_permission(request, obj):
            raise PermissionDenied
        return obj

    def transition_done_message(self, obj, transition) -> str:
        return f"{obj} was {transition.verb}."

    def transition_summary(self, obj) -> str:
        """Return the line that names an object on the intermediate page."""
        return str(obj)

    def transition_details(self, obj, transition) -> dict | None:
        """Return what the intermediate page shows of an object before `transition`, or None.

        A dict of `rows` ((label, value) pairs, shown as a list of terms) and `warnings`
        (sentences shown first, as warnings).
        """
        return None

    def transition_notes(self, transition, objects) -> list[str]:
        """Return sentences the intermediate page says about `transition` before the form."""
        return []

    def transition_refusal(self, request, obj, transition) -> str:
        """Return why `transition` cannot be made on `obj` now by this person, or ""."""
        try:
            # A placeholder reason: the reason itself is asked on the page, not checked here.
            self.lifecycle.check(transition, obj, request.user, reason="(asked on the page)")
        except TransitionRefused as refused:
            return str(refused)
        return ""

    # -- the table -------------------------------------------------------------------------

    def offered(self, name: str) -> bool:
        return name in self.lifecycle and (
            self.lifecycle_names is None or name in self.lifecycle_names
        )

    def transition_form(self, transition, data=None, files=None):
        """Return the form the transition asks for first, or None when it asks for nothing."""
        form_class = self.transition_forms.get(transition.name)
        if form_class is not None:
            return form_class(data, files)
        if transition.asks_reason:
            return ReasonForm(
                data,
                transition=transition,
                field_name=self.reason_field_name,
                required_message=self.reason_required_message,
                error_id_suffix=self.reason_error_id_suffix,
            )
        return None

    def _transition_url(self, obj, name) -> str:
        opts = self.opts
        return reverse(
            f"admin:{opts.app_label}_{opts.model_name}_transition",
            args=[obj.pk, name],
            current_app=self.admin_site.name,
        )

    def asks_first(self, t) -> bool:
        """Return whether one object's transition opens a page before it is made."""
        return t.name in self.confirmed_transitions or self.transition_form(t) is not None

    def lifecycle_buttons(self, request, obj) -> list[dict]:
        """Return the transitions the person may make on the object now, as buttons."""
        return [
            {
                "name": t.name,
                "label": t.label,
                "needs_form": self.asks_first(t),
                "url": self._transition_url(obj, t.name),
            }
            for t in self.lifecycle.available(obj, request.user, self.lifecycle_names)
        ]

    # -- one object ------------------------------------------------------------------------

    def get_lifecycle_urls(self):
        opts = self.opts
        return [
            path(
                "<int:pk>/transition/<str:name>/",
                self.admin_site.admin_view(self.transition_view),
                name=f"{opts.app_label}_{opts.model_name}_transition",
            )
        ]

    def _change_url(self, obj) -> str:
        opts = self.opts
        return reverse(
            f"admin:{opts.app_label}_{opts.model_name}_change",
            args=[obj.pk],
            current_app=self.admin_site.name,
        )

    def transition_view(self, request, pk, name):
        """Run one transition on one object; ask first for what it needs (at least a click)."""
        obj = self.get_lifecycle_object(request, pk)
        if not self.offered(name):
            raise PermissionDenied
        t = self.lifecycle[name]
        refusal = self.transition_refusal(request, obj, t)
        if refusal:  # said before anything is typed, not after
            self.message_user(request, refusal, messages.ERROR)
            return HttpResponseRedirect(self._change_url(obj))
        form = self.transition_form(t)
        # A confirmed transition with no form is made only from its page (`confirm`); a form's
        # page is its confirmation.
        confirmed = (
            form is not None
            or t.name not in self.confirmed_transitions
            or "confirm" in request.POST
        )
        if request.method == "POST" and confirmed:
            form = self.transition_form(t, request.POST, request.FILES)
            if form is None or form.is_valid():
                try:
                    self.lifecycle.perform(name, obj, by=request.user, **form_kwargs(form))
                except TransitionRefused as refused:
                    self.message_user(request, str(refused), messages.ERROR)
                    if form is not None:  # what the person typed stays on the page
                        form.add_error(None, str(refused))
                        return self.transition_page(request, t, form, [obj], single=True)
                else:
                    self.message_user(
                        request, self.transition_done_message(obj, t), messages.SUCCESS
                    )
                return HttpResponseRedirect(self._change_url(obj))
        return self.transition_page(request, t, form, [obj], single=True)

    def transition_page(self, request, t, form, objects, *, single: bool):
        """Render the intermediate page: what is about to change, and the form it needs."""
        return self.intermediate_page(
            request,
            label=t.label,
            name=t.name,
            form=form,
            objects=objects,
            single=single,
            details=[self.transition_details(obj, t) for obj in objects],
            notes=self.transition_notes(t, objects),
        )

    def intermediate_page(
        self, request, *, label, name, form, objects, single: bool, details=None, notes=()
    ):
        """Render the page that asks before acting on one object or on a selection.

        On a selection it posts back to the changelist as the admin action `name`, with
        `confirm`; on one object it posts to the URL it was opened at.
        """
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"{label}: {', '.join(str(o) for o in objects)}",
            "form": form,
            "objects": [(obj, self.transition_summary(obj)) for obj in objects],
            "object_rows": [
                {"obj": obj, "summary": self.transition_summary(obj), "details": detail}
                for obj, detail in zip(objects, details or [None] * len(objects), strict=True)
            ],
            "notes": list(notes),
            "action_name": name,
            "action_label": label,
            "single": single,
            "change_url": self._change_url(objects[0]) if single else None,
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
            "media": self.media + (form.media if form is not None else forms.Media()),
        }
        return TemplateResponse(request, TRANSITION_TEMPLATE, context)

    # -- a selection -----------------------------------------------------------------------

    def get_actions(self, request):
        actions = super().get_actions(request)
        if self.lifecycle is None:
            return actions
        plural = self.opts.verbose_name_plural
        for t in self.lifecycle.transitions.values():
            if not (t.bulk and self.offered(t.name) and t.may(request.user, None)):
                continue
            if self.bulk_form_needed(t):
                suffix = " (with a reason)…" if t.asks_reason else "…"
            else:
                suffix = "…" if t.name in self.confirmed_transitions else ""
            description = f"{t.label}: the selected {plural}{suffix}"
            actions[t.name] = (self._bulk_action(t.name), t.name, description)
        return actions

    def _bulk_action(self, name):
        def action(modeladmin, request, queryset):
            return modeladmin.bulk_transition(request, queryset, name)

        return action

    def bulk_form_needed(self, t) -> bool:
        """Return whether a selection is asked first: for a required reason or a form's fields.

        An optional reason is asked only on one object's page.
        """
        return t.name in self.transition_forms or t.reason_required

    def bulk_objects(self, request, queryset) -> list:
        """Return the selected objects as the intermediate page shows them, in a stable order."""
        return list(queryset.order_by("pk"))

    def bulk_refusals(self, request, objects, t) -> list[str]:
        """Return a line per selected object the transition cannot be made on now."""
        lines = []
        for obj in objects:
            refusal = self.transition_refusal(request, obj, t)
            if refusal:
                lines.append(f"{self.lifecycle.describe(obj)}: {refusal}")
        return lines

    def bulk_transition(self, request, queryset, name):
        """Ask once for what the transition needs, then run it on each selected row.

        A transition that asks first (a form, or a confirmation) is refused before its page
        when any selected row cannot take it, naming each, so nothing is typed in vain.
        """
        t = self.lifecycle[name]
        asks = self.bulk_form_needed(t) or t.name in self.confirmed_transitions
        form = self.transition_form(t) if self.bulk_form_needed(t) else None
        if asks:
            objects = self.bulk_objects(request, queryset)
            refusals = self.bulk_refusals(request, objects, t)
            if refusals:
                self.message_user(
                    request,
                    f"Nothing was {t.verb}: {len(refusals)} of the {len(objects)} selected cannot"
                    f" be. Select only those that can. " + " ".join(refusals),
                    messages.ERROR,
                )
                return None
            if "confirm" not in request.POST:
                return self.transition_page(request, t, form, objects, single=False)
            if form is not None:
                form = self.transition_form(t, request.POST, request.FILES)
                if not form.is_valid():
                    return self.transition_page(request, t, form, objects, single=False)
        kwargs = form_kwargs(form)
        done, skipped = [], []
        for obj in queryset.order_by("pk"):
            try:
                self.lifecycle.perform(name, obj, by=request.user, **kwargs)
            except TransitionRefused as refused:
                skipped.append(f"{self.lifecycle.describe(obj)}: {refused}")
            else:
                done.append(self.lifecycle.describe(obj))
        self.report_bulk(request, t.verb, done, skipped)
        return None

    def report_bulk(self, request, verb, done, skipped):
        if done:
            self.message_user(request, f"{len(done)} {verb}: {', '.join(done)}.", messages.SUCCESS)
        for line in skipped:
            self.message_user(request, f"Skipped {line}", messages.WARNING)
