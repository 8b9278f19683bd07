from django.urls import path

from network import views

app_name = "network"

urlpatterns = [
    path("map/", views.MapView.as_view(), name="map"),
    path("regions/", views.RegionListView.as_view(), name="region_list"),
    path("regions/<int:pk>/", views.RegionDetailView.as_view(), name="region_detail"),
    path("regions/<int:pk>/edit/", views.RegionEditView.as_view(), name="region_edit"),
    path("regions/<int:pk>/history/", views.RegionHistoryView.as_view(), name="region_history"),
    path("offices/", views.OfficeListView.as_view(), name="office_list"),
    path("offices/add/", views.OfficeEditView.as_view(), name="office_add"),
    path("offices/<int:pk>/", views.OfficeDetailView.as_view(), name="office_detail"),
    path("offices/<int:pk>/edit/", views.OfficeEditView.as_view(), name="office_edit"),
    path("offices/<int:pk>/history/", views.OfficeHistoryView.as_view(), name="office_history"),
    path("members/", views.MemberListView.as_view(), name="member_list"),
    path("members/add/", views.MemberEditView.as_view(), name="member_add"),
    path("members/<int:pk>/", views.MemberDetailView.as_view(), name="member_detail"),
    path("members/<int:pk>/edit/", views.MemberEditView.as_view(), name="member_edit"),
    path("members/<int:pk>/history/", views.MemberHistoryView.as_view(), name="member_history"),
    path("committees/", views.CommitteeListView.as_view(), name="committee_list"),
    path("committees/<int:pk>/", views.CommitteeDetailView.as_view(), name="committee_detail"),
    path("committees/<int:pk>/history/", views.CommitteeHistoryView.as_view(), name="committee_history"),
]
