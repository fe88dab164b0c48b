import uuid
from datetime import datetime
from functools import partial

from django.conf import settings
from django.contrib import messages as flash
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import reswap, retarget, trigger_client_event

from messaging import forms, selectors, services, texting
from recruitment.decorators import employer_only
from recruitment.downloads import stored_file_response
from recruitment.forms import (
    add_service_errors,
    filters_applied,
    query_id,
    query_uuid,
    valid_filters,
)
from recruitment.models import Role
from recruitment.pagination import NoCountPaginator


def _layout(user) -> str:
    return "agency_base.html" if user.is_agency_user else "recruiter_base.html"


@require_GET
def inbox(request):
    agencies = partial(selectors.inbox_agency_choices, user=request.user)
    form = forms.InboxFilterForm(
        request.GET or None, agencies=agencies if request.user.is_employer else None
    )
    filters = valid_filters(form)
    page = NoCountPaginator(selectors.inbox(user=request.user, filters=filters), 30).page(
        request.GET.get("page")
    )
    page.object_list = selectors.attach_last_messages(list(page.object_list))
    context = {
        "form": form, "page": page, "layout": _layout(request.user), "filtered": filters_applied(filters),
    }  # fmt: skip
    template = "messaging/inbox.html" + ("#thread-list" if request.htmx else "")
    return render(request, template, context)


@require_GET
def unread_badge(request):
    """The navigation's Inbox count, polled by every page of both portals (and asked again after a
    chat poll read new messages): 204 while the page shows the right number. Rendered without
    the request's context processors, so that it costs the count's one query."""
    badge = selectors.unread_badge(user=request.user)
    if request.GET.get("shown") == str(badge["unread_threads"]):
        return HttpResponse(status=204)
    return HttpResponse(render_to_string("messaging/_unread_badge.html", badge))


@require_GET
def thread_detail(request, public_id):
    """The conversation; with ?after=<id> (htmx polling) only the messages that came since."""
    thread = selectors.thread_get(user=request.user, public_id=public_id)
    after, before = query_id(request, "after"), query_id(request, "before")
    shown = selectors.thread_messages(thread=thread, after=after, before=before)
    services.thread_mark_read(user=request.user, thread=thread)
    context = {
        "thread": thread,
        "thread_messages": shown,
        "older": shown[0].pk if len(shown) == selectors.PAGE_OF_MESSAGES else None,
        "form": forms.MessageForm(),
        "layout": _layout(request.user),
    }
    if request.htmx and "after" in request.GET:
        return _thread_poll(request, context, after=after)
    return render(request, "messaging/thread_detail.html", context)


def _thread_poll(request, context: dict, *, after: int):
    """The messages that came since `after`, and those deleted since the poll's mark (sent back
    in X-Deleted-Since), to swap in place; new messages were read, so the unread badge refreshes."""
    thread = context["thread"]
    if "deleted_since" in request.GET:
        since = _aware_time(request.GET["deleted_since"])
        context["deleted_messages"] = selectors.thread_deletions(
            thread=thread, since=since, up_to=after
        )
    response = render(request, "messaging/_message_batch.html", context)
    if thread.last_deleted_at:
        response["X-Deleted-Since"] = thread.last_deleted_at.isoformat()
    if context["thread_messages"]:
        trigger_client_event(response, "unread-changed")
    return response


def _aware_time(value: str) -> datetime | None:
    try:
        moment = parse_datetime(value)
    except ValueError:
        return None
    return moment if moment is not None and timezone.is_aware(moment) else None


