"""A small sourcing data set built with the real services, then moved to known days, for the
analytics tests (tests/candidates/test_analytics*.py), which check figures worked out by hand.

Q1 2025. Agency A gets job 1 on Jan 10 and job 2 on Feb 1; agency B gets job 1 on Jan 15 (09:00 UTC).

    A, job 1: Ada   Jan 12  new                   -> Interview
              Ben   Jan 20  new                   -> Hired Feb 19 (30 days)
              Ada   Jan 25  previously submitted  (same application as Jan 12)
              Cy    Feb  5  new                   -> Rejected
              Fay   Apr  5  new                   (after the period)
    A, job 2: Dee   Feb  4  new                   -> Offered
              Ada   Feb 10  previously submitted  -> a new application -> Hired Mar 2 (20 days)
    B, job 1: Ada   Jan 16  duplicate
              Eve   Jan 20  new                   -> Hired Mar 1 (40 days)
              Ben   Mar 10  blocked (hired in the window)
"""

from collections import Counter
from datetime import UTC, date, datetime

from agencies.models import JobAssignment
from candidates import analytics, services
from candidates.models import Application, Stage, Submission
from tests.factories import AgencyFactory, AssignmentFactory, JobFactory, submit

Q1 = analytics.Period(date(2025, 1, 1), date(2025, 3, 31))


def at(month: int, day: int) -> datetime:
    return datetime(2025, month, day, 9, tzinfo=UTC)


def build(recruiter, job, agency_a, agency_b, agency_a_user, agency_b_user):
    job2 = JobFactory(coordinator=recruiter, title="Data Analyst")
    a1 = AssignmentFactory(job=job, agency=agency_a)
    a2 = AssignmentFactory(job=job2, agency=agency_a)
    b1 = AssignmentFactory(job=job, agency=agency_b)
    AgencyFactory(name="Agency C")  # sent nothing, submitted nothing

    def person(user, assignment, name, when, *, new_application=True):
        submission = submit(user, assignment, first_name=name, email=f"{name.lower()}@example.com")
        Submission.objects.filter(pk=submission.pk).update(created_at=when)
        if new_application:
            Application.objects.filter(pk=submission.application_id).update(created_at=when)
        return submission

    def stage(submission, stage, when):
        application = Application.objects.get(pk=submission.application_id)
        services.application_set_stage(actor=recruiter, application=application, stage=stage,
                                       reason="Salary" if stage == Stage.REJECTED else "")  # fmt: skip
        Application.objects.filter(pk=application.pk).update(stage_changed_at=when)

    ada = person(agency_a_user, a1, "Ada", at(1, 12))
    ben = person(agency_a_user, a1, "Ben", at(1, 20))
    person(agency_a_user, a1, "Ada", at(1, 25), new_application=False)
    cy = person(agency_a_user, a1, "Cy", at(2, 5))
    dee = person(agency_a_user, a2, "Dee", at(2, 4))
    ada_on_job2 = person(agency_a_user, a2, "Ada", at(2, 10))
    person(agency_b_user, b1, "Ada", at(1, 16), new_application=False)
    eve = person(agency_b_user, b1, "Eve", at(1, 20))
    stage(ada, Stage.INTERVIEW, at(2, 1))
    stage(ben, Stage.HIRED, at(2, 19))
    stage(cy, Stage.REJECTED, at(2, 20))
    stage(dee, Stage.OFFERED, at(3, 1))
    stage(ada_on_job2, Stage.HIRED, at(3, 2))
    stage(eve, Stage.HIRED, at(3, 1))
    person(agency_b_user, b1, "Ben", at(3, 10), new_application=False)
    person(agency_a_user, a1, "Fay", at(4, 5))
    for assignment, when in ((a1, at(1, 10)), (a2, at(2, 1)), (b1, at(1, 15))):
        JobAssignment.objects.filter(pk=assignment.pk).update(assigned_at=when)
    outcomes = Counter(Submission.objects.values_list("outcome", flat=True))
    assert outcomes == {"new": 6, "previously_submitted": 2, "duplicate": 1, "blocked": 1}
    return job, job2


# The figures of each agency for Q1, worked out by hand from the table above.
AGENCY_A = {
    "Submissions": 6, "New": 4, "Previously submitted": 2, "Duplicate": 0, "Blocked": 0,
    "Presented": 5, "Interviews": 4, "Offers": 3, "Hires": 2, "Rejections": 1,
    "Submission → interview": "80%", "Submission → hire": "40%", "Jobs sent": 2,
    "Days to first submission": "2.5", "Days to hire": "25.0",
}  # fmt: skip
AGENCY_B = {
    "Submissions": 3, "New": 1, "Previously submitted": 0, "Duplicate": 1, "Blocked": 1,
    "Presented": 1, "Interviews": 1, "Offers": 1, "Hires": 1, "Rejections": 0,
    "Submission → interview": "100%", "Submission → hire": "100%", "Jobs sent": 1,
    "Days to first submission": "1.0", "Days to hire": "40.0",
}  # fmt: skip
NOTHING = {
    "Submissions": 0, "New": 0, "Previously submitted": 0, "Duplicate": 0, "Blocked": 0,
    "Presented": 0, "Interviews": 0, "Offers": 0, "Hires": 0, "Rejections": 0,
    "Submission → interview": "—", "Submission → hire": "—", "Jobs sent": 0,
    "Days to first submission": "—", "Days to hire": "—",
}  # fmt: skip
