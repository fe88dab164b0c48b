"""manage.py texting_seats: where an operator sets the purchased seat count (not the admin)."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from messaging.models import TextingPlan
from messaging.services import seats
from recruitment.models import AuditEvent, Role
from tests.factories import UserFactory


def _run(*args) -> str:
    out = StringIO()
    call_command("texting_seats", *args, stdout=out)
    return out.getvalue()


def test_shows_the_count(owner, recruiter):
    seats.seat_assign(actor=owner, user=recruiter)
    assert _run() == "1 of 5 texting seats given out.\n"
    assert not AuditEvent.objects.filter(action="texting_plan.changed").exists()


def test_sets_the_count_and_audits_it(db):
    assert _run("12") == "0 of 12 texting seats given out.\n"
    assert TextingPlan.current().seats == 12
    event = AuditEvent.objects.get(action="texting_plan.changed")
    assert event.actor is None and event.data == {
        "from": 5,
        "to": 12,
        "via": "manage.py texting_seats",
    }


def test_never_below_the_seats_given_out(owner, recruiter):
    for user in (recruiter, UserFactory(role=Role.RECRUITER)):
        seats.seat_assign(actor=owner, user=user)
    with pytest.raises(CommandError, match="2 seats are given out"):
        _run("1")
    assert TextingPlan.current().seats == 5
    assert _run("2") == "2 of 2 texting seats given out.\n"


def test_refuses_a_negative_count(db):
    with pytest.raises(CommandError, match="greater than or equal to 0"):
        _run("-1")
    assert TextingPlan.current().seats == 5
