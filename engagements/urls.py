"""Engagement pages of the site (LEA members of the engagement's LEA; CCEE staff)."""

from django.urls import path

from . import views

app_name = "engagements"
urlpatterns = [
    path("", views.engagement_list, name="list"),
    path("<int:pk>/", views.engagement_detail, name="detail"),
    path("<int:pk>/indicators/add/", views.indicator_add, name="indicator_add"),
    path("<int:pk>/team/add/", views.team_member_add, name="team_add"),
    path("<int:pk>/problem/", views.problem_revise, name="problem_revise"),
    path("<int:pk>/theory/", views.theory_revise, name="theory_revise"),
    path("<int:pk>/reports/<int:number>/", views.report_edit, name="report_edit"),
    path("<int:pk>/closeout/", views.closeout, name="closeout"),
    path("<int:pk>/consent/", views.consent, name="consent"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment_download"),
]
