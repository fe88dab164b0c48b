"""Texting candidates, employer side: the conversations inbox, an application's texts (SMS,
WhatsApp, email), seats and sender numbers (Owners), and the console provider's page."""

import uuid

from django.conf import settings
from django.contrib import messages as flash
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from messaging import forms, quiet_hours
from messaging.selectors import texting as selectors
from messaging.services import seats as seat_services
from messaging.services import texting, texting_delivery, texting_inbound
from recruitment.decorators import employer_only
from recruitment.forms import add_service_errors, filters_applied, valid_filters
from recruitment.models import Role
from recruitment.pagination import NoCountPaginator


@require_GET
@employer_only()
def conversations(request):
    """The unified inbox: one conversation per application, email, SMS and WhatsApp together."""
    form = forms.ConversationFilterForm(
        request.GET or None, jobs=selectors.conversation_jobs(user=request.user)
    )
    filters = valid_filters(form)
    conversations = selectors.conversation_list(user=request.user, filters=filters)
    page = NoCountPaginator(conversations, 30).page(request.GET.get("page"))
    page.object_list = selectors.attach_last_texts(list(page.object_list))
    template = "messaging/conversations.html" + ("#conversation-list" if request.htmx else "")
    return render(
        request, template, {"form": form, "page": page, "filtered": filters_applied(filters)}
    )


def _texts_context(request, application, form=None, quiet=None, invite_quiet=None):
    conversation = selectors.application_conversation(application=application)
    channel = (
        request.GET.get("channel", "")
        if request.GET.get("channel") in ("sms", "whatsapp", "email")
        else ""
    )
    contact = selectors.text_contact(application=application)
    has_seat = selectors.has_seat(request.user)
    return {
        "application": application,
        "candidate": application.candidate,
        "conversation": conversation,
        "texts": selectors.conversation_messages(conversation=conversation, channel=channel),
        "channel": channel,
        "contact": contact,
        "has_seat": has_seat,
        "form": form or forms.TextForm(initial={"channel": channel or "sms"}, can_text=has_seat),
        "scheduled_invitation": selectors.scheduled_invitation(conversation=conversation),
        "quiet": quiet,
        "invite_quiet": invite_quiet,
        "whatsapp_open": bool(contact and selectors.whatsapp_window_open(contact)),
        "max_length": settings.TEXT_MAX_LENGTH,
    }


def _render_texts(request, template: str, context: dict, *, status: int = 200):
    """The texts pane, shown: its conversation is now read by the viewer, as a thread is when
    opened (the conversations inbox's unread dot clears)."""
    response = render(request, template, context, status=status)
    if context["conversation"] is not None:
        texting.conversation_mark_read(user=request.user, conversation=context["conversation"])
    return response


@require_GET
@employer_only()
def application_texts(request, public_id):
    application = selectors.texting_application(user=request.user, public_id=public_id)
    context = _texts_context(request, application)
    if request.htmx and request.GET.get("poll"):
        return _render_texts(request, "messaging/application_texts.html#text-list", context)
    return _render_texts(request, "messaging/application_texts.html", context)


HELD_NOTICE = (
    "{name} has not written on WhatsApp in the last 24 hours: your message is held and goes out "
    "once they answer the invitation."
)


@require_POST
@employer_only()
def application_text_send(request, public_id):
    application = selectors.texting_application(user=request.user, public_id=public_id)
    form = forms.TextForm(request.POST, can_text=selectors.has_seat(request.user))
    quiet = None
    if form.is_valid():
        data = form.cleaned_data
        try:
            if data["channel"] == "email":
                texting.email_candidate(
                    actor=request.user,
                    application=application,
                    subject=data["subject"],
                    body=data["body"],
                )
            else:
                sent = texting.text_send(
                    actor=request.user,
                    application=application,
                    channel=data["channel"],
                    body=data["body"],
                    night=data["night"],
                    keep_text=data["outside_window"] != "invitation_only",
                )
                if sent.status == sent.Status.HELD:
                    flash.info(request, HELD_NOTICE.format(name=application.candidate.first_name))
        except quiet_hours.QuietHours as exc:
            quiet = exc
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            texts_url = reverse("messaging:application-texts", args=[application.public_id])
            return redirect(f"{texts_url}?channel={data['channel']}")
    context = _texts_context(request, application, form=form, quiet=quiet)
    return _render_texts(
        request, "messaging/application_texts.html", context, status=200 if quiet else 422
    )


@require_POST
@employer_only()
def application_text_invite(request, public_id):
    """At night the page comes back with the same prompt as a text: schedule, or send anyway."""
    application = selectors.texting_application(user=request.user, public_id=public_id)
    try:
        message = texting.text_invite(
            actor=request.user, application=application, night=request.POST.get("night", "")
        )
    except quiet_hours.QuietHours as quiet:
        context = _texts_context(request, application, invite_quiet=quiet)
        return _render_texts(request, "messaging/application_texts.html", context)
    except ValidationError as exc:
        flash.error(request, " ".join(exc.messages))
    else:
        when = "scheduled" if message.scheduled_for else "sent"
        flash.success(
            request, f"Invitation {when}. The conversation opens when the candidate replies YES."
        )
    return redirect("messaging:application-texts", public_id=application.public_id)


