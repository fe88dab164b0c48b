"""The seats form names a person by public id; one that is not a UUID answers 404 like an
unknown one, not 500 (found by tests/test_fuzz.py)."""

import pytest
from django.urls import reverse

from messaging.selectors import texting as texting_selectors


@pytest.mark.parametrize("public_id", ["not-a-uuid", "a\x00b", "9" * 5000])
def test_a_malformed_id_answers_404(client_of, owner, public_id):
    response = client_of(owner).post(
        reverse("messaging:seats"), {"user": public_id, "action": "assign"}
    )
    assert response.status_code == 404


def test_a_real_id_assigns_the_seat(client_of, owner, recruiter):
    """The positive twin."""
    response = client_of(owner).post(
        reverse("messaging:seats"), {"user": str(recruiter.public_id), "action": "assign"}
    )
    assert response.status_code == 302 and texting_selectors.has_seat(recruiter)
