"""Agreement pages: print view and authorised document downloads."""

from django.urls import path

from . import views

app_name = "contracts"
urlpatterns = [
    path("<int:pk>/print/", views.scope_of_work_print, name="scopeofwork_print"),
    path("documents/<int:pk>/download/", views.document_download, name="document_download"),
]
