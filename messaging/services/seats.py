"""Texting seats (within the purchased count) and the pool of sender numbers, which Owners manage;
and which number of the pool texts a candidate."""

import phonenumbers
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from phonenumbers import PhoneNumberType

from candidates import phones
from messaging.models import Seat, SenderNumber, TextContact, TextingPlan
from recruitment import services as core
from recruitment.models import User


@transaction.atomic
def seat_assign(*, actor: User, user: User) -> Seat:
    plan = TextingPlan.objects.select_for_update().get(pk=TextingPlan.current().pk)
    if not user.is_employer or not user.is_active:
        raise ValidationError("Only active employer users can hold a texting seat.")
    if Seat.objects.count() >= plan.seats:
        raise ValidationError(f"All {plan.seats} seats are taken. Take one back first.")
    seat, created = Seat.objects.get_or_create(user=user, defaults={"assigned_by": actor})
    if created:
        core.audit_record(
            actor=actor, action="seat.assigned", obj=user, summary=f"Gave a texting seat to {user}"
        )
    return seat


@transaction.atomic
def seat_revoke(*, actor: User, user: User) -> None:
    if Seat.objects.filter(user=user).delete()[0]:
        core.audit_record(
            actor=actor, action="seat.revoked", obj=user, summary=f"Took back {user}'s texting seat"
        )


@transaction.atomic
def texting_plan_set_seats(*, actor: User | None, seats: int, via: str = "") -> TextingPlan:
    """Set how many seats were bought (an operator's `manage.py texting_seats`); never fewer than
    are given out."""
    plan = TextingPlan.objects.select_for_update().get(pk=TextingPlan.current().pk)
    before, plan.seats = plan.seats, seats
    plan.full_clean()
    if seats < (in_use := Seat.objects.count()):
        raise ValidationError(
            f"{in_use} seats are given out: take some back before lowering the count to {seats}."
        )
    plan.save(update_fields=["seats"])
    core.audit_record(
        actor=actor,
        action="texting_plan.changed",
        obj=plan,
        summary=f"Set the purchased texting seats from {before} to {seats}",
        data={"from": before, "to": seats, "via": via},
    )
    return plan


@transaction.atomic
def sender_number_add(*, actor: User, number: str) -> SenderNumber:
    try:
        e164 = phones.to_e164(number)
    except ValidationError as exc:
        raise ValidationError({"number": exc.messages}) from exc
    if not e164:
        raise ValidationError(
            {"number": "Enter the number in international form, e.g. +1 415 555 0123."}
        )
    if problem := _cannot_text(e164):
        raise ValidationError({"number": problem})
    sender = SenderNumber(number=e164, country=phones.region_of(e164), added_by=actor)
    try:
        with transaction.atomic():
            sender.save()
    except IntegrityError as exc:
        raise ValidationError({"number": f"{e164} is already in the pool."}) from exc
    core.audit_record(
        actor=actor, action="sender_number.added", obj=sender, summary=f"Added {e164} to the pool"
    )
    return sender


KINDS_OF_NUMBER = {
    PhoneNumberType.FIXED_LINE: "landline",
    PhoneNumberType.VOIP: "VoIP",
    PhoneNumberType.TOLL_FREE: "toll-free",
    PhoneNumberType.PREMIUM_RATE: "premium-rate",
    PhoneNumberType.SHARED_COST: "shared-cost",
    PhoneNumberType.PERSONAL_NUMBER: "personal (forwarding)",
    PhoneNumberType.PAGER: "pager",
    PhoneNumberType.UAN: "company (UAN)",
    PhoneNumberType.VOICEMAIL: "voicemail",
}


def _cannot_text(e164: str) -> str:
    """Why a number cannot be an SMS sender ('' when it can): mobile numbers can, and numbers
    phonenumbers cannot tell from mobiles (all of North America's); North American toll-free
    numbers too (verified toll-free SMS). Landlines, VoIP and the rest cannot."""
    number = phonenumbers.parse(e164)
    kind = phonenumbers.number_type(number)
    if kind in (PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE):
        return ""
    if kind == PhoneNumberType.TOLL_FREE and number.country_code == 1:
        return ""
    formatted = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    return (
        f"{formatted} is a {KINDS_OF_NUMBER.get(kind, 'non-mobile')} number: it cannot send "
        "texts. Add a mobile number (or a North American toll-free one)."
    )


def choose_sender(contact: TextContact) -> SenderNumber:
    """The candidate's own country, else a number sharing their country code (+44 serves Guernsey,
    +1 all of North America), else a US number, else any; the same number every time."""
    if contact.sender and contact.sender.is_active:
        return contact.sender
    pool = list(SenderNumber.objects.filter(is_active=True))
    country, code = phones.region_of(contact.phone), _calling_code(contact.phone)
    preferences = (
        lambda sender: sender.country == country,
        lambda sender: _calling_code(sender.number) == code,
        lambda sender: sender.country == "US",
        lambda sender: True,
    )
    sender = next((s for prefer in preferences for s in pool if prefer(s)), None)
    if sender is None:
        raise ValidationError("There is no sender number in the pool yet. An Owner can add one.")
    contact.sender = sender
    contact.save(update_fields=["sender", "updated_at"])
    return sender


def _calling_code(e164: str) -> int:
    return phonenumbers.parse(e164).country_code


@transaction.atomic
def sender_number_set_active(*, actor: User, sender: SenderNumber, active: bool) -> None:
    sender.is_active = active
    sender.save(update_fields=["is_active"])
    state = "reactivated" if active else "deactivated"
    core.audit_record(
        actor=actor,
        action=f"sender_number.{state}",
        obj=sender,
        summary=f"{state.capitalize()} {sender}",
    )
