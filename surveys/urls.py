from django.urls import path

from surveys import views

app_name = "surveys"

urlpatterns = [
    path("", views.QuestionnaireListView.as_view(), name="questionnaire_list"),
    path("import/", views.QuestionnaireImportView.as_view(), name="import"),
    path("bank/", views.BankView.as_view(), name="bank"),
    path("bank/<slug:code>/", views.BankQuestionView.as_view(), name="bank_question"),
    path("needs/", views.NeedsView.as_view(), name="needs"),
    path("<int:pk>/", views.QuestionnaireDetailView.as_view(), name="questionnaire_detail"),
    path("<int:pk>/copy/", views.QuestionnaireCopyView.as_view(), name="questionnaire_copy"),
    path("<int:pk>/xlsform/", views.QuestionnaireXLSFormView.as_view(), name="questionnaire_xlsform"),
    path("<int:pk>/questions/add/", views.QuestionEditView.as_view(), name="question_add"),
    path("<int:pk>/questions/<slug:code>/", views.QuestionEditView.as_view(), name="question_edit"),
    path(
        "<int:pk>/questions/<slug:code>/remove/", views.QuestionRemoveView.as_view(), name="question_remove"
    ),
    path("waves/", views.WaveListView.as_view(), name="wave_list"),
    path("waves/add/", views.WaveAddView.as_view(), name="wave_add"),
    path("waves/<int:pk>/", views.WaveDetailView.as_view(), name="wave_detail"),
    path("waves/<int:pk>/send/", views.WaveSendView.as_view(), name="wave_send"),
    path("waves/<int:pk>/change/", views.WaveChangeView.as_view(), name="wave_change"),
    path("waves/<int:pk>/results/", views.WaveResultsView.as_view(), name="wave_results"),
    path("responses/<int:pk>/", views.ResponseDetailView.as_view(), name="response_detail"),
    path("activities/<int:pk>/panel/", views.ActivityPanelView.as_view(), name="activity_panel"),
    path("r/<str:token>/", views.RespondView.as_view(), name="respond"),
]
