"""Every model's visible_to(user), asked by every kind of person in one shared world.

Each test compares, for every persona, the whole list of rows they see with the list SPEC.md
gives them: what they must see and what they must not, in one assertion, so a scope that shows
too little fails as surely as one that shows too much (and a row listed twice fails too).
"""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.utils import timezone

from agencies.models import Agency, Invitation, JobAssignment, agency_id_of, agency_scope
from candidates.models import (
    Application,
    Candidate,
    CandidateNote,
    IdentityConflict,
    Resume,
    Submission,
)
from messaging.models import Conversation, Message, Thread
from recruitment.models import AuditEvent, Job, Notification, Role, User
from tests.factories import (
    AgencyFactory,
    AgencyUserFactory,
    AssignmentFactory,
    JobFactory,
    UserFactory,
    submit,
)

EMPLOYER = ("owner", "recruiter", "manager", "outsider_manager")
AGENCY = ("admin_a", "user_a", "colleague_a", "admin_b", "user_b")
NOBODY = ("inactive_owner", "orphan_admin", "orphan_recruiter", "anonymous")
PERSONAS = EMPLOYER + AGENCY + NOBODY


pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once for the module in a transaction rolled back at its end; each test runs in a
    savepoint inside it."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield _world()
        transaction.set_rollback(True)


def _world():
    """Agencies A, B and C. The manager is on the Berlin and Munich jobs, not on Paris. Ada (two
    applications, both on the manager's jobs) and Mergy (since merged into Ada) were submitted by
    user_a, Grace by colleague_a (Paris, since withdrawn from A), Linus by user_b for Berlin, one
    of the manager's jobs, and for Paris, which is not."""
    w = SimpleNamespace()
    w.owner = UserFactory(role=Role.OWNER, first_name="owner")
    w.recruiter = UserFactory(role=Role.RECRUITER, first_name="recruiter")
    w.manager = UserFactory(role=Role.HIRING_MANAGER, first_name="manager")
    w.outsider_manager = UserFactory(role=Role.HIRING_MANAGER, first_name="outsider_manager")
    w.inactive_owner = UserFactory(role=Role.OWNER, first_name="inactive_owner", is_active=False)
    w.orphan_admin = UserFactory(role=Role.AGENCY_ADMIN, first_name="orphan_admin")
    w.orphan_recruiter = UserFactory(role=Role.AGENCY_RECRUITER, first_name="orphan_recruiter")
    w.anonymous = AnonymousUser()
    w.a, w.b, w.c = (AgencyFactory(name=name) for name in ("A", "B", "C"))
    for name, role, agency in (
        ("admin_a", Role.AGENCY_ADMIN, w.a),
        ("user_a", Role.AGENCY_RECRUITER, w.a),
        ("colleague_a", Role.AGENCY_RECRUITER, w.a),
        ("admin_b", Role.AGENCY_ADMIN, w.b),
        ("user_b", Role.AGENCY_RECRUITER, w.b),
    ):
        setattr(w, name, AgencyUserFactory(role=role, agency=agency, first_name=name))
    berlin, munich, paris = (
        JobFactory(title=title, coordinator=w.recruiter, hiring_team=team)
        for title, team in (("Berlin", [w.manager]), ("Munich", [w.manager]), ("Paris", []))
    )
    to = {
        (job.title, agency.name): AssignmentFactory(job=job, agency=agency)
        for job, agency in (
            (berlin, w.a),
            (berlin, w.b),
            (munich, w.a),
            (paris, w.a),
            (paris, w.b),
            (paris, w.c),
        )
    }
    ada = submit(w.user_a, to["Berlin", "A"], first_name="Ada", email="ada@example.com")
    submit(w.user_a, to["Munich", "A"], first_name="Ada", email="ada@example.com")
    grace = submit(w.colleague_a, to["Paris", "A"], first_name="Grace", email="grace@example.com")
    linus = submit(w.user_b, to["Berlin", "B"], first_name="Linus", email="linus@example.com")
    linus_paris = submit(
        w.user_b, to["Paris", "B"], first_name="Linus", email="linus@example.com"
    ).application
    mergy = submit(w.user_a, to["Berlin", "A"], first_name="Mergy", email="mergy@example.com")
    Candidate.objects.filter(pk=mergy.candidate.pk).update(merged_into=ada.candidate)
    JobAssignment.objects.filter(pk=to["Paris", "A"].pk).update(withdrawn_at=timezone.now())

    for submission in (ada, grace, linus):
        candidate = submission.candidate
        Resume.objects.create(
            candidate=candidate, agency=candidate.agency, file=f"resumes/{candidate}.pdf",
            original_name=f"{candidate.first_name}.pdf", size=1, uploaded_by=candidate.submitted_by,
        )  # fmt: skip
        Conversation.objects.create(application=submission.application)
    Conversation.objects.create(application=linus_paris)
    for submission in (ada, grace):
        CandidateNote.objects.create(
            candidate=submission.candidate, author=w.recruiter, body=submission.first_name
        )
    # B confirmed Ada's email for Linus: a case for the employer, who knows both people
    IdentityConflict.objects.create(
        submission=linus, agency=w.b, candidate=ada.candidate, kind="email",
        value="ada@example.com", known_name="Ada Lovelace", reason=linus.reason,
    )  # fmt: skip

    def thread(kind, subject, agency, **fields):
        created = Thread.objects.create(
            kind=kind, subject=subject, agency=agency, created_by=w.recruiter, **fields
        )
        Message.objects.create(thread=created, agency=agency, author=w.recruiter, body=subject)

    for submission in (ada, grace, linus, mergy):
        thread(
            "candidate", submission.first_name, submission.agency, candidate=submission.candidate
        )
    thread("general", "Fees A", w.a)
    thread("general", "Fees B", w.b)
    for employer_user, agency_user in (
        (w.recruiter, w.user_a),
        (w.manager, w.colleague_a),
        (w.recruiter, w.user_b),
    ):
        subject = f"{employer_user.first_name}+{agency_user.first_name}"
        agency = agency_user.membership.agency
        thread("private", subject, agency, employer_user=employer_user, agency_user=agency_user)

    def invitation(email, role, agency, invited_by):
        Invitation.objects.create(
            email=email, role=role, agency=agency, invited_by=invited_by, token_hash=email,
            expires_at=timezone.now() + timedelta(days=7),
        )  # fmt: skip

    invitation("new@a.example", Role.AGENCY_RECRUITER, w.a, w.admin_a)
    invitation("new@b.example", Role.AGENCY_ADMIN, w.b, w.owner)
    invitation("new@employer.example", Role.RECRUITER, None, w.owner)
    for person in (w.recruiter, w.user_a):
        Notification.objects.create(user=person, text=f"for {person.first_name}")
    return w


