"""The `make load` scenario (tests/load/run.py starts Locust with it): agency users submit candidates
and chat, recruiters browse, search and reply.

Every simulated user is a real account signed in by a session the runner created server-side
(LOAD_SESSIONS names the JSON file). Requests go to gunicorn on 127.0.0.1 as a TLS-terminating
proxy would forward them: with X-Forwarded-Proto: https, so the app runs exactly as in production
(secure cookies, HTTPS redirect on, CSRF origin checks). Each write the server accepts is counted
here, with the id of what it created where the response shows it, and written to LOAD_RESULTS
when the test stops, for the runner to compare with the database.

Dynamic URLs are grouped under their path template (`name=`), so the statistics are per endpoint.
"""

import itertools
import json
import os
import random
import re
import uuid
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode

import gevent
from locust import HttpUser, between, events, task
from requests.cookies import RequestsCookieJar

# Path template -> Django URL name; tests/load/test_locustfile.py checks that each still resolves.
ENDPOINTS = {
    "/agency/": "portal:home",
    "/agency/jobs/{id}/": "portal:assignment-detail",
    "/agency/submit/": "portal-candidates:create",
    "/agency/submissions/{id}/": "portal-candidates:detail",
    "/agency/candidates/": "portal-candidates:mine",
    "/agency/inbox/": "messaging:agency-inbox",
    "/inbox/new/": "messaging:general-new",
    "/candidates/{id}/conversation/": "messaging:candidate-thread",
    "/resumes/{id}/status/": "candidates:resume-status",
    "/threads/{id}/": "messaging:thread",
    "/threads/{id}/messages/": "messaging:message-post",
    "/jobs/": "recruitment:job-list",
    "/people/": "candidates:people",
    "/candidates/{id}/": "candidates:candidate-detail",
    "/candidates/{id}/files/": "messaging:candidate-files",
    "/inbox/": "messaging:inbox",
    "/analytics/": "candidates:analytics",
    "/analytics/jobs/": "candidates:analytics-jobs",
}

PROJECT_DIR = Path(__file__).resolve().parents[2]
# The sample resumes stay outside the repository (as for devtools.parser_eval).
RESUMES_DIR = Path(os.environ.get("RESUME_SAMPLES_DIR", PROJECT_DIR / ".." / "shared" / "resumes"))
RESUME_SHARE = 0.3  # of submissions that come with a PDF resume
RESUME_POLLS = 5  # the detail page polls every 2 s while the resume is read; a person stays ~10 s
THINK_TIME = (2, 6)  # seconds between a person's page views
REQUEST_TIMEOUT = 30  # seconds; gunicorn's own worker timeout is 30 s too
# A valid GB mobile range above the one seed_large gives its candidates (447400000000 + i).
PHONE_BASE = 447400500000
RUN = uuid.uuid4().hex[:8]

FIRST_NAMES = ("Amara", "Bruno", "Chloe", "Dario", "Elif", "Femi", "Greta", "Hugo", "Ines", "Jonas",
               "Keiko", "Luca", "Maren", "Nadia", "Omar", "Priya", "Rafael", "Sofia", "Tomas", "Yara")  # fmt: skip
LAST_NAMES = ("Smith", "Garcia", "Mueller", "Patel", "Rossi", "Nowak", "Kim", "Silva", "Jensen",
              "Okafor", "Weber", "Brown", "Moreau", "Novak", "Schmidt", "Taylor", "Fischer")  # fmt: skip
SENTENCES = ("Thanks, could you share the candidate's notice period?",
             "The candidate is available for an interview on Tuesday or Wednesday.",
             "Salary expectations are within the range you gave us.",
             "Any feedback on this profile yet?", "She prefers a hybrid setup, two office days.",
             "He speaks fluent German and English.", "Could we move the interview to Thursday?",
             "References are attached to the profile.")  # fmt: skip
JOB_WORDS = ("Engineer", "Manager", "Berlin", "London", "Senior")
SEARCH_WORDS = ("Smith", "Garcia", "Mueller", "Patel", "Brown", "Taylor", "Schmidt", "Lee")

UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SELECTED_JOB = re.compile(r'<option value="(\d+)" selected>')
SUBMISSION_LOCATION = re.compile(rf"/agency/submissions/({UUID})/$")
THREAD_LOCATION = re.compile(rf"/threads/({UUID})/$")
MESSAGE_ID = re.compile(r'data-message-id="(\d+)"')


def links(html: str, prefix: str) -> list[str]:
    """The public ids of the links to `prefix<uuid>/` on a page, in page order, once each."""
    return list(dict.fromkeys(re.findall(rf'href="{re.escape(prefix)}({UUID})/"', html)))


def endpoint(template: str, public_id: str = "", query: dict | None = None) -> tuple[str, str]:
    """The URL to request and the name Locust groups it under: the template, plus the names of
    the query's parameters (`/people/?q=`)."""
    if template not in ENDPOINTS:
        raise KeyError(f"{template} is not in ENDPOINTS")
    path = template.format(id=public_id)
    if not query:
        return path, template
    return f"{path}?{urlencode(query)}", template + "?" + "&".join(f"{key}=" for key in query)


class Tally:
    """What the server accepted, as the clients saw it; written as JSON at the end of the run."""

    def __init__(self):
        self.users: Counter = Counter()  # started, by kind
        self.submissions: list[str] = []  # public ids
        self.submissions_refused = 0
        self.resumes_sent = 0  # with accepted submissions
        self.messages = 0  # accepted messages, with or without a visible id
        self.message_ids: list[int] = []  # those whose id the response showed
        self.messages_refused = 0
        self.status_codes: Counter = Counter()  # "0": no answer (connection error, timeout)

    def as_dict(self) -> dict:
        return {
            "users": dict(self.users),
            "think_time_s": THINK_TIME,
            "submissions": self.submissions,
            "submissions_refused": self.submissions_refused,
            "resumes_sent": self.resumes_sent,
            "messages": self.messages,
            "message_ids": self.message_ids,
            "messages_refused": self.messages_refused,
            "status_codes": dict(self.status_codes),
        }


TALLY = Tally()
PERSON_NUMBERS = itertools.count()


SESSIONS = (
    json.loads(Path(os.environ["LOAD_SESSIONS"]).read_text())
    if "LOAD_SESSIONS" in os.environ
    else {}
)
ACCOUNTS = {kind: iter(SESSIONS.get(kind, [])) for kind in ("agency", "recruiter")}


@events.request.add_listener
def count_status(response, **kwargs):
    TALLY.status_codes[str(getattr(response, "status_code", 0) or 0)] += 1


@events.test_stop.add_listener
def write_results(environment, **kwargs):
    if not (path := os.environ.get("LOAD_RESULTS")):
        return
    endpoints = [
        {
            "method": entry.method,
            "name": entry.name,
            "requests": entry.num_requests,
            "failures": entry.num_failures,
            "p50_ms": entry.get_response_time_percentile(0.50),
            "p95_ms": entry.get_response_time_percentile(0.95),
            "p99_ms": entry.get_response_time_percentile(0.99),
            "max_ms": entry.max_response_time,
        }
        for entry in sorted(environment.stats.entries.values(), key=lambda e: (e.name, e.method))
    ]
    total = environment.stats.total
    results = {
        **TALLY.as_dict(),
        "endpoints": endpoints,
        "total": {
            "requests": total.num_requests,
            "failures": total.num_failures,
            "p50_ms": total.get_response_time_percentile(0.50),
            "p95_ms": total.get_response_time_percentile(0.95),
            "p99_ms": total.get_response_time_percentile(0.99),
            "max_ms": total.max_response_time,
            "rps": total.total_rps,
        },
        "errors": [
            {
                "method": e.method,
                "name": e.name,
                "error": str(e.error),
                "occurrences": e.occurrences,
            }
            for e in environment.stats.errors.values()
        ],
    }
    Path(path).write_text(json.dumps(results, indent=1) + "\n")


class BehindTheProxyCookieJar(RequestsCookieJar):
    """Sends the app's Secure cookies (as in production) back over this plain-HTTP leg of the trip,
    as the browser does over HTTPS to the proxy. A cookie policy would not do: requests copies the
    cookies into a jar of the default policy for every request."""

    def extract_cookies(self, response, request):
        super().extract_cookies(response, request)
        for cookie in self:
            cookie.secure = False


