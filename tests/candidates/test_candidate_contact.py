"""Edit contact info: recruiters change a candidate's email and phone; the unique claims move with
them, a value another candidate holds is refused at the field, and texting consent stays with the
person and the number it was given for."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from candidates import duplicates, services
from candidates.models import Application, Candidate, DuplicateRules, IdentityClaim, Submission
from messaging.models import Consent, TextContact
from messaging.services import texting
from recruitment.models import AuditEvent
from tests.factories import AssignmentFactory, JobFactory, submit

OLD, NEW, LINUS = "+447400123456", "+447400654321", "+447400777777"


@pytest.fixture
def ada(agency_a_user, assignment_a):
    return submit(agency_a_user, assignment_a, phone=OLD, text_consent=True).candidate


def _url(candidate):
    return reverse("candidates:candidate-contact", args=[candidate.public_id])


def _claims():
    return dict(IdentityClaim.objects.values_list("value", "candidate"))


def test_new_values_take_over_the_claims_and_are_audited(ada, recruiter):
    duplicates.candidate_update_contact(
        actor=recruiter, candidate=ada, email="Ada.King@Example.com", phone=NEW
    )
    ada.refresh_from_db()
    assert (ada.email, ada.phone) == ("ada.king@example.com", NEW)
    assert _claims() == {"ada.king@example.com": ada.pk, NEW: ada.pk}
    event = AuditEvent.objects.get(action="candidate.contact_changed")
    assert event.data["phone"] == {"from": OLD, "to": NEW} and event.actor == recruiter
    assert "ada@example.com → ada.king@example.com" in event.summary


def test_the_old_value_is_free_and_the_new_one_identifies_them(ada, recruiter, agency_b_user, job):
    duplicates.candidate_update_contact(actor=recruiter, candidate=ada, email=ada.email, phone=NEW)
    assignment_b = AssignmentFactory(job=job, agency=agency_b_user.membership.agency)
    assert submit(agency_b_user, assignment_b, email="", phone=NEW).outcome == "duplicate"
    someone = submit(agency_b_user, assignment_b, first_name="Grace", email="", phone=OLD)
    assert someone.outcome == "new"


def test_a_value_another_candidate_holds_is_refused_at_the_field(
    ada, recruiter, agency_a_user, assignment_a
):
    grace = submit(
        agency_a_user, assignment_a, first_name="Grace", email="grace@example.com", phone=NEW
    ).candidate
    with pytest.raises(ValidationError) as refused:
        duplicates.candidate_update_contact(
            actor=recruiter, candidate=ada, email="grace@example.com", phone=OLD
        )
    assert "Grace Lovelace" in refused.value.message_dict["email"][0]
    assert _claims()["grace@example.com"] == grace.pk and _claims()[OLD] == ada.pk  # nothing moved


def test_a_claim_held_without_the_value_on_the_profile_is_refused_too(
    ada, recruiter, agency_a_user, assignment_a
):
    """A merge leaves the survivor holding the merged record's email without showing it."""
    merged = submit(agency_a_user, assignment_a, first_name="Augusta", email="ada.k@example.com")
    services.candidate_merge(actor=recruiter, into=ada, merged=merged.candidate)
    linus = submit(agency_a_user, assignment_a, first_name="Linus", email="linus@example.com")
    with pytest.raises(ValidationError) as refused:
        duplicates.candidate_update_contact(
            actor=recruiter, candidate=linus.candidate, email="ada.k@example.com", phone=""
        )
    assert "Ada Lovelace" in refused.value.message_dict["email"][0]


def test_same_job_scope_keeps_a_claim_per_job(recruiter, agency_a_user, assignment_a, agency_a):
    DuplicateRules.objects.update_or_create(pk=1, defaults={"scope": DuplicateRules.Scope.SAME_JOB})
    ada = submit(agency_a_user, assignment_a).candidate
    duplicates.candidate_update_contact(actor=recruiter, candidate=ada, email=ada.email, phone=NEW)
    other_job = AssignmentFactory(job=JobFactory(coordinator=recruiter), agency=agency_a)
    assert set(IdentityClaim.objects.filter(kind="phone").values_list("job", flat=True)) == {
        assignment_a.job_id
    }
    assert submit(agency_a_user, other_job, email="", phone=NEW).outcome == "new"


