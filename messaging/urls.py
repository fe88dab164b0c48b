from django.urls import path

from messaging import views, webhooks

app_name = "messaging"
urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
    path("agency/inbox/", views.inbox, name="agency-inbox"),
    path("inbox/unread/", views.unread_badge, name="unread-badge"),
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
    path("conversations/", views.conversations, name="conversations"),
    path("applications/<uuid:public_id>/texts/", views.application_texts, name="application-texts"),
    path(
        "applications/<uuid:public_id>/texts/send/",
        views.application_text_send,
        name="application-text-send",
    ),
    path(
        "applications/<uuid:public_id>/texts/invite/",
        views.application_text_invite,
        name="application-text-invite",
    ),
    path(
        "applications/<uuid:public_id>/texts/review/",
        views.application_text_review,
        name="application-text-review",
    ),
    path("texts/<uuid:public_id>/cancel/", views.text_cancel, name="text-cancel"),
    path("texting/seats/", views.seats, name="seats"),
    path("texting/numbers/", views.sender_numbers, name="sender-numbers"),
    path(
        "texting/numbers/<uuid:public_id>/toggle/",
        views.sender_number_toggle,
        name="sender-number-toggle",
    ),
    path("texting/console/", views.texting_console, name="texting-console"),
    path("webhooks/twilio/inbound/", webhooks.twilio_inbound, name="twilio-inbound"),
    path("webhooks/twilio/status/<uuid:public_id>/", webhooks.twilio_status, name="twilio-status"),
]