class PortalUser(HttpUser):
    abstract = True
    kind = ""
    wait_time = between(*THINK_TIME)

    def on_start(self):
        account = next(ACCOUNTS[self.kind])  # StopIteration: more users than sessions
        self.email = account["email"]
        TALLY.users[self.kind] += 1
        # As forwarded by the TLS proxy in front of gunicorn; a browser sends Origin on every POST.
        self.client.headers.update(
            {"X-Forwarded-Proto": "https", "Origin": self.host.replace("http://", "https://")}
        )
        self.client.cookies = BehindTheProxyCookieJar()
        self.client.cookies.set(SESSIONS["cookie_name"], account["session"], domain="127.0.0.1")
        self.csrf_token = ""

    def page(self, template: str, public_id: str = "", query: dict | None = None):
        """GET a page; keep its CSRF token, as the browser keeps it in the page's forms."""
        path, name = endpoint(template, public_id, query)
        response = self.client.get(path, name=name, timeout=REQUEST_TIMEOUT)
        if match := CSRF_FIELD.search(response.text or ""):
            self.csrf_token = match.group(1)
        return response

    def fragment(self, template: str, public_id: str = "", query: dict | None = None):
        """An htmx request, as the page's hx-get makes it."""
        path, name = endpoint(template, public_id, query)
        return self.client.get(
            path, name=name, headers={"HX-Request": "true"}, timeout=REQUEST_TIMEOUT
        )

    def post(self, template: str, data: dict, public_id: str = "", **kwargs):
        path, name = endpoint(template, public_id)
        return self.client.post(
            path, name=name, data={"csrfmiddlewaretoken": self.csrf_token, **data},
            allow_redirects=False, catch_response=True, timeout=REQUEST_TIMEOUT, **kwargs,
        )  # fmt: skip

    def read_thread(self, thread: str) -> None:
        """Open a thread and let its message list poll (every 3 s) for a while."""
        shown = MESSAGE_ID.findall(self.page("/threads/{id}/", thread).text or "")
        for _ in range(random.randint(1, 2)):
            self.wait()
            after = shown[-1] if shown else "0"
            self.fragment("/threads/{id}/", thread, query={"after": after})

    def post_message(self, thread: str) -> None:
        """The compose box of a thread, posted by htmx: the answer is the new message."""
        data = {"body": random.choice(SENTENCES)}
        headers = {"HX-Request": "true"}
        with self.post("/threads/{id}/messages/", data, thread, headers=headers) as response:
            if response.status_code == 200 and (ids := MESSAGE_ID.findall(response.text)):
                TALLY.messages += 1
                TALLY.message_ids.append(int(ids[-1]))
            else:
                TALLY.messages_refused += 1
                response.failure(f"message not accepted: HTTP {response.status_code}")

    def record_new_thread(self, response) -> str:
        """A first message, answered by a redirect to its thread: the thread's public id, or ""."""
        created = THREAD_LOCATION.search(response.headers.get("Location", ""))
        if response.status_code == 302 and created:
            TALLY.messages += 1  # the redirect names the thread, not the message
            return created.group(1)
        TALLY.messages_refused += 1
        response.failure(f"message not accepted: HTTP {response.status_code}")
        return ""


