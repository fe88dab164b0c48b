"""A page number from the query string never gives a 500: one past any sane range used to reach
PostgreSQL as an OFFSET beyond bigint ("bigint out of range") on every list counted without COUNT."""

import pytest
from django.urls import reverse

from recruitment.models import Notification
from recruitment.pagination import MAX_PAGE, NoCountPaginator
from recruitment.services import notify

HUGE = "400000000000000000"

NO_COUNT_PAGES = [
    ("owner", "agencies:audit-log"),
    ("owner", "candidates:people"),
    ("owner", "messaging:inbox"),
    ("owner", "messaging:conversations"),
    ("agency_a_admin", "portal-candidates:mine"),
    ("agency_a_admin", "portal-candidates:pool"),
    ("agency_a_admin", "messaging:agency-inbox"),
]
COUNTED_PAGES = [
    ("owner", "recruitment:job-list"),
    ("owner", "agencies:user-list"),
    ("owner", "recruitment:notification-list"),
    ("owner", "candidates:analytics"),
    ("agency_a_admin", "portal:home"),
]


@pytest.mark.parametrize(("who", "name"), NO_COUNT_PAGES + COUNTED_PAGES)
@pytest.mark.parametrize("number", [HUGE, "-" + HUGE, "9" * 5000])
def test_a_page_number_out_of_range_answers_a_page(
    request, client_of, assignment_a, who, name, number
):
    response = client_of(request.getfixturevalue(who)).get(reverse(name), {"page": number})
    assert response.status_code == 200


@pytest.fixture
def notifications(owner):
    notify(users=[owner] * 5, text="Hello")
    return Notification.objects.filter(user=owner).order_by("pk")


def test_a_page_past_the_last_answers_the_first(notifications):
    rows = list(notifications)
    for number in (HUGE, str(MAX_PAGE + 1), "4"):
        page = NoCountPaginator(notifications, 2).page(number)
        assert (page.number, list(page), page.has_more) == (1, rows[:2], True)


def test_pages_in_range_are_as_before(notifications):
    """The positive twin: the numbers a person reaches by Next answer their own rows."""
    rows = list(notifications)
    second, last = (NoCountPaginator(notifications, 2).page(n) for n in ("2", "3"))
    assert (second.number, list(second), second.has_more) == (2, rows[2:4], True)
    assert (last.number, list(last), last.has_more) == (3, rows[4:], False)


def test_the_page_number_is_clamped_below_the_bigint_offset():
    """Past MAX_PAGE the OFFSET is never computed from the typed number."""
    paginator = NoCountPaginator([], 50)
    assert paginator.validate_number(HUGE) == MAX_PAGE
    assert paginator.validate_number("-" + HUGE) == paginator.validate_number("x") == 1
