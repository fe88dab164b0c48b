"""The Django admin keeps the messaging rules: private threads' contents stay out of it, consent
and thread membership are read-only, seats and sender numbers change through the services."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from messaging.models import Consent, Seat, SenderNumber, TextContact, TextingPlan, Thread
from messaging.services import seats
from messaging.services import threads as services
from recruitment.models import AuditEvent, Role
from tests.factories import AgencyUserFactory, UserFactory

SECRET = "Offer them 95k but keep it between us"


def _url(model, action, *args):
    return reverse(f"admin:messaging_{model}_{action}", args=args)


@pytest.fixture
def private_message(recruiter, agency_a_user):
    return services.private_thread_start(
        actor=recruiter,
        partner=agency_a_user,
        body=SECRET,
        files=[SimpleUploadedFile("salary-offer.pdf", b"%PDF-1.4")],
    )


@pytest.fixture
def candidate_message(candidate_thread, agency_a_user):
    return services.message_post(
        actor=agency_a_user,
        thread=candidate_thread,
        body="Ada can start in March",
        files=[SimpleUploadedFile("ada-cv.pdf", b"%PDF-1.4")],
    )


# Private threads: the admin shows that they exist, never what was said -----------------------


def test_message_list_never_shows_a_private_body(
    client_of, owner, private_message, candidate_message
):
    html = client_of(owner).get(_url("message", "changelist")).content.decode()
    assert SECRET not in html and SECRET[:40] not in html
    assert "Ada can start in March" in html


def test_message_page_of_a_private_thread_is_not_there(
    client_of, owner, private_message, candidate_message
):
    client = client_of(owner)
    response = client.get(_url("message", "change", private_message.pk), follow=True)
    assert SECRET[:20] not in response.content.decode()
    assert response.redirect_chain and response.redirect_chain[-1][0] == reverse("admin:index")
    shown = client.get(_url("message", "change", candidate_message.pk))
    assert shown.status_code == 200 and "Ada can start in March" in shown.content.decode()


def test_private_bodies_cannot_be_probed_by_searching_or_filtering(
    client_of, owner, private_message
):
    client = client_of(owner)
    message_page = _url("message", "change", private_message.pk)
    file_page = _url("attachment", "change", private_message.attachments.get().pk)
    probes = [
        ("message", {"q": "95k"}, message_page),
        ("message", {"body__icontains": "95k"}, message_page),
        ("message", {"thread": private_message.thread_id}, message_page),
        ("attachment", {"q": "salary"}, file_page),
        ("attachment", {"name__icontains": "salary"}, file_page),
    ]
    for model, query, page in probes:
        response = client.get(_url(model, "changelist"), query)
        assert response.status_code == 200 and page not in response.content.decode()
    thread_probe = client.get(_url("thread", "changelist"), {"messages__body__icontains": "95k"})
    assert thread_probe.status_code == 400


def test_attachment_admin_leaves_out_private_files(
    client_of, owner, private_message, candidate_message
):
    client = client_of(owner)
    html = client.get(_url("attachment", "changelist")).content.decode()
    assert "salary-offer" not in html and "ada-cv.pdf" in html
    private_file = private_message.attachments.get()
    response = client.get(_url("attachment", "change", private_file.pk), follow=True)
    assert "salary-offer" not in response.content.decode()


def test_thread_admin_shows_a_private_thread_exists_and_its_participants(
    client_of, owner, private_message, recruiter, agency_a_user
):
    thread = private_message.thread
    html = client_of(owner).get(_url("thread", "change", thread.pk)).content.decode()
    assert recruiter.full_name in html and agency_a_user.full_name in html
    assert SECRET[:20] not in html and "salary-offer" not in html


def test_private_thread_participants_cannot_be_changed(
    client_of, owner, private_message, agency_a, agency_a_user
):
    thread = private_message.thread
    intruder = AgencyUserFactory(agency=agency_a)
    response = client_of(owner).post(
        _url("thread", "change", thread.pk),
        {
            "kind": "private",
            "agency": agency_a.pk,
            "agency_user": intruder.pk,
            "employer_user": owner.pk,
            "created_by": owner.pk,
            "created_at_0": "2026-01-05",
            "created_at_1": "10:00:00",
        },
    )
    assert response.status_code == 403
    thread.refresh_from_db()
    assert thread.agency_user == agency_a_user and thread.employer_user != owner
    assert not Thread.objects.visible_to(intruder).filter(pk=thread.pk).exists()


def test_audit_log_admin_never_shows_a_deleted_private_message(
    client_of, owner, recruiter, private_message, candidate_message, agency_a_user
):
    services.message_delete(actor=recruiter, message=private_message)
    services.message_delete(actor=agency_a_user, message=candidate_message)
    client = client_of(owner)
    private_event, candidate_event = (
        AuditEvent.objects.get(action="message.deleted", object_id=str(message.public_id))
        for message in (private_message, candidate_message)
    )
    html = client.get(reverse("admin:recruitment_auditevent_change", args=[private_event.pk]))
    html = html.content.decode()
    assert SECRET[:20] not in html and "salary-offer" not in html and "not shown" in html
    shown = client.get(reverse("admin:recruitment_auditevent_change", args=[candidate_event.pk]))
    assert "Ada can start in March" in shown.content.decode()


def test_audit_log_admin_cannot_be_filtered_by_what_was_said(
    client_of, owner, recruiter, private_message
):
    services.message_delete(actor=recruiter, message=private_message)
    changelist = reverse("admin:recruitment_auditevent_changelist")
    client = client_of(owner)
    assert client.get(changelist, {"data__body__icontains": "95k"}).status_code == 400
    assert client.get(changelist, {"action": "message.deleted"}).status_code == 200


# Consent: only the candidate's words or the review path change it ----------------------------


def test_text_contact_consent_cannot_be_changed_in_the_admin(client_of, owner):
    contact = TextContact.objects.create(phone="+447400123456", sms_consent=Consent.OPTED_OUT)
    client = client_of(owner)
    response = client.post(
        _url("textcontact", "change", contact.pk),
        {"phone": contact.phone, "sms_consent": Consent.OPTED_IN},
    )
    assert response.status_code == 403
    contact.refresh_from_db()
    assert contact.sms_consent == Consent.OPTED_OUT
    page = client.get(_url("textcontact", "change", contact.pk))
    assert page.status_code == 200 and "Opted out" in page.content.decode()


# Seats: within the purchased count, through the service --------------------------------------


def test_seat_beyond_the_plan_is_refused(client_of, owner, recruiter):
    TextingPlan.objects.update_or_create(pk=1, defaults={"seats": 1})
    seats.seat_assign(actor=owner, user=recruiter)
    other = UserFactory(role=Role.RECRUITER)
    response = client_of(owner).post(_url("seat", "add"), {"user": other.pk})
    assert response.status_code == 200 and "All 1 seats are taken" in response.content.decode()
    assert not Seat.objects.filter(user=other).exists()


def test_seat_within_the_plan_is_given_and_audited(client_of, owner, recruiter):
    TextingPlan.objects.update_or_create(pk=1, defaults={"seats": 2})
    response = client_of(owner).post(_url("seat", "add"), {"user": recruiter.pk})
    assert response.status_code == 302
    seat = Seat.objects.get(user=recruiter)
    assert seat.assigned_by == owner
    assert AuditEvent.objects.filter(action="seat.assigned", actor=owner).exists()
    assert AuditEvent.objects.filter(action="admin.added", actor=owner).exists()


def test_seat_for_an_agency_user_is_refused(client_of, owner, agency_a_user):
    response = client_of(owner).post(_url("seat", "add"), {"user": agency_a_user.pk})
    assert response.status_code == 200 and "errornote" in response.content.decode()
    assert not Seat.objects.exists()


def test_taking_a_seat_back_goes_through_the_service(client_of, owner, recruiter):
    seat = seats.seat_assign(actor=owner, user=recruiter)
    client = client_of(owner)
    response = client.post(
        _url("seat", "changelist"),
        {"action": "delete_selected", "_selected_action": [seat.pk], "post": "yes"},
    )
    assert response.status_code == 302 and not Seat.objects.exists()
    assert AuditEvent.objects.filter(action="seat.revoked", actor=owner).exists()
    assert AuditEvent.objects.filter(action="admin.deleted", actor=owner).exists()


def test_purchased_seat_count_is_not_editable(client_of, owner):
    plan = TextingPlan.current()
    response = client_of(owner).post(_url("textingplan", "change", plan.pk), {"seats": 99})
    assert response.status_code == 403
    plan.refresh_from_db()
    assert plan.seats == 5


# Sender numbers: through the service, so a bad number is refused at the field ----------------


def test_sender_number_is_added_through_the_service(client_of, owner):
    client = client_of(owner)
    refused = client.post(_url("sendernumber", "add"), {"number": "12"})
    assert refused.status_code == 200 and not SenderNumber.objects.exists()
    response = client.post(_url("sendernumber", "add"), {"number": "+44 7400 123999"})
    assert response.status_code == 302
    sender = SenderNumber.objects.get()
    assert (sender.number, sender.country, sender.added_by) == ("+447400123999", "GB", owner)
    assert AuditEvent.objects.filter(action="sender_number.added").exists()


def test_sender_number_is_deactivated_through_the_service(client_of, owner):
    sender = seats.sender_number_add(actor=owner, number="+447400123999")
    response = client_of(owner).post(_url("sendernumber", "change", sender.pk), {})
    assert response.status_code == 302
    sender.refresh_from_db()
    assert not sender.is_active
    assert AuditEvent.objects.filter(action="sender_number.deactivated", actor=owner).exists()
