import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from messaging.models import Message, Thread
from messaging.services import threads as services


@pytest.fixture
def url(candidate_thread):
    return reverse("messaging:thread", args=[candidate_thread.public_id])


def test_message_renders_as_text_with_safe_links_only(client_of, candidate_thread, recruiter, url):
    body = ('<script>alert(1)</script> <a href="javascript:alert(2)">click</a> javascript:alert(3) '
            '&lt;b&gt; &amp; see https://example.com/jobs?id=1&x=2')  # fmt: skip
    services.message_post(actor=recruiter, thread=candidate_thread, body=body)
    html = client_of(recruiter).get(url).content.decode()
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'href="javascript:' not in html and "&lt;a href=" in html
    assert "&amp;lt;b&amp;gt; &amp;amp;" in html  # entities stay as typed, escaped once more
    assert '<a href="https://example.com/jobs?id=1&amp;x=2" rel="nofollow">' in html


def test_polling_returns_only_newer_messages_and_marks_read(
    client_of, candidate_thread, recruiter, agency_a_user, url
):
    first = candidate_thread.messages.get()
    second = services.message_post(actor=recruiter, thread=candidate_thread, body="Second")
    client = client_of(agency_a_user)
    assert client.get(reverse("messaging:agency-inbox")).context["unread_threads"] == 1
    html = client.get(url, {"after": first.pk}, headers={"HX-Request": "true"}).content.decode()
    assert "Second" in html and "Hi Agency A" not in html and "<html" not in html
    assert client.get(reverse("messaging:agency-inbox")).context["unread_threads"] == 0
    html = client.get(url, {"after": second.pk}, headers={"HX-Request": "true"}).content.decode()
    assert "message" not in html


def test_posting_appends_the_message_fragment(client_of, candidate_thread, agency_a_user):
    response = client_of(agency_a_user).post(
        reverse("messaging:message-post", args=[candidate_thread.public_id]), {"body": "Thanks!"},
        headers={"HX-Request": "true"},
    )  # fmt: skip
    assert "Thanks!" in response.content.decode() and "<html" not in response.content.decode()
    assert candidate_thread.messages.count() == 2


def test_empty_message_is_refused_at_the_field(client_of, candidate_thread, agency_a_user):
    response = client_of(agency_a_user).post(
        reverse("messaging:message-post", args=[candidate_thread.public_id]), {}
    )
    assert response.status_code == 422 and "Write a message" in response.content.decode()


@pytest.mark.parametrize(
    ("name", "size", "error"),
    [("virus.exe", 10, "is not allowed"), ("big.pdf", 11 * 1024 * 1024, "larger than 10 MB")],
)
def test_attachment_limits(client_of, candidate_thread, agency_a_user, name, size, error):
    upload = SimpleUploadedFile(name, b"x" * size)
    response = client_of(agency_a_user).post(
        reverse("messaging:message-post", args=[candidate_thread.public_id]),
        {"body": "file", "files": [upload]},
    )
    assert error in response.content.decode() and candidate_thread.messages.count() == 1


def test_candidate_thread_attachments_are_among_the_candidate_files(
    client_of, candidate_thread, agency_a_user, recruiter, submission
):
    client_of(agency_a_user).post(
        reverse("messaging:message-post", args=[candidate_thread.public_id]),
        {"body": "CV v2", "files": [SimpleUploadedFile("cv-v2.pdf", b"%PDF-1.4")]},
    )
    html = (
        client_of(recruiter)
        .get(reverse("messaging:candidate-files", args=[submission.candidate.public_id]))
        .content.decode()
    )
    assert "cv-v2.pdf" in html


def test_either_side_starts_the_candidate_conversation(client_of, submission, agency_a_user):
    url = reverse("messaging:candidate-thread", args=[submission.candidate.public_id])
    client = client_of(agency_a_user)
    assert "Either side can start" in client.get(url).content.decode()
    response = client.post(url, {"body": "Is she still in the running?"})
    assert response.status_code == 302
    assert Message.objects.get().body == "Is she still in the running?"


