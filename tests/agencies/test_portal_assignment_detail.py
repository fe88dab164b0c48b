from django.urls import reverse

from tests.factories import submit


def test_the_job_page_shows_the_places_left_under_the_cap(client_of, agency_a_user, assignment_a):
    url = reverse("portal:assignment-detail", args=[assignment_a.public_id])
    client = client_of(agency_a_user)
    assert "places left" not in client.get(url).content.decode()  # no cap, nothing to count
    assignment_a.max_submissions = 2
    assignment_a.save()
    submit(agency_a_user, assignment_a)
    submit(agency_a_user, assignment_a)  # previously submitted: takes no place
    assert "1 of 2 places left" in client.get(url).content.decode()
    submit(agency_a_user, assignment_a, email="grace@example.com")
    assert "reached the cap of 2" in client.get(url).content.decode()
