import struct
from datetime import UTC, datetime

import phonenumbers
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from candidates.models import Application, Candidate, DuplicateRules, Resume, Stage, Submission
from tests.factories import AssignmentFactory, JobFactory


@pytest.fixture
def url():
    return reverse("portal-candidates:create")


def _mobile(region):
    number = phonenumbers.example_number_for_type(region, phonenumbers.PhoneNumberType.MOBILE)
    return phonenumbers.format_number(
        number, phonenumbers.PhoneNumberFormat.NATIONAL
    ), phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _data(assignment, **overrides):
    return {
        "first_name": "Ada",
        "last_name": "Lovelace",
        "email": "Ada@Example.com",
        "phone": "",
        "assignment": assignment.pk,
        "note": "Great fit",
    } | overrides


def test_new_submission_shows_the_outcome(
    client_of, agency_a_user, assignment_a, url, django_capture_on_commit_callbacks
):
    national, e164 = _mobile("GB")  # agency A is in GB, so a national number is read as British
    with django_capture_on_commit_callbacks(execute=True):
        response = client_of(agency_a_user).post(
            url, _data(assignment_a, phone=national), follow=True
        )
    submission = Submission.objects.get()
    assert (submission.email, submission.phone, submission.outcome) == (
        "ada@example.com",
        e164,
        "new",
    )
    html = response.content.decode()
    assert "Outcome: New" in html and "Counted in your agency" in html


def test_duplicate_outcome_never_names_the_other_agency(
    client_of, agency_a_user, agency_b_user, assignment_a, job, url
):
    client_of(agency_a_user).post(url, _data(assignment_a))
    assignment_b = AssignmentFactory(job=job, agency=agency_b_user.membership.agency)
    html = client_of(agency_b_user).post(url, _data(assignment_b), follow=True).content.decode()
    assert "Outcome: Duplicate" in html and "Agency A" not in html


def test_invalid_phone_is_refused_at_the_field_and_everything_typed_is_kept(
    client_of, agency_a_user, assignment_a, url
):
    resume = SimpleUploadedFile(
        "ada.txt", b"Ada Lovelace\nada@example.com\nAnalyst", content_type="text/plain"
    )
    response = client_of(agency_a_user).post(
        url, _data(assignment_a, phone="+44 1632 960947", resume=resume)
    )
    form = response.context["form"]
    assert list(form.errors) == ["phone"]
    assert "not a valid number" in form.errors["phone"][0] and "+44" in form.errors["phone"][0]
    html = response.content.decode()
    assert (
        'value="Ada"' in html
        and 'value="Lovelace"' in html
        and "Great fit" in html
        and "+44 1632 960947" in html
    )
    assert "Keeping <strong>ada.txt</strong>" in html
    assert not Submission.objects.exists()


def test_kept_resume_is_used_on_the_next_attempt(client_of, agency_a_user, assignment_a, url):
    client = client_of(agency_a_user)
    resume = SimpleUploadedFile(
        "ada.txt", b"Ada Lovelace\nada@example.com", content_type="text/plain"
    )
    kept = (
        client.post(url, _data(assignment_a, phone="nonsense", resume=resume))
        .context["form"]
        .data["kept_resume"]
    )
    client.post(url, _data(assignment_a, kept_resume=kept))
    resume = Resume.objects.get()
    assert (
        resume.original_name == "ada.txt" and resume.file.read() == b"Ada Lovelace\nada@example.com"
    )


def test_kept_resume_token_of_another_user_is_ignored(
    client_of, agency_a_user, agency_a_admin, assignment_a, url
):
    resume = SimpleUploadedFile("ada.txt", b"Ada Lovelace", content_type="text/plain")
    kept = (
        client_of(agency_a_user)
        .post(url, _data(assignment_a, phone="x", resume=resume))
        .context["form"]
        .data["kept_resume"]
    )
    client_of(agency_a_admin).post(url, _data(assignment_a, kept_resume=kept))
    assert Submission.objects.count() == 1 and not Resume.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("cv.pdf", b"\x7fELF\x02\x01\x01" + b"\0" * 100, "contents are a program"),
        ("cv.exe", b"MZ" + b"\0" * 100, "Upload a PDF"),
        ("cv.docx", b"%PDF-1.4 fake", "contents are a PDF; rename it to .pdf and upload it again."),
        (
            "cv.pdf",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100),
            "named .pdf but its contents are an older Word document (.doc).",
        ),
        ("cv.odt", b"\x89PNG\r\n\x1a\n" + bytes(100), "contents are an image"),
    ],
)
def test_wrong_file_types_are_refused_at_the_field(
    client_of, agency_a_user, assignment_a, url, name, content, message
):
    response = client_of(agency_a_user).post(
        url, _data(assignment_a, resume=SimpleUploadedFile(name, content))
    )
    assert message in response.context["form"].errors["resume"][0]


OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
# A zip whose first member, stored, is "mimetype" holding the OpenDocument text media type.
ODT = b"PK\x03\x04" + bytes(14) + struct.pack("<IIHH", 39, 39, 8, 0) + b"mimetype" + ODT_MIMETYPE


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("cv.doc", OLE + bytes(100)),
        ("cv.rtf", b"{\\rtf1\\ansi Ada Lovelace}"),
        ("cv.odt", ODT),
        ("cv.docx", OLE + bytes(100)),  # an older Word document saved with the .docx name
        ("cv.doc", b"{\\rtf1\\ansi Ada Lovelace}"),  # Word saves RTF as .doc too
    ],
)
def test_word_97_rtf_and_odt_files_are_accepted_by_their_content(
    client_of, agency_a_user, assignment_a, url, name, content
):
    client_of(agency_a_user).post(
        url, _data(assignment_a, resume=SimpleUploadedFile(name, content))
    )
    assert Resume.objects.get().original_name == name


def test_file_over_the_size_limit_is_refused(client_of, agency_a_user, assignment_a, url, settings):
    settings.RESUME_MAX_BYTES = 1024
    big = SimpleUploadedFile("cv.txt", b"a" * 2048)
    assert (
        "limit is 0 MB"
        in client_of(agency_a_user)
        .post(url, _data(assignment_a, resume=big))
        .context["form"]
        .errors["resume"][0]
    )


def test_the_resume_help_states_the_configured_limit(
    client_of, agency_a_user, assignment_a, url, settings
):
    settings.RESUME_MAX_BYTES = 5 * 1024 * 1024
    assert "up to 5 MB" in client_of(agency_a_user).get(url).content.decode()


def test_needs_email_or_phone(client_of, agency_a_user, assignment_a, url):
    response = client_of(agency_a_user).post(url, _data(assignment_a, email="", phone=""))
    assert "email" in response.context["form"].errors


def test_only_open_jobs_of_own_agency_are_offered(
    client_of, agency_a_user, assignment_a, agency_b, recruiter, url
):
    AssignmentFactory(
        agency=agency_b, job=JobFactory(coordinator=recruiter, title="Other agency's job")
    )
    AssignmentFactory(
        agency=assignment_a.agency,
        job=JobFactory(coordinator=recruiter, title="Closed", status="closed"),
    )
    choices = list(client_of(agency_a_user).get(url).context["form"].fields["assignment"].queryset)
    assert choices == [assignment_a]


def test_posting_another_agencys_job_is_refused(client_of, agency_b_user, assignment_a, url):
    response = client_of(agency_b_user).post(url, _data(assignment_a))
    assert "assignment" in response.context["form"].errors and not Submission.objects.exists()


def test_cap_message_appears_at_the_job_field(client_of, agency_a_user, assignment_a, url):
    assignment_a.max_submissions = 1
    assignment_a.save()
    client = client_of(agency_a_user)
    client.post(url, _data(assignment_a))
    response = client.post(url, _data(assignment_a, email="grace@example.com"))
    assert "cap of 1" in response.context["form"].errors["assignment"][0]


def test_employer_user_gets_404(client_of, recruiter, agency_a_user, assignment_a, url):
    assert client_of(recruiter).get(url).status_code == 404
    assert client_of(agency_a_user).get(url).status_code == 200


# Contradicting identifiers -----------------------------------------------------------------

KNOWN_PHONE = "+447400123456"


@pytest.fixture
def ada_of_agency_a(agency_a_user, assignment_a):
    from tests.factories import submit

    return submit(agency_a_user, assignment_a, phone=KNOWN_PHONE)


def _grace(assignment, **overrides):
    grace = {"first_name": "Grace", "last_name": "Hopper", "email": "grace@example.com"}
    return _data(assignment, **(grace | {"phone": KNOWN_PHONE} | overrides))


def test_a_known_phone_under_another_name_is_asked_at_the_phone_field(
    client_of, ada_of_agency_a, agency_b_user, job, url
):
    assignment_b = AssignmentFactory(job=job, agency=agency_b_user.membership.agency)
    resume = SimpleUploadedFile("grace.txt", b"Grace Hopper", content_type="text/plain")
    response = client_of(agency_b_user).post(url, _grace(assignment_b, resume=resume))
    form = response.context["form"]
    assert list(form.errors) == ["phone"] and "already known to" in form.errors["phone"][0]
    html = response.content.decode()
    assert f'name="confirm_identity" value="phone:{KNOWN_PHONE}"' in html
    assert (
        'value="Grace"' in html
        and "Great fit" in html
        and "Keeping <strong>grace.txt</strong>" in html
    )
    assert "Ada" not in html and "Agency A" not in html  # never who, for another agency
    assert Submission.objects.count() == 1