def test_thread_page_query_count_is_constant(
    client_of, candidate_thread, recruiter, url, django_assert_num_queries
):
    client = client_of(recruiter)

    def count_queries():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        return len(queries)

    few = count_queries()
    for n in range(30):
        services.message_post(
            actor=recruiter,
            thread=candidate_thread,
            body=f"Message {n}",
            files=[SimpleUploadedFile(f"f{n}.txt", b"x")] if n % 5 == 0 else (),
        )
    assert count_queries() == few


def test_inbox_query_count_is_constant(client_of, recruiter, agency_a, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_of(recruiter)
    services.general_thread_start(actor=recruiter, agency=agency_a, subject="One", body="Hello")
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("messaging:inbox"))
    for n in range(20):
        thread = services.general_thread_start(
            actor=recruiter, agency=agency_a, subject=f"T{n}", body="Hello"
        ).thread
        services.message_post(actor=recruiter, thread=thread, body="More")
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("messaging:inbox"))
    with CaptureQueriesContext(connection) as filtered:
        response = client.get(reverse("messaging:inbox"), {"agency": agency_a.pk})
    assert len(many) == len(few) == len(filtered)
    assert len(response.context["page"].object_list) == 21


def test_inbox_filters_and_search(
    client_of, recruiter, agency_a, agency_b, candidate_thread, agency_a_user
):
    services.general_thread_start(
        actor=recruiter, agency=agency_b, subject="Invoices", body="Payment terms of 30 days"
    )
    client = client_of(recruiter)
    inbox = reverse("messaging:inbox")

    def titles(**params):
        return [t.title for t in client.get(inbox, params).context["page"]]

    assert titles(q="payment") == ["Invoices"]
    assert titles(q="lovelace") == ["Ada Lovelace"]
    assert titles(candidate="ada") == ["Ada Lovelace"]
    assert titles(agency=agency_b.pk) == ["Invoices"]
    services.private_thread_start(actor=recruiter, partner=agency_a_user, body="Psst")
    assert len(titles(private="on")) == 1
    services.message_post(actor=agency_a_user, thread=candidate_thread, body="Reply")
    assert titles(unread="on") == ["Ada Lovelace"]


def test_a_merge_keeps_the_merged_profiles_messages_and_files(
    client_of, recruiter, agency_b_user, job, submission
):
    from datetime import timedelta

    from django.utils import timezone

    from candidates import services as candidate_services
    from candidates.models import IdentityClaim
    from tests.factories import AssignmentFactory, submit

    services.candidate_thread_start(actor=recruiter, candidate=submission.candidate, body="To A")
    IdentityClaim.objects.update(claimed_at=timezone.now() - timedelta(days=400))
    other = submit(
        agency_b_user, AssignmentFactory(job=job, agency=agency_b_user.membership.agency)
    ).candidate
    services.candidate_thread_start(actor=agency_b_user, candidate=other, body="About Ada, from B",
                                    files=[SimpleUploadedFile("ada-b.pdf", b"%PDF-1.4")])  # fmt: skip
    candidate_services.candidate_merge(actor=recruiter, into=submission.candidate, merged=other)
    client = client_of(recruiter)
    conversation = client.get(
        reverse("messaging:candidate-thread", args=[submission.candidate.public_id])
    )
    html = conversation.content.decode()
    assert "About Ada, from B" in html  # the latest thread, and a link to the other
    thread_a = Thread.objects.get(candidate=submission.candidate)
    assert reverse("messaging:thread", args=[thread_a.public_id]) in html
    assert "the conversation with Agency A" in html
    files = client.get(reverse("messaging:candidate-files", args=[submission.candidate.public_id]))
    assert "ada-b.pdf" in files.content.decode()


def test_long_threads_show_the_newest_50_and_page_back(client_of, candidate_thread, recruiter, url):
    for n in range(60):
        services.message_post(
            actor=recruiter, thread=candidate_thread, body=f"Message number {n:02d}"
        )
    html = client_of(recruiter).get(url).content.decode()
    assert (
        "Message number 59" in html
        and "Message number 10" in html
        and "Message number 09" not in html
    )
    older = client_of(recruiter).get(
        url, {"before": candidate_thread.messages.get(body="Message number 10").pk}
    )
    assert "Message number 09" in older.content.decode() and "Hi Agency A" in older.content.decode()


