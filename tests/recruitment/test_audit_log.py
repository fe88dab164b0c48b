import pytest
from django.db import DatabaseError, connection, transaction

from recruitment import services
from recruitment.models import AuditEvent


@pytest.fixture
def event(recruiter):
    return services.audit_record(actor=recruiter, action="test.done", summary="Did a thing")


@pytest.mark.parametrize(
    "statement",
    ["UPDATE recruitment_auditevent SET summary = 'x'", "DELETE FROM recruitment_auditevent"],
)
def test_database_refuses_update_and_delete(event, statement):
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)
    assert AuditEvent.objects.get().summary == "Did a thing"


def test_orm_delete_is_refused_too(event):
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.all().delete()