def test_keeps_an_email_or_a_phone(ada, recruiter):
    with pytest.raises(ValidationError) as refused:
        duplicates.candidate_update_contact(actor=recruiter, candidate=ada, email="", phone="")
    assert refused.value.message_dict == {
        "email": ["Keep an email address or a phone number, so that duplicates can be caught."]
    }


def _texting_state(candidate):
    application = Submission.objects.get(candidate=candidate).application
    application.refresh_from_db()
    return texting.contact_for(application)


def test_the_old_numbers_consent_never_carries_over_to_a_new_number(ada, recruiter):
    old_contact = _texting_state(ada)
    old_contact.sms_consent = Consent.OPTED_IN
    old_contact.save()
    duplicates.candidate_update_contact(actor=recruiter, candidate=ada, email=ada.email, phone=NEW)
    contact = _texting_state(ada)
    assert contact.phone == NEW and contact.sms_consent == Consent.NONE  # cannot even be invited
    assert TextContact.objects.get(phone=OLD).sms_consent == Consent.OPTED_IN  # the number's own


@pytest.mark.parametrize(
    ("adas_answer", "linus_sees"),
    [(Consent.OPTED_IN, Consent.CONSENTED), (Consent.OPTED_OUT, Consent.OPTED_OUT)],
)
def test_a_number_given_to_another_candidate_brings_its_stop_but_not_its_yes(
    ada, recruiter, agency_a_user, assignment_a, adas_answer, linus_sees
):
    """Ada's number, once she moved on, is typed into Linus's profile: her YES was hers, so Linus
    is asked again; a STOP stays with the number, whoever has it, until START from it."""
    old_contact = _texting_state(ada)
    old_contact.sms_consent = adas_answer
    old_contact.save()
    duplicates.candidate_update_contact(actor=recruiter, candidate=ada, email=ada.email, phone=NEW)
    linus = submit(agency_a_user, assignment_a, first_name="Linus", email="linus@example.com")
    duplicates.candidate_update_contact(
        actor=recruiter, candidate=linus.candidate, email="linus@example.com", phone=OLD,
        text_consent=True,
    )  # fmt: skip
    assert _texting_state(linus.candidate).sms_consent == linus_sees
    assert TextContact.objects.get(phone=OLD).sms_consent == adas_answer  # still Ada's answer


def test_consent_for_the_new_number_still_needs_the_candidates_yes(ada, recruiter):
    duplicates.candidate_update_contact(
        actor=recruiter, candidate=ada, email=ada.email, phone=NEW, text_consent=True
    )
    assert _texting_state(ada).sms_consent == Consent.CONSENTED  # invite, then their YES
    event = AuditEvent.objects.get(action="candidate.contact_changed")
    assert event.data["text_consent"] is True


def test_an_email_change_keeps_the_texting_consent(ada, recruiter):
    duplicates.candidate_update_contact(
        actor=recruiter, candidate=ada, email="a@k.example", phone=OLD
    )
    ada.refresh_from_db()
    assert ada.text_consent_at is not None


def test_the_audit_entry_names_the_candidate_their_agency_and_every_value(ada, recruiter):
    duplicates.candidate_update_contact(actor=recruiter, candidate=ada, email="", phone=NEW)
    duplicates.candidate_update_contact(
        actor=recruiter, candidate=ada, email="ada.king@example.com", phone=""
    )
    added_email, removed_phone = AuditEvent.objects.filter(
        action="candidate.contact_changed"
    ).order_by("-id")
    assert (added_email.object_id, added_email.agency_id) == (str(ada.public_id), ada.agency_id)
    assert removed_phone.summary == f"Ada Lovelace: email ada@example.com → —; phone {OLD} → {NEW}"
    assert added_email.summary == f"Ada Lovelace: email — → ada.king@example.com; phone {NEW} → —"


