from django.urls import path

from . import confirmation_pages, views

app_name = "requests_intake"

urlpatterns = [
    path("", views.request_list, name="request_list"),
    path("new/", views.request_create, name="request_create"),
    path("<int:pk>/", views.request_detail, name="request_detail"),
    # The review step shares the sections' path prefix; it is matched before them.
    path("<int:pk>/section/review/", views.request_review, name="request_review"),
    path("<int:pk>/section/<slug:slug>/", views.request_section, name="request_section"),
    path("<int:pk>/preview/", views.eligibility_preview, name="eligibility_preview"),
    path("<int:pk>/schools/", views.school_search, name="school_search"),
    path("<int:pk>/submitted/", views.request_submitted, name="request_submitted"),
    path("<int:pk>/withdraw/", views.request_withdraw, name="request_withdraw"),
    path("<int:pk>/resubmit/", views.request_resubmit, name="request_resubmit"),
    # The county office's and geographic lead's signed link: no account needed.
    path(
        "confirm/<str:token>/",
        confirmation_pages.county_confirmation,
        name="county_confirmation",
    ),
    path("<int:pk>/copy.pdf", views.request_pdf, name="request_pdf"),
    path("<int:pk>/evidence/", views.evidence_upload, name="evidence_upload"),
    path(
        "<int:pk>/attachments/<int:attachment_pk>/",
        views.attachment_download,
        name="attachment_download",
    ),
    path(
        "<int:pk>/attachments/<int:attachment_pk>/remove/",
        views.attachment_delete,
        name="attachment_delete",
    ),
]