def test_the_unread_badge_stops_counting_past_its_maximum(
    client_of, candidate_thread, recruiter, agency_a, agency_a_user, monkeypatch
):
    from messaging.selectors import threads as selectors

    services.general_thread_start(actor=recruiter, agency=agency_a, subject="Q3", body="Hello")
    services.general_thread_start(actor=recruiter, agency=agency_a, subject="Q4", body="Hello")
    monkeypatch.setattr(selectors, "UNREAD_BADGE_MAX", 2)
    response = client_of(agency_a_user).get(reverse("messaging:agency-inbox"))
    assert response.context["unread_threads"] == 3
    assert 'aria-label="2+ unread">2+</span>' in response.content.decode()


def test_inbox_search_matches_word_beginnings_in_messages_and_subjects(
    client_of, recruiter, agency_a, agency_b, candidate_thread
):
    services.general_thread_start(
        actor=recruiter, agency=agency_a, subject="Fee schedule", body="See the attachment"
    )
    services.general_thread_start(
        actor=recruiter, agency=agency_b, subject="Q3", body="Two interviews on Monday"
    )
    client = client_of(recruiter)

    def titles(q):
        return sorted(
            t.title for t in client.get(reverse("messaging:inbox"), {"q": q}).context["page"]
        )

    assert titles("interview") == ["Q3"]
    assert titles("fee") == ["Fee schedule"]
    assert titles("FEE sched") == ["Fee schedule"]
    assert titles("fee interview") == []  # every word must match
    assert titles("lovel") == ["Ada Lovelace"]  # candidate names, as before
    assert titles("schedule attachment") == []  # words of one thread, but not of one text


@pytest.mark.parametrize(
    "q", ["fee:*", "fee & !", "'fee'", "(fee | x)", "fee\\", "<->", "&&&", "'", "fee:A", "ü"]
)
def test_inbox_search_takes_tsquery_operators_as_plain_text(client_of, recruiter, agency_a, q):
    services.general_thread_start(actor=recruiter, agency=agency_a, subject="Fee", body="Hello")
    response = client_of(recruiter).get(reverse("messaging:inbox"), {"q": q})
    assert response.status_code == 200
    words = [w for w in ("fee", "x", "a", "ü") if w in q.lower()]
    if words == ["fee"]:
        assert [t.title for t in response.context["page"]] == ["Fee"]


def test_inbox_search_matches_short_words_whole(client_of, recruiter, agency_a):
    services.general_thread_start(actor=recruiter, agency=agency_a, subject="Q3", body="Hello")
    services.general_thread_start(actor=recruiter, agency=agency_a, subject="Q35", body="Hello")
    response = client_of(recruiter).get(reverse("messaging:inbox"), {"q": "q3"})
    assert [t.title for t in response.context["page"]] == ["Q3"]


