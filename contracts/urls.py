"""Agreement pages: print view, authorised document downloads, the LEA's signed return."""

from django.urls import path

from . import views

app_name = "contracts"
urlpatterns = [
    path("<int:pk>/print/", views.scope_of_work_print, name="scopeofwork_print"),
    path("documents/<int:pk>/download/", views.document_download, name="document_download"),
    path("<int:pk>/return/", views.agreement_return, name="agreement_return"),
    path("<int:pk>/return/sign/", views.agreement_sign, name="agreement_sign"),
    path("<int:pk>/return/upload/", views.agreement_upload, name="agreement_upload"),
]