@require_POST
@employer_only()
def text_cancel(request, public_id):
    """Cancel a WhatsApp text held for the invitation. htmx gets the pane's list of texts back
    (the text now shows as cancelled, or as what became of it) with a notice beside it."""
    text = selectors.outbound_text_get(user=request.user, public_id=public_id)
    application = text.conversation.application
    try:
        texting.text_cancel_held(actor=request.user, text=text)
    except ValidationError as exc:
        notice, level = " ".join(exc.messages), "warning"
    else:
        notice, level = "Cancelled: the held text will not be sent.", "success"
    if request.htmx:
        context = _texts_context(request, application) | {"notice": notice, "level": level}
        return _render_texts(request, "messaging/_text_cancel.html", context)
    flash.add_message(request, flash.SUCCESS if level == "success" else flash.WARNING, notice)
    url = reverse("messaging:application-texts", args=[application.public_id])
    channel = request.GET.get("channel", "")
    return redirect(f"{url}?channel={channel}" if channel in ("sms", "whatsapp", "email") else url)


@require_POST
@employer_only(Role.OWNER, Role.RECRUITER)
def application_text_review(request, public_id):
    application = selectors.texting_application(user=request.user, public_id=public_id)
    texting_inbound.review_resolve(
        actor=request.user,
        application=application,
        opt_out=request.POST.get("decision") == "opt_out",
    )
    return redirect("messaging:application-texts", public_id=application.public_id)


@require_http_methods(["GET", "POST"])
@employer_only(Role.OWNER)
def seats(request):
    if request.method == "POST":
        person = selectors.seat_user(user=request.user, public_id=request.POST.get("user"))
        try:
            if request.POST.get("action") == "assign":
                seat_services.seat_assign(actor=request.user, user=person)
            else:
                seat_services.seat_revoke(actor=request.user, user=person)
        except ValidationError as exc:
            flash.error(request, " ".join(exc.messages))
        return redirect("messaging:seats")
    people = selectors.seat_holders(user=request.user)
    context = {
        "people": people,
        "plan": selectors.texting_plan(user=request.user),
        "used": sum(person.has_seat for person in people),
    }
    return render(request, "messaging/seats.html", context)


@require_http_methods(["GET", "POST"])
@employer_only(Role.OWNER)
def sender_numbers(request):
    form = forms.SenderNumberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            seat_services.sender_number_add(actor=request.user, number=form.cleaned_data["number"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            flash.success(request, "Number added to the pool.")
            return redirect("messaging:sender-numbers")
    return render(
        request,
        "messaging/sender_numbers.html",
        {"form": form, "numbers": selectors.sender_numbers(user=request.user)},
    )


@require_POST
@employer_only(Role.OWNER)
def sender_number_toggle(request, public_id):
    number = selectors.sender_number_get(user=request.user, public_id=public_id)
    seat_services.sender_number_set_active(
        actor=request.user, sender=number, active=not number.is_active
    )
    return redirect("messaging:sender-numbers")


@require_http_methods(["GET", "POST"])
@employer_only()
def texting_console(request):
    """Development only (the console provider): see what was 'sent' in the conversations one may
    see, and play those candidates. A reply goes to the number that last texted them, and from
    there where a real one would (`texting_inbound.waiting_conversation`)."""
    if not settings.TEXTING_PROVIDER.endswith("ConsoleProvider"):
        raise Http404
    texts = selectors.console_texts(user=request.user)
    posted = request.POST if request.method == "POST" else None
    reporting = posted is not None and "delivery" in posted
    delivery = forms.SimulatedDeliveryForm(posted if reporting else None, texts=texts)
    form = forms.SimulatedReplyForm(None if reporting else posted)
    if delivery.is_valid():
        data = delivery.cleaned_data
        texting_delivery.text_status_update(
            public_id=data["message"].public_id, provider_status=data["delivery"]
        )
        return redirect("messaging:texting-console")
    if form.is_valid():
        data = form.cleaned_data
        our_number = selectors.console_reply_number(user=request.user, phone=data["from_number"])
        if our_number is None:
            form.add_error("from_number", "No candidate you can see has this number.")
        else:
            prefix = "whatsapp:" if data["channel"] == "whatsapp" else ""
            texting_inbound.text_receive(
                sid=f"SMsimulated{uuid.uuid4().hex}",
                from_number=prefix + data["from_number"],
                to_number=prefix + our_number,
                body=data["body"],
            )
            flash.success(request, "Reply received as if the candidate had texted it.")
            return redirect("messaging:texting-console")
    context = {"form": form, "delivery_form": delivery, "texts": texts[:30]}
    return render(
        request, "messaging/texting_console.html", context, status=200 if posted is None else 422
    )
