"""`make run` loads the demo data with `manage.py seed_demo` and prints the logins of README's
table; a second run, at every later `make run`, adds nothing."""

from io import StringIO

from django.contrib.auth import authenticate
from django.core.management import call_command

from candidates.models import Submission
from devtools import demo
from recruitment.models import User


def _seed() -> str:
    output = StringIO()
    call_command("seed_demo", stdout=output)
    return output.getvalue()


def test_seed_demo_signs_every_demo_user_in_and_loads_once(db):
    printed = _seed()
    for email, role, where in demo.demo_logins():
        assert f"{email:<32} {role:<40} {where}" in printed
        assert authenticate(email=email, password=demo.DEMO_PASSWORD) is not None, email
    counts = User.objects.count(), Submission.objects.count()
    assert counts[1] > 0
    _seed()
    assert (User.objects.count(), Submission.objects.count()) == counts