def seen(world, model, label, *, personas=PERSONAS):
    """What each persona sees of the model, as sorted labels (a row seen twice shows twice)."""
    return {
        persona: sorted(label(row) for row in model.objects.visible_to(getattr(world, persona)))
        for persona in personas
    }


def expect(**lists):
    """Personas not named see nothing."""
    return {persona: sorted(lists.get(persona, [])) for persona in PERSONAS}


def test_users_see_themselves_owners_everyone_agency_admins_their_agency(world):
    everyone = [user.first_name for user in User.objects.all()]
    agency_a = ["admin_a", "user_a", "colleague_a"]
    themselves = {persona: [persona] for persona in PERSONAS}
    del themselves["inactive_owner"], themselves["anonymous"]
    assert seen(world, User, lambda user: user.first_name) == expect(
        **themselves | {"owner": everyone, "admin_a": agency_a, "admin_b": ["admin_b", "user_b"]}
    )
    assert len(everyone) == 12


def test_jobs_are_seen_by_owners_recruiters_and_their_hiring_team(world):
    every_job = ["Berlin", "Munich", "Paris"]
    assert seen(world, Job, lambda job: job.title) == expect(
        owner=every_job, recruiter=every_job, manager=["Berlin", "Munich"]
    )


def test_notifications_are_their_recipients_own(world):
    personas = EMPLOYER + AGENCY + ("anonymous",)
    assert seen(world, Notification, str, personas=personas) == {
        persona: [f"for {persona}"] if persona in ("recruiter", "user_a") else []
        for persona in personas
    }


def test_the_audit_log_is_for_active_owners_only(world):
    every_event = sorted(str(event.pk) for event in AuditEvent.objects.all())
    assert every_event, "the world's submissions are audited"
    assert seen(world, AuditEvent, lambda event: str(event.pk)) == expect(owner=every_event)


