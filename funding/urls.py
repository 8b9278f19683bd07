from django.urls import path

from funding import views

app_name = "funding"

urlpatterns = [
    path("donors/", views.DonorListView.as_view(), name="donor_list"),
    path("donors/<int:pk>/", views.DonorDetailView.as_view(), name="donor_detail"),
    path("totals/", views.TotalsView.as_view(), name="totals"),
    path("rates/", views.RateListView.as_view(), name="rate_list"),
    path("rates/add/", views.RateEditView.as_view(), name="rate_add"),
]
