from django.urls import reverse

from agencies.models import Agency

URL = reverse("agencies:agency-create")
ADMIN = {"admin_first_name": "Maya", "admin_last_name": "Brooks", "admin_email": "maya@new.example"}


def test_the_country_is_chosen_not_preset(client_of, owner):
    html = client_of(owner).get(URL).content.decode()
    assert '<option value="" selected>Choose a country…</option>' in html
    response = client_of(owner).post(URL, {"name": "Nordic Talent", **ADMIN})
    assert response.context["form"].errors["country"] == ["This field is required."]
    assert not Agency.objects.filter(name="Nordic Talent").exists()

    client_of(owner).post(URL, {"name": "Nordic Talent", "country": "SE", **ADMIN})
    assert Agency.objects.get(name="Nordic Talent").country == "SE"