def test_agencies_are_seen_by_recruiters_the_hiring_team_of_their_jobs_and_their_own_users(world):
    every_agency = ["A", "B", "C"]
    assert seen(world, Agency, str) == expect(
        owner=every_agency,
        recruiter=every_agency,
        manager=["A", "B"],  # A works on two of the manager's jobs and is listed once
        admin_a=["A"],
        user_a=["A"],
        colleague_a=["A"],
        admin_b=["B"],
        user_b=["B"],
    )


def test_invitations_are_for_owners_and_the_admins_of_the_agency(world):
    every_invitation = ["new@a.example", "new@b.example", "new@employer.example"]
    assert seen(world, Invitation, lambda invitation: invitation.email) == expect(
        owner=every_invitation, admin_a=["new@a.example"], admin_b=["new@b.example"]
    )


def test_assignments_are_seen_by_recruiters_the_hiring_team_and_the_agency_withdrawn_too(world):
    """An agency keeps reading a job withdrawn from it (SPEC: it keeps access to what it
    submitted); what it may still act on is JobAssignment.objects.active()."""
    every_assignment = ["Berlin>A", "Berlin>B", "Munich>A", "Paris>A", "Paris>B", "Paris>C"]
    a_sees, b_sees = ["Berlin>A", "Munich>A", "Paris>A"], ["Berlin>B", "Paris>B"]
    assert seen(world, JobAssignment, lambda row: f"{row.job.title}>{row.agency}") == expect(
        owner=every_assignment,
        recruiter=every_assignment,
        manager=["Berlin>A", "Berlin>B", "Munich>A"],
        admin_a=a_sees,
        user_a=a_sees,
        colleague_a=a_sees,
        admin_b=b_sees,
        user_b=b_sees,
    )
    acts_on = {
        persona: sorted(
            f"{row.job.title}>{row.agency}"
            for row in JobAssignment.objects.visible_to(getattr(world, persona)).active()
        )
        for persona in ("admin_a", "user_a", "admin_b")
    }
    assert acts_on == {
        "admin_a": ["Berlin>A", "Munich>A"],
        "user_a": ["Berlin>A", "Munich>A"],
        "admin_b": b_sees,
    }


def test_candidates_agency_admins_see_their_pool_agency_recruiters_their_own(world):
    # Mergy was merged into Ada: the employer lists only the survivor, while the agency that
    # brought Mergy keeps its own record in sight (its submission page and thread lead through it).
    everyone = ["Ada", "Grace", "Linus"]
    assert seen(world, Candidate, lambda candidate: candidate.first_name) == expect(
        owner=everyone,
        recruiter=everyone,
        manager=["Ada", "Linus"],  # Ada applied to two of the manager's jobs and is listed once
        admin_a=["Ada", "Grace", "Mergy"],
        user_a=["Ada", "Mergy"],
        colleague_a=["Grace"],
        admin_b=["Linus"],
        user_b=["Linus"],
    )


def test_applications_go_with_their_candidate_and_job_resumes_with_their_candidate(world):
    """The manager sees Linus, who applied to Berlin, but not his application to Paris: another
    job's stage and rejection reason are not theirs to see (SPEC: "those jobs' candidates")."""
    every = ["Ada@Berlin", "Ada@Munich", "Grace@Paris", "Linus@Berlin", "Linus@Paris"]
    applications = seen(
        world, Application, lambda row: f"{row.candidate.first_name}@{row.job.title}"
    )
    assert applications == expect(
        owner=every,
        recruiter=every,
        manager=["Ada@Berlin", "Ada@Munich", "Linus@Berlin"],
        admin_a=["Ada@Berlin", "Ada@Munich", "Grace@Paris", "Mergy@Berlin"],
        user_a=["Ada@Berlin", "Ada@Munich", "Mergy@Berlin"],
        colleague_a=["Grace@Paris"],
        admin_b=["Linus@Berlin", "Linus@Paris"],
        user_b=["Linus@Berlin", "Linus@Paris"],
    )
    with_a_resume = {"Ada", "Grace", "Linus"}  # Mergy was submitted without one
    resumes = {
        persona: sorted(
            {f"{name}.pdf" for name in (row.split("@")[0] for row in rows) if name in with_a_resume}
        )
        for persona, rows in applications.items()
    }
    assert seen(world, Resume, lambda resume: resume.original_name) == resumes