class AgencyUser(PortalUser):
    """An agency recruiter: submits candidates to the jobs sent to the agency and talks about them."""

    weight = 5  # 100 of 120 users
    kind = "agency"

    def on_start(self):
        super().on_start()
        self.threads: list[str] = []  # candidate threads this user started
        self.general_thread = ""

    @task(3)
    def submit_candidate(self):
        jobs = links(self.page("/agency/").text or "", "/agency/jobs/")
        if not jobs:
            return
        job = random.choice(jobs)
        self.wait()
        self.page("/agency/jobs/{id}/", job)
        self.wait()
        form = self.page("/agency/submit/", query={"job": job})
        assignment = SELECTED_JOB.search(form.text or "")
        if not assignment:
            return
        self.wait()
        if submission := self.send_submission(assignment.group(1)):
            self.follow_submission(submission)

    def send_submission(self, assignment: str) -> str:
        """POST the form with a new person; the public id of the submission, or ""."""
        number = next(PERSON_NUMBERS)
        first, last = random.choice(FIRST_NAMES), random.choice(LAST_NAMES)
        data = {
            "assignment": assignment, "first_name": first, "last_name": f"{last}-{RUN}{number}",
            "email": f"{first}.{last}.{RUN}.{number}@candidates.load.example".lower(),
            "phone": f"+{PHONE_BASE + number}", "note": random.choice(SENTENCES),
        }  # fmt: skip
        if random.random() < 0.5:
            data["text_consent"] = "on"
        files = {}
        if random.random() < RESUME_SHARE and (resumes := sorted(RESUMES_DIR.glob("*.pdf"))):
            resume = random.choice(resumes)
            files["resume"] = (resume.name, resume.read_bytes(), "application/pdf")
        with self.post("/agency/submit/", data, files=files) as response:
            created = SUBMISSION_LOCATION.search(response.headers.get("Location", ""))
            if response.status_code == 302 and created:
                TALLY.submissions.append(created.group(1))
                TALLY.resumes_sent += bool(files)
                return created.group(1)
            TALLY.submissions_refused += 1
            response.failure(f"submission not accepted: HTTP {response.status_code}")
            return ""

    def follow_submission(self, submission: str) -> None:
        """The submission's page, its conversation panel and resume status; then, mostly, a
        first message to the employer about the candidate."""
        html = self.page("/agency/submissions/{id}/", submission).text or ""
        candidate = re.search(rf"/candidates/({UUID})/conversation/", html)
        if not candidate:
            return
        self.fragment("/candidates/{id}/conversation/", candidate.group(1))
        for resume in re.findall(rf"/resumes/({UUID})/status/", html):
            self.poll_resume(resume)
        if random.random() < 0.7:
            self.wait()
            data = {"body": random.choice(SENTENCES)}
            with self.post("/candidates/{id}/conversation/", data, candidate.group(1)) as response:
                if thread := self.record_new_thread(response):
                    self.threads.append(thread)

    def poll_resume(self, resume: str) -> None:
        for _ in range(RESUME_POLLS):
            response = self.fragment("/resumes/{id}/status/", resume)
            if 'hx-trigger="every 2s"' not in (response.text or ""):
                return
            gevent.sleep(2)

    @task(3)
    def chat_about_candidate(self):
        if not self.threads:
            return self.my_candidates()
        thread = random.choice(self.threads)
        self.read_thread(thread)
        self.post_message(thread)

    @task(1)
    def general_chat(self):
        self.page("/agency/inbox/")
        self.wait()
        if self.general_thread:
            self.read_thread(self.general_thread)
            return self.post_message(self.general_thread)
        self.page("/inbox/new/")
        self.wait()
        data = {"subject": f"Question from {self.email}", "body": random.choice(SENTENCES)}
        with self.post("/inbox/new/", data) as response:
            self.general_thread = self.record_new_thread(response)

    @task(2)
    def my_candidates(self):
        self.page("/agency/candidates/")
        self.wait()
        self.page("/agency/inbox/")


class Recruiter(PortalUser):
    """An employer recruiter: jobs, people search, candidate pages, the inbox, analytics."""

    weight = 1  # 20 of 120 users
    kind = "recruiter"

    @task(2)
    def jobs(self):
        self.page("/jobs/")
        if random.random() < 0.5:
            self.wait()
            self.page("/jobs/", query={"q": random.choice(JOB_WORDS)})

    @task(3)
    def people_search(self):
        self.page("/people/")
        self.wait()
        name = random.choice(SEARCH_WORDS if random.random() < 0.7 else FIRST_NAMES)
        candidates = links(self.page("/people/", query={"q": name}).text or "", "/candidates/")
        if candidates:
            self.wait()
            candidate = random.choice(candidates)
            self.page("/candidates/{id}/", candidate)
            self.fragment("/candidates/{id}/conversation/", candidate)
            self.fragment("/candidates/{id}/files/", candidate)

    @task(3)
    def inbox(self):
        threads = links(self.page("/inbox/").text or "", "/threads/")
        if not threads:
            return
        self.wait()
        thread = random.choice(threads[:10])
        self.read_thread(thread)
        if random.random() < 0.3:
            self.post_message(thread)

    @task(1)
    def analytics(self):
        self.page("/analytics/" if random.random() < 0.6 else "/analytics/jobs/")