def test_the_texting_consent_is_audited_only_when_the_phone_changes(ada, recruiter):
    duplicates.candidate_update_contact(
        actor=recruiter, candidate=ada, email="a@k.example", phone=OLD
    )
    duplicates.candidate_update_contact(
        actor=recruiter, candidate=ada, email="a@k.example", phone=NEW
    )
    email_changed, phone_changed = AuditEvent.objects.filter(
        action="candidate.contact_changed"
    ).order_by("id")
    assert email_changed.data == {"email": {"from": "ada@example.com", "to": "a@k.example"}}
    assert phone_changed.data == {"phone": {"from": OLD, "to": NEW}, "text_consent": False}


def test_a_value_already_taken_is_named_at_its_field(ada, recruiter, agency_a_user, assignment_a):
    submit(agency_a_user, assignment_a, first_name="Grace", email="grace@example.com", phone=NEW)
    with pytest.raises(ValidationError) as refused:
        duplicates.candidate_update_contact(
            actor=recruiter, candidate=ada, email="grace@example.com", phone=OLD
        )
    assert refused.value.message_dict == {
        "email": [
            "This email address already belongs to Grace Lovelace (another candidate). Check "
            "it; to move it, remove it from Grace Lovelace's profile first."
        ]
    }
    with pytest.raises(ValidationError) as refused:
        duplicates.candidate_update_contact(
            actor=recruiter, candidate=ada, email=ada.email, phone=NEW
        )
    assert refused.value.message_dict["phone"][0].startswith(
        "This phone number already belongs to Grace Lovelace"
    )


# Ownership windows: a new value is owned from when the person was first presented -----------

PRESENTED = timedelta(days=100)


def _presented_ago(candidate, age):
    moment = timezone.now() - age
    Candidate.objects.filter(pk=candidate.pk).update(created_at=moment)
    IdentityClaim.objects.filter(candidate=candidate).update(claimed_at=moment)
    return moment


def _windows(kind):
    return dict(IdentityClaim.objects.filter(kind=kind).values_list("job", "claimed_at"))


def test_a_new_phone_keeps_the_window_of_the_claim_it_replaces(ada, recruiter):
    presented = _presented_ago(ada, PRESENTED)
    duplicates.candidate_update_contact(actor=recruiter, candidate=ada, email=ada.email, phone=NEW)
    assert _windows("phone") == {None: presented}  # her ownership ends when it would have


def test_a_phone_given_to_a_candidate_without_one_takes_the_emails_window(
    agency_a_user, assignment_a, recruiter
):
    ada = submit(agency_a_user, assignment_a).candidate
    presented = _presented_ago(ada, PRESENTED)
    duplicates.candidate_update_contact(actor=recruiter, candidate=ada, email=ada.email, phone=NEW)
    assert _windows("phone") == {None: presented}


@pytest.fixture
def direct_applicant(job, recruiter):
    """Entered by the employer (a direct application): shows a phone but holds no claim."""
    applied = timezone.now() - timedelta(days=50)
    person = Candidate.objects.create(
        first_name="Linus", last_name="Torvalds", phone=LINUS, source=Candidate.Source.DIRECT,
        created_at=applied,
    )  # fmt: skip
    Application.objects.create(candidate=person, job=job, created_at=applied)
    return person


def test_a_direct_applicant_given_an_email_holds_it_from_when_they_applied(
    direct_applicant, recruiter, agency_b_user, job
):
    duplicates.candidate_update_contact(
        actor=recruiter, candidate=direct_applicant, email="linus@example.com", phone=LINUS
    )
    assert _windows("email") == {None: direct_applicant.created_at}
    assignment_b = AssignmentFactory(job=job, agency=agency_b_user.membership.agency)
    again = submit(
        agency_b_user,
        assignment_b,
        first_name="Linus",
        last_name="Torvalds",
        email="linus@example.com",
    )
    assert again.outcome == "duplicate" and again.candidate == direct_applicant


def test_under_the_same_job_scope_a_direct_applicant_is_claimed_for_each_job_they_applied_to(
    direct_applicant, recruiter
):
    DuplicateRules.objects.update_or_create(pk=1, defaults={"scope": DuplicateRules.Scope.SAME_JOB})
    second_job = JobFactory(coordinator=recruiter)
    Application.objects.create(candidate=direct_applicant, job=second_job)
    duplicates.candidate_update_contact(
        actor=recruiter, candidate=direct_applicant, email="linus@example.com", phone=LINUS
    )
    applied = direct_applicant.created_at
    first_job = direct_applicant.applications.exclude(job=second_job).get().job_id
    assert _windows("email") == {first_job: applied, second_job.pk: applied}


