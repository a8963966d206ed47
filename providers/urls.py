"""The registry's pages on the site: applying, a provider's own pages, the public directory."""

from django.urls import path

from . import views

app_name = "providers"
urlpatterns = [
    path("", views.home, name="home"),
    path("apply/", views.apply, name="apply"),
    path("directory/", views.directory, name="directory"),
    path("<int:pk>/", views.profile, name="profile"),
    path("<int:pk>/edit/", views.profile_edit, name="profile_edit"),
    path("<int:pk>/conflicts/add/", views.conflict_add, name="conflict_add"),
]
