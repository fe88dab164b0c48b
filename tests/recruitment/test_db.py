from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from candidates.models import Candidate
from recruitment.db import AnyOf, planner_estimate


def _people(count, last_name):
    return Candidate.objects.bulk_create(
        Candidate(first_name="Ada", last_name=last_name) for _ in range(count)
    )


def test_any_of_sends_the_values_as_one_array(db):
    first, _second, third = _people(3, "Lovelace")
    with CaptureQueriesContext(connection) as queries:
        found = Candidate.objects.filter(AnyOf(F("pk"), [first.pk, third.pk]))
        assert sorted(found.values_list("pk", flat=True)) == [first.pk, third.pk]
    assert "= ANY('{" in queries[0]["sql"] and "::bigint[])" in queries[0]["sql"]
    assert not Candidate.objects.filter(AnyOf(F("pk"), [])).exists()


def test_planner_estimate_reads_the_statistics(db):
    _people(40, "Lovelace")
    _people(2, "Hopper")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE candidates_candidate")
    assert planner_estimate(Candidate.objects.all()) == 42
    assert planner_estimate(Candidate.objects.filter(last_name="Hopper")) == 2