@require_POST
def message_post(request, public_id):
    thread = selectors.thread_get(user=request.user, public_id=public_id)
    form = forms.MessageForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            message = services.message_post(
                actor=request.user,
                thread=thread,
                body=form.cleaned_data["body"],
                files=form.cleaned_data["files"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if request.htmx:
                return render(
                    request,
                    "messaging/_message_batch.html",
                    {"thread_messages": [message], "thread": thread, "form": forms.MessageForm()},
                )
            return redirect("messaging:thread", public_id=thread.public_id)
    if request.htmx:
        # htmx swaps 2xx answers only: the form, with its errors, replaces the compose box.
        response = render(request, "messaging/_compose.html", {"form": form, "thread": thread})
        return reswap(retarget(response, "#compose"), "outerHTML")
    context = {"thread": thread, "thread_messages": selectors.thread_messages(thread=thread), "form": form,
               "layout": _layout(request.user)}  # fmt: skip
    return render(request, "messaging/thread_detail.html", context, status=422)


@require_POST
def message_delete(request, public_id):
    message = selectors.message_get(user=request.user, public_id=public_id)
    message = services.message_delete(actor=request.user, message=message)
    if request.htmx:
        return render(
            request, "messaging/_message.html", {"message": message, "thread": message.thread}
        )
    return redirect("messaging:thread", public_id=message.thread.public_id)


@require_GET
def attachment_download(request, public_id):
    attachment = selectors.attachment_get(user=request.user, public_id=public_id)
    return stored_file_response(attachment.file, attachment.name)


@require_http_methods(["GET", "POST"])
def general_thread_new(request):
    agencies = selectors.thread_agencies(user=request.user) if request.user.is_employer else None
    form = forms.GeneralThreadForm(request.POST or None, request.FILES or None, agencies=agencies)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        agency = data.get("agency") or request.user.membership.agency
        message = services.general_thread_start(
            actor=request.user,
            agency=agency,
            subject=data["subject"],
            body=data["body"],
            files=data["files"],
        )
        return redirect("messaging:thread", public_id=message.thread.public_id)
    return render(
        request,
        "messaging/thread_new.html",
        {"form": form, "kind": "general", "layout": _layout(request.user)},
    )


@require_http_methods(["GET", "POST"])
def private_thread_new(request):
    partners = selectors.private_partners(user=request.user)
    initial = {"partner": partners.filter(public_id=query_uuid(request, "with")).first()}
    form = forms.PrivateThreadForm(
        request.POST or None, request.FILES or None, partners=partners, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        message = services.private_thread_start(actor=request.user, partner=data["partner"], body=data["body"],
                                                files=data["files"])  # fmt: skip
        return redirect("messaging:thread", public_id=message.thread.public_id)
    return render(
        request,
        "messaging/thread_new.html",
        {"form": form, "kind": "private", "layout": _layout(request.user)},
    )


@require_http_methods(["GET", "POST"])
def candidate_conversation(request, public_id):
    """The Communication tab of a candidate page (both portals): the candidate's agency thread,
    started by whichever side writes first, and links to those of profiles merged into it."""
    candidate = selectors.candidate_for_conversation(user=request.user, public_id=public_id)
    thread, *merged_threads = selectors.candidate_threads(
        user=request.user, candidate=candidate
    ) or [None]
    form = forms.MessageForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            message = services.candidate_thread_start(
                actor=request.user,
                candidate=candidate,
                body=form.cleaned_data["body"],
                files=form.cleaned_data["files"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("messaging:thread", public_id=message.thread.public_id)
    if thread is not None:
        services.thread_mark_read(user=request.user, thread=thread)
    context = {
        "candidate": candidate, "thread": thread, "merged_threads": merged_threads, "form": form,
        "layout": _layout(request.user),
        "thread_messages": selectors.thread_messages(thread=thread) if thread else [],
    }  # fmt: skip
    template = "messaging/candidate_conversation.html" + ("#conversation" if request.htmx else "")
    response = render(request, template, context)
    if thread is not None and thread.unread:  # now read: the navigation's count follows
        trigger_client_event(response, "unread-changed")
    return response


@require_GET
@employer_only()
def candidate_files(request, public_id):
    """Every file about a candidate, for the recruiter's candidate page."""
    candidate = selectors.candidate_for_conversation(user=request.user, public_id=public_id)
    resumes, attachments = selectors.candidate_files(user=request.user, candidate=candidate)
    context = {"candidate": candidate, "resumes": resumes, "attachments": attachments}
    template = "messaging/candidate_files.html" + ("#candidate-files" if request.htmx else "")
    return render(request, template, context)


# Texting candidates (employer side) ---------------------------------------------------------


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
    has_seat = texting.has_seat(request.user)
    if conversation is not None:
        texting.conversation_mark_read(user=request.user, conversation=conversation)
    return {
        "application": application, "candidate": application.candidate, "conversation": conversation,
        "texts": selectors.conversation_messages(conversation=conversation, channel=channel), "channel": channel,
        "contact": contact, "has_seat": has_seat,
        "form": form or forms.TextForm(initial={"channel": channel or "sms"}, can_text=has_seat),
        "scheduled_invitation": selectors.scheduled_invitation(conversation=conversation),
        "quiet": quiet, "invite_quiet": invite_quiet, "whatsapp_open": bool(contact and texting.whatsapp_window_open(contact)),
        "max_length": settings.TEXT_MAX_LENGTH,
    }  # fmt: skip


@require_GET
@employer_only()
def application_texts(request, public_id):
    application = selectors.texting_application(user=request.user, public_id=public_id)
    context = _texts_context(request, application)
    if request.htmx and request.GET.get("poll"):
        return render(request, "messaging/application_texts.html#text-list", context)
    return render(request, "messaging/application_texts.html", context)


HELD_NOTICE = (
    "{name} has not written on WhatsApp in the last 24 hours: your message is held and goes out "
    "once they answer the invitation."
)


@require_POST
@employer_only()
def application_text_send(request, public_id):
    application = selectors.texting_application(user=request.user, public_id=public_id)
    form = forms.TextForm(request.POST, can_text=texting.has_seat(request.user))
    quiet = None
    if form.is_valid():
        data = form.cleaned_data
        try:
            if data["channel"] == "email":
                texting.email_candidate(actor=request.user, application=application, subject=data["subject"],
                                        body=data["body"])  # fmt: skip
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
        except texting.QuietHours as exc:
            quiet = exc
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect(
                f"{reverse('messaging:application-texts', args=[application.public_id])}?channel={data['channel']}"
            )
    context = _texts_context(request, application, form=form, quiet=quiet)
    return render(
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
    except texting.QuietHours as quiet:
        context = _texts_context(request, application, invite_quiet=quiet)
        return render(request, "messaging/application_texts.html", context)
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
        return render(request, "messaging/_text_cancel.html", context)
    flash.add_message(request, flash.SUCCESS if level == "success" else flash.WARNING, notice)
    url = reverse("messaging:application-texts", args=[application.public_id])
    channel = request.GET.get("channel", "")
    return redirect(f"{url}?channel={channel}" if channel in ("sms", "whatsapp", "email") else url)


@require_POST
@employer_only(Role.OWNER, Role.RECRUITER)
def application_text_review(request, public_id):
    application = selectors.texting_application(user=request.user, public_id=public_id)
    texting.review_resolve(
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
                texting.seat_assign(actor=request.user, user=person)
            else:
                texting.seat_revoke(actor=request.user, user=person)
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
            texting.sender_number_add(actor=request.user, number=form.cleaned_data["number"])
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
    texting.sender_number_set_active(actor=request.user, sender=number, active=not number.is_active)
    return redirect("messaging:sender-numbers")


@require_http_methods(["GET", "POST"])
@employer_only()
def texting_console(request):
    """Development only (the console provider): see what was 'sent' in the conversations one may
    see, and play those candidates. A reply goes to the number that last texted them, and from
    there where a real one would (`texting.waiting_conversation`)."""
    if not settings.TEXTING_PROVIDER.endswith("ConsoleProvider"):
        raise Http404
    texts = selectors.console_texts(user=request.user)
    posted = request.POST if request.method == "POST" else None
    reporting = posted is not None and "delivery" in posted
    delivery = forms.SimulatedDeliveryForm(posted if reporting else None, texts=texts)
    form = forms.SimulatedReplyForm(None if reporting else posted)
    if delivery.is_valid():
        data = delivery.cleaned_data
        texting.text_status_update(
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
            texting.text_receive(
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