def test_deleting_answers_the_message_as_deleted(client_of, candidate_thread, recruiter):
    message = candidate_thread.messages.get()
    response = client_of(recruiter).post(
        reverse("messaging:message-delete", args=[message.public_id]),
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert "Message deleted" in html and "Hi Agency A" not in html and "<html" not in html


def _poll(client, url, after, deleted_since=None):
    params = {"after": after} | ({} if deleted_since is None else {"deleted_since": deleted_since})
    return client.get(url, params, headers={"HX-Request": "true"})


def test_polling_brings_messages_deleted_since_the_last_poll(
    client_of, candidate_thread, recruiter, agency_a_user, url
):
    first = candidate_thread.messages.get()
    second = services.message_post(actor=recruiter, thread=candidate_thread, body="Salary: 95k")
    page = client_of(agency_a_user).get(url).content.decode()
    assert 'data-deleted-since=""' in page  # nothing deleted when the page was drawn
    services.message_delete(actor=recruiter, message=second)
    services.message_delete(actor=recruiter, message=first)

    client = client_of(agency_a_user)
    response = _poll(client, url, after=second.pk, deleted_since="")
    html = response.content.decode()
    assert "95k" not in html and "Hi Agency A" not in html
    assert f'id="message-{first.pk}"' in html and f'id="message-{second.pk}"' in html
    assert html.count('hx-swap-oob="true"') == 2 and html.count("Message deleted") == 2
    seen = response.headers["X-Deleted-Since"]
    candidate_thread.refresh_from_db()
    assert seen == candidate_thread.last_deleted_at.isoformat()
    assert "message" not in _poll(client, url, after=second.pk, deleted_since=seen).content.decode()
    # A positive twin of that: a deletion after the mark is reported.
    third = services.message_post(actor=recruiter, thread=candidate_thread, body="Call me")
    services.message_delete(actor=recruiter, message=third)
    again = _poll(client, url, after=third.pk, deleted_since=seen).content.decode()
    assert f'id="message-{third.pk}"' in again and f'id="message-{first.pk}"' not in again


def test_a_poll_costs_no_query_more_for_a_thread_with_old_deletions(
    client_of, candidate_thread, recruiter, agency_a_user, url
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    message = services.message_post(actor=recruiter, thread=candidate_thread, body="Oops")
    client = client_of(agency_a_user)
    with CaptureQueriesContext(connection) as before:
        _poll(client, url, after=message.pk, deleted_since="")
    services.message_delete(actor=recruiter, message=message)
    seen = _poll(client, url, after=message.pk, deleted_since="").headers["X-Deleted-Since"]
    with CaptureQueriesContext(connection) as after:
        _poll(client, url, after=message.pk, deleted_since=seen)
    assert len(after) == len(before)


@pytest.mark.parametrize("since", ["yesterday", "2026-13-45T99:00", "%00"])
def test_a_malformed_deletion_mark_is_taken_as_none_seen(
    client_of, candidate_thread, recruiter, url, since
):
    message = candidate_thread.messages.get()
    services.message_delete(actor=recruiter, message=message)
    response = _poll(client_of(recruiter), url, after=message.pk, deleted_since=since)
    assert response.status_code == 200 and f'id="message-{message.pk}"' in response.content.decode()


def test_inbox_search_checks_thread_by_thread_for_common_words_and_finds_the_same(
    client_of, recruiter, agency_a
):
    """A word in many messages is looked for thread by thread, a rare one through the index's
    matches (PostgreSQL's statistics tell which); both answer the same threads."""
    from django.db import connection

    from messaging.selectors import threads as selectors

    for n in range(30):
        body = f"Interview slots for week {n}" + (" with kubernetes experts" if n == 7 else "")
        thread = services.general_thread_start(
            actor=recruiter, agency=agency_a, subject=f"T{n}", body=body
        ).thread
        for reply in ("Thanks", "Noted", "See you"):  # kubernetes: 1 message in 120
            services.message_post(actor=recruiter, thread=thread, body=reply)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE messaging_message")
    assert selectors._share_of_messages(["interv"]) > selectors.COMMON_IN_MESSAGES
    assert selectors._share_of_messages(["kubernetes"]) < selectors.COMMON_IN_MESSAGES

    def search(q):
        threads = selectors.inbox(user=recruiter, filters={"q": q})
        return str(threads.query), {thread.title for thread in threads}

    common_sql, common = search("interv")
    rare_sql, rare = search("kubernetes")
    assert "OFFSET 0" in common_sql and "OFFSET 0" not in rare_sql
    assert common == {f"T{n}" for n in range(30)} and rare == {"T7"}
    both_sql, both = search("interview kubern")
    assert "OFFSET 0" not in both_sql and both == {"T7"}  # the rarest word decides


@pytest.mark.parametrize("after", ["²²²", "-3", "99999999999999999999", "1e3", "abc"])
def test_a_poll_after_an_unreadable_id_answers_every_message(
    client_of, candidate_thread, agency_a_user, url, after
):
    first = candidate_thread.messages.get()
    response = _poll(client_of(agency_a_user), url, after=after)
    assert response.status_code == 200 and f'id="message-{first.pk}"' in response.content.decode()


def test_a_poll_after_the_newest_id_answers_nothing_new(
    client_of, candidate_thread, agency_a_user, url
):
    first = candidate_thread.messages.get()
    response = _poll(client_of(agency_a_user), url, after=first.pk)
    assert (
        response.status_code == 200 and f'id="message-{first.pk}"' not in response.content.decode()
    )