def test_a_recruiter_cannot_give_away_a_value_a_direct_applicant_shows(
    direct_applicant, ada, recruiter
):
    with pytest.raises(ValidationError) as refused:
        duplicates.candidate_update_contact(
            actor=recruiter, candidate=ada, email=ada.email, phone=LINUS
        )
    assert "Linus Torvalds" in refused.value.message_dict["phone"][0]


@pytest.fixture
def presented_for_two_jobs(agency_a_user, assignment_a, agency_a, recruiter):
    """Under the same-job scope agency A presented Ada for job 1 a hundred days ago, and for job 2
    today (a record of its own, by email only), which a recruiter merged into the first; returns
    a function giving Ada, first presented with or without a phone, and the windows per job."""
    DuplicateRules.objects.update_or_create(pk=1, defaults={"scope": DuplicateRules.Scope.SAME_JOB})
    second = AssignmentFactory(job=JobFactory(coordinator=recruiter), agency=agency_a)

    def present(phone):
        first = submit(agency_a_user, assignment_a, phone=phone).candidate
        presented = _presented_ago(first, PRESENTED)
        again = submit(agency_a_user, second)
        assert again.outcome == "new"  # the same-job scope: a record of its own
        services.candidate_merge(actor=recruiter, into=first, merged=again.candidate)
        first.refresh_from_db()
        windows = {assignment_a.job_id: presented, second.job_id: _windows("email")[second.job_id]}
        assert windows[assignment_a.job_id] != windows[second.job_id]
        return first, windows

    return present


def test_a_phone_added_after_a_merge_is_claimed_for_each_job_from_its_own_presentation(
    presented_for_two_jobs, recruiter
):
    ada, windows = presented_for_two_jobs(phone="")
    duplicates.candidate_update_contact(actor=recruiter, candidate=ada, email=ada.email, phone=NEW)
    assert _windows("phone") == windows


def test_an_email_changed_after_a_merge_keeps_each_jobs_window(presented_for_two_jobs, recruiter):
    ada, windows = presented_for_two_jobs(phone=OLD)  # the phone: claimed for job 1 only
    duplicates.candidate_update_contact(
        actor=recruiter, candidate=ada, email="a@k.example", phone=OLD
    )
    assert _windows("email") == windows


# The page ----------------------------------------------------------------------------------


def test_page_edits_with_the_agencys_country_as_default_region(client_of, recruiter, ada):
    client = client_of(recruiter)
    detail = reverse("candidates:candidate-detail", args=[ada.public_id])
    assert _url(ada) in client.get(detail).content.decode()
    response = client.post(_url(ada), {"email": ada.email, "phone": "07400 654321"})
    assert response.status_code == 302 and response.url == detail
    ada.refresh_from_db()
    assert ada.phone == NEW  # agency A is in GB


def test_bad_phone_and_taken_email_are_refused_at_their_fields(
    client_of, recruiter, ada, agency_a_user, assignment_a
):
    submit(agency_a_user, assignment_a, first_name="Grace", email="grace@example.com")
    client = client_of(recruiter)
    form = client.post(_url(ada), {"email": ada.email, "phone": "12"}).context["form"]
    assert list(form.errors) == ["phone"] and "12" in form.errors["phone"][0]
    response = client.post(_url(ada), {"email": "grace@example.com", "phone": "07400 654321"})
    assert list(response.context["form"].errors) == ["email"]
    assert 'value="07400 654321"' in response.content.decode()  # what was typed is kept


def test_only_owners_and_recruiters_edit(client_of, hiring_manager, ada, job, agency_a_admin):
    job.hiring_team.add(hiring_manager)
    assert client_of(hiring_manager).get(_url(ada)).status_code == 403
    assert client_of(agency_a_admin).get(_url(ada)).status_code == 404


def test_rejects_other_methods(client_of, recruiter, ada):
    assert client_of(recruiter).put(_url(ada)).status_code == 405
