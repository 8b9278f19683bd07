from django.urls import include, path

from training import views

app_name = "training"

urlpatterns = [
    path("", views.CatalogueView.as_view(), name="catalogue"),
    path("products/add/", views.ProductEditView.as_view(), name="product_add"),
    path("products/<int:pk>/", views.ProductDetailView.as_view(), name="product_detail"),
    path("products/<int:pk>/edit/", views.ProductEditView.as_view(), name="product_edit"),
    path("products/<int:pk>/history/", views.ProductHistoryView.as_view(), name="product_history"),
    path("products/<int:pk>/move/", views.ProductMoveView.as_view(), name="product_move"),
    path("products/<int:pk>/modules/add/", views.ModuleAddView.as_view(), name="module_add"),
    path("products/<int:pk>/sessions/add/", views.SessionAddView.as_view(), name="session_add"),
    path("products/<int:pk>/request/", views.SessionRequestView.as_view(), name="session_request"),
    path("products/<int:pk>/calendar.ics", views.product_feed, name="product_feed"),
    path("modules/<int:pk>/edit/", views.ModuleEditView.as_view(), name="module_edit"),
    path("modules/<int:pk>/delete/", views.ModuleDeleteView.as_view(), name="module_delete"),
    path("sessions/<int:pk>/delete/", views.SessionDeleteView.as_view(), name="session_delete"),
    path("activities/<int:pk>/session/", views.ActivitySessionView.as_view(), name="activity_session"),
    path("regions/<slug:slug>/matrix/", views.RegionMatrixView.as_view(), name="region_matrix"),
    path("regions/<slug:slug>/invite/", views.InvitationView.as_view(), name="invite"),
    path("frameworks/", views.FrameworkListView.as_view(), name="framework_list"),
    path("frameworks/<int:pk>/", views.FrameworkDetailView.as_view(), name="framework_detail"),
    path("completions/", views.CompletionListView.as_view(), name="completion_list"),
    path("completions/import/", views.CompletionImportView.as_view(), name="completion_import"),
    path("recognition/", include("training.recognition_urls")),
]