def test_confirming_submits_it_held_and_the_page_shows_nothing_of_the_known_person(
    client_of, ada_of_agency_a, agency_a_user, assignment_a, url
):
    from messaging.services import threads as messaging_services

    messaging_services.candidate_thread_start(
        actor=agency_a_user, candidate=ada_of_agency_a.candidate, body="About Ada's interview"
    )
    client = client_of(agency_a_user)
    asked = client.post(url, _grace(assignment_a)).content.decode()
    assert "Ada Lovelace" in asked  # the agency's own candidate may be named
    response = client.post(
        url, _grace(assignment_a, confirm_identity=f"phone:{KNOWN_PHONE}"), follow=True
    )
    held = Submission.objects.get(first_name="Grace")
    assert held.identity_conflict.is_open and response.context["candidate"] is None
    html = response.content.decode()
    assert "Outcome: Previously submitted" in html and "checks whether" in html
    conversation = reverse("messaging:candidate-thread", args=[ada_of_agency_a.candidate.public_id])
    assert conversation not in html and "Ada" not in html
    # the positive twin: the same agency's page of Ada herself shows her conversation
    own = client.get(reverse("portal-candidates:detail", args=[ada_of_agency_a.public_id]))
    assert conversation in own.content.decode()


def test_a_corrected_phone_takes_the_normal_path(
    client_of, ada_of_agency_a, agency_a_user, assignment_a, url
):
    client = client_of(agency_a_user)
    client.post(url, _grace(assignment_a))
    client.post(
        url, _grace(assignment_a, phone="+447400999999", confirm_identity=f"phone:{KNOWN_PHONE}")
    )
    grace = Submission.objects.get(first_name="Grace")
    assert grace.outcome == "new" and not hasattr(grace, "identity_conflict")


def test_places_left_under_the_cap_are_shown_in_the_job_choice(
    client_of, agency_a_user, assignment_a, url
):
    from tests.factories import submit

    assignment_a.max_submissions = 3
    assignment_a.save()
    submit(agency_a_user, assignment_a)
    submit(agency_a_user, assignment_a)  # previously submitted: takes no place
    html = client_of(agency_a_user).get(url).content.decode()
    assert "2 of 3 places left" in html
    submit(agency_a_user, assignment_a, email="grace@example.com")
    submit(agency_a_user, assignment_a, email="linus@example.com")
    assert "cap of 3 reached" in client_of(agency_a_user).get(url).content.decode()


# What the agency user reads for each outcome -------------------------------------------------

FIRST_SUBMITTED = datetime(2026, 3, 5, 10, 0, tzinfo=UTC)


@pytest.fixture
def ada_first_sent_by_agency_a(agency_a_user, assignment_a):
    """Ada, presented by agency A on Mar 5, 2026."""
    from tests.factories import submit

    first = submit(agency_a_user, assignment_a)
    Candidate.objects.filter(pk=first.candidate_id).update(created_at=FIRST_SUBMITTED)
    return first


def _outcome_card(response) -> str:
    html = response.content.decode()
    return html[html.index('id="outcome-title"') : html.index("</section>")]


def test_a_new_person_reads_that_they_are_a_counted_lead(
    client_of, agency_a_user, assignment_a, url
):
    card = _outcome_card(client_of(agency_a_user).post(url, _data(assignment_a), follow=True))
    assert "New candidate: added as a Lead and counted in your submissions." in card


def test_the_agency_presenting_its_own_candidate_again_reads_when_it_did(
    client_of, ada_first_sent_by_agency_a, agency_a_user, assignment_a, url
):
    card = _outcome_card(client_of(agency_a_user).post(url, _data(assignment_a), follow=True))
    assert (
        "Your agency already submitted this person on Mar 5, 2026. "
        "Not counted as new; you still see them."
    ) in card


def test_another_agency_reads_that_the_person_is_known_but_not_to_whom(
    client_of, ada_first_sent_by_agency_a, agency_b_user, job, url
):
    assignment_b = AssignmentFactory(job=job, agency=agency_b_user.membership.agency)
    card = _outcome_card(client_of(agency_b_user).post(url, _data(assignment_b), follow=True))
    assert (
        "Already known to Northwind Talent: another agency presented this person earlier, or "
        "they applied directly. Not counted as new; the earlier submission keeps ownership."
    ) in card
    assert "Agency A" not in card and "Mar 5, 2026" not in card


@pytest.mark.parametrize(
    ("stage", "rule"),
    [(Stage.HIRED, "block_when_hired"), (Stage.INTERVIEW, "block_when_in_process")],
)
def test_a_blocked_person_reads_only_that_the_rules_refuse_them(
    client_of,
    ada_first_sent_by_agency_a,
    agency_a_user,
    agency_b_user,
    assignment_a,
    job,
    url,
    stage,
    rule,
):
    """Another agency never learns of the placement (hired, in process) nor whose it is; the
    agency that presented the person is told that it did, and when."""
    DuplicateRules.objects.update_or_create(pk=1, defaults={rule: True})
    Application.objects.filter(pk=ada_first_sent_by_agency_a.application_id).update(stage=stage)
    assignment_b = AssignmentFactory(job=job, agency=agency_b_user.membership.agency)
    theirs = _outcome_card(client_of(agency_b_user).post(url, _data(assignment_b), follow=True))
    own = _outcome_card(client_of(agency_a_user).post(url, _data(assignment_a), follow=True))
    assert "Outcome: Blocked" in theirs and "Outcome: Blocked" in own
    assert "<p>Not created: the duplicate rules refuse this person.</p>" in theirs
    assert (
        "<p>Not created: the duplicate rules refuse this person. "
        "Your agency submitted them on Mar 5, 2026.</p>"
    ) in own