def test_submissions_are_seen_by_recruiters_the_hiring_team_and_agency_scope(world):
    every = ["Ada@Berlin", "Ada@Munich", "Grace@Paris", "Linus@Berlin", "Linus@Paris"]
    every += ["Mergy@Berlin"]
    assert seen(world, Submission, lambda row: f"{row.first_name}@{row.job.title}") == expect(
        owner=every,
        recruiter=every,
        manager=["Ada@Berlin", "Ada@Munich", "Linus@Berlin", "Mergy@Berlin"],
        admin_a=["Ada@Berlin", "Ada@Munich", "Grace@Paris", "Mergy@Berlin"],
        user_a=["Ada@Berlin", "Ada@Munich", "Mergy@Berlin"],
        colleague_a=["Grace@Paris"],
        admin_b=["Linus@Berlin", "Linus@Paris"],
        user_b=["Linus@Berlin", "Linus@Paris"],
    )


def test_identity_conflicts_are_for_the_active_owners_and_recruiters_who_resolve_them(world):
    """Never an agency, not even the one whose submission is held (the case names the person
    already known), nor a hiring manager, nor a disabled Owner."""
    label = "{0.submission.first_name} / {0.known_name}".format
    assert seen(world, IdentityConflict, label) == expect(
        owner=["Linus / Ada Lovelace"], recruiter=["Linus / Ada Lovelace"]
    )


def test_internal_notes_are_for_the_employer_side_only(world):
    assert seen(world, CandidateNote, lambda note: note.body) == expect(
        owner=["Ada", "Grace"], recruiter=["Ada", "Grace"], manager=["Ada"]
    )


THREADS = expect(
    # Owners and recruiters: every thread but the private ones of others
    owner=["Ada", "Grace", "Linus", "Mergy", "Fees A", "Fees B"],
    recruiter=["Ada", "Grace", "Linus", "Mergy", "Fees A", "Fees B"]
    + ["recruiter+user_a", "recruiter+user_b"],
    # The hiring team: their candidates' threads (a merged profile's with its candidate), their own
    # private thread, no general thread
    manager=["Ada", "Linus", "Mergy", "manager+colleague_a"],
    # Agency admins: their agency's threads, but not the private ones of their colleagues
    admin_a=["Ada", "Grace", "Mergy", "Fees A"],
    admin_b=["Linus", "Fees B"],
    # Agency recruiters: their own candidates', the general ones, their own private threads
    user_a=["Ada", "Mergy", "Fees A", "recruiter+user_a"],
    colleague_a=["Grace", "Fees A", "manager+colleague_a"],
    user_b=["Linus", "Fees B", "recruiter+user_b"],
)


def test_threads_follow_their_kind_candidate_and_participants(world):
    assert seen(world, Thread, lambda thread: thread.subject) == THREADS


def test_messages_are_seen_with_their_thread(world):
    assert seen(world, Message, lambda message: message.body) == THREADS


def test_candidate_conversations_are_for_the_employer_people_who_see_the_application(world):
    every = ["Ada@Berlin", "Grace@Paris", "Linus@Berlin", "Linus@Paris"]
    label = "{0.application.candidate.first_name}@{0.application.job.title}".format
    assert seen(world, Conversation, label) == expect(
        owner=every, recruiter=every, manager=["Ada@Berlin", "Linus@Berlin"]
    )


def test_agency_scope_gives_admins_the_agency_recruiters_their_own_and_others_nothing(world):
    rows = Submission.objects.all()
    label = "{0.first_name}@{0.job.title}".format
    assert {
        persona: sorted(map(label, agency_scope(rows, getattr(world, persona))))
        for persona in ("admin_a", "user_a", "owner", "recruiter", "orphan_admin")
    } == {
        "admin_a": ["Ada@Berlin", "Ada@Munich", "Grace@Paris", "Mergy@Berlin"],
        "user_a": ["Ada@Berlin", "Ada@Munich", "Mergy@Berlin"],
        "owner": [],
        "recruiter": [],
        "orphan_admin": [],
    }
    assert agency_id_of(world.admin_a) == world.a.pk and agency_id_of(world.user_b) == world.b.pk
    # A recruiter who moved to agency B sees nothing of what they submitted for A; one whose role
    # became an employer's (the membership left behind) gets nothing from the agency scope.
    moved, promoted = User.objects.get(pk=world.user_a.pk), User.objects.get(pk=world.user_a.pk)
    moved.membership.agency_id = world.b.pk
    promoted.role = Role.RECRUITER
    assert list(agency_scope(rows, moved)) == [] and list(agency_scope(rows, promoted)) == []
    assert agency_id_of(world.recruiter) is None and agency_id_of(world.anonymous) is None
