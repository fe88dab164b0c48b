from django.urls import path

from messaging import webhooks
from messaging.views import texting, threads

app_name = "messaging"

thread_urls = [
    path("inbox/", threads.inbox, name="inbox"),
    path("agency/inbox/", threads.inbox, name="agency-inbox"),
    path("inbox/unread/", threads.unread_badge, name="unread-badge"),
    path("inbox/new/", threads.general_thread_new, name="general-new"),
    path("inbox/private/new/", threads.private_thread_new, name="private-new"),
    path("threads/<uuid:public_id>/", threads.thread_detail, name="thread"),
    path("threads/<uuid:public_id>/messages/", threads.message_post, name="message-post"),
    path("messages/<uuid:public_id>/delete/", threads.message_delete, name="message-delete"),
    path("attachments/<uuid:public_id>/", threads.attachment_download, name="attachment"),
    path(
        "candidates/<uuid:public_id>/conversation/",
        threads.candidate_thread,
        name="candidate-thread",
    ),
    path("candidates/<uuid:public_id>/files/", threads.candidate_files, name="candidate-files"),
]

texting_urls = [
    path("conversations/", texting.conversations, name="conversations"),
    path(
        "applications/<uuid:public_id>/texts/", texting.application_texts, name="application-texts"
    ),
    path(
        "applications/<uuid:public_id>/texts/send/",
        texting.application_text_send,
        name="application-text-send",
    ),
    path(
        "applications/<uuid:public_id>/texts/invite/",
        texting.application_text_invite,
        name="application-text-invite",
    ),
    path(
        "applications/<uuid:public_id>/texts/review/",
        texting.application_text_review,
        name="application-text-review",
    ),
    path("texts/<uuid:public_id>/cancel/", texting.text_cancel, name="text-cancel"),
    path("texting/seats/", texting.seats, name="seats"),
    path("texting/numbers/", texting.sender_numbers, name="sender-numbers"),
    path(
        "texting/numbers/<uuid:public_id>/toggle/",
        texting.sender_number_toggle,
        name="sender-number-toggle",
    ),
    path("texting/console/", texting.texting_console, name="texting-console"),
    path("webhooks/twilio/inbound/", webhooks.twilio_inbound, name="twilio-inbound"),
    path("webhooks/twilio/status/<uuid:public_id>/", webhooks.twilio_status, name="twilio-status"),
]

urlpatterns = thread_urls + texting_urls
