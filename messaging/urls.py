from django.urls import path

from messaging import views

app_name = "messaging"
urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
    path("agency/inbox/", views.inbox, name="agency-inbox"),
    path("inbox/new/", views.general_thread_new, name="general-new"),
    path("inbox/private/new/", views.private_thread_new, name="private-new"),
    path("threads/<uuid:public_id>/", views.thread_detail, name="thread"),
    path("threads/<uuid:public_id>/messages/", views.message_post, name="message-post"),
    path("messages/<uuid:public_id>/delete/", views.message_delete, name="message-delete"),
    path("attachments/<uuid:public_id>/", views.attachment_download, name="attachment"),
    path(
        "candidates/<uuid:public_id>/conversation/",
        views.candidate_conversation,
        name="candidate-conversation",
    ),
    path("candidates/<uuid:public_id>/files/", views.candidate_files, name="candidate-files"),
]
