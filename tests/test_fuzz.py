"""No input gives a 500: every page's query string and every form field, fuzzed, as each role.

The pages come from the URL resolver (as tests/test_tenancy.py walks it, with agency A's objects
from its world), so a new page is fuzzed without being listed here. As each role (anonymous
included) the crawler opens every page, reads its forms, then, for each of a fixed number of
hypothesis examples, sends every page a query string of the parameters its filter forms and the
views' code name, and posts every form it found (and every POST-only URL) with fields left out,
kept, or replaced by huge and negative numbers, NUL bytes, long and unicode text, invalid UUIDs
and dates, other sites' URLs and lists where one value is expected. Each request runs in a
savepoint that is rolled back, so every one starts from the same world, and the session cookie
is put back after it (a sign-out form does not end the crawl). Responses of 500 or more are
collected, not raised, so that one run reports all of them; the figures are printed.
"""

import contextlib
import re
import uuid
import zlib
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from hypothesis import HealthCheck, Phase, given, seed
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from messaging import tasks
from messaging.services import texting
from recruitment.services import job_update
from tests import test_tenancy
from tests.factories import opt_in, submit

world = test_tenancy.world  # agency A's objects and both sides' people, as the tenancy walk uses
EXAMPLES = 3
ROOT = Path(__file__).resolve().parents[1]
SKIPPED_NAMESPACES = {"admin": "the Django admin's own forms: tests/recruitment/test_admin.py"}
SKIPPED_URLS = {
    "recruitment:healthz": "its 503 says a worker is down (none runs here): tests/recruitment/test_healthz.py"
}
ROLES = ["owner", "recruiter", "hiring_manager", "agency_admin", "agency_recruiter", "anonymous"]

# -- values -------------------------------------------------------------------------------------

TEXT = st.characters(codec="utf-8", exclude_categories=("Cs",))
NASTY = st.one_of(
    st.sampled_from(
        [
            "400000000000000000",
            "-400000000000000000",
            "9" * 5000,
            "-1",
            "0",
            "1e400",
            "NaN",
            "\x00",
            "a\x00b",
            "' OR 1=1 --",
            "<script>alert(1)</script>",
            "%",
            "\\",
            "../../etc/passwd",
            "00000000-0000-0000-0000-000000000000",
            "not-a-uuid",
            "2026-02-30",
            "0000-00-00",
            "9999-12-31",
            "-0001-01-01",
            "2026-13-45",
            "99999-01-01",
            "https://evil.example/",
            "//evil.example",
            "",
            " ",
            "true",
            "on",
            "+999999999999999999999",
            "🙂" * 300,
        ]
    ),  # fmt: skip
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.text(TEXT, max_size=40),
    st.builds(lambda char, n: char * n, TEXT, st.integers(min_value=2_000, max_value=20_000)),
    st.uuids().map(str),
)
VALUE = st.one_of(NASTY, NASTY, st.lists(NASTY, min_size=2, max_size=3))
UPLOAD = st.builds(
    lambda name, content: SimpleUploadedFile(name, content),
    st.sampled_from(["cv.pdf", "cv.docx", "cv.txt", "x" * 300 + ".pdf", "\x00.pdf", "noext"]),
    st.one_of(st.binary(max_size=200), st.just(b"%PDF-1.4\n" + b"\x00" * 100)),
)

# -- the crawl ----------------------------------------------------------------------------------


@dataclass
class Form:
    method: str
    action: str
    fields: dict[str, list[str]] = field(default_factory=dict)  # name -> the values it offers
    files: set[str] = field(default_factory=set)


class FormParser(HTMLParser):
    """Every <form> of a page with its fields and the values they offer (options, defaults)."""

    def __init__(self, page_url: str):
        super().__init__()
        self.page_url, self.forms, self.form, self.select = page_url, [], None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            action = urljoin(self.page_url, attrs.get("action") or self.page_url)
            method = (attrs.get("method") or "get").lower()
            self.form = Form(method=method, action=action)
            self.forms.append(self.form)
        elif self.form is None or not attrs.get("name") and tag != "option":
            return
        elif tag == "input" and attrs.get("type") == "file":
            self.form.files.add(attrs["name"])
        elif tag in ("input", "button", "textarea"):
            self.form.fields.setdefault(attrs["name"], []).append(attrs.get("value") or "")
        elif tag == "select":
            self.select = self.form.fields.setdefault(attrs["name"], [])
        elif tag == "option" and self.select is not None:
            self.select.append(attrs.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "select":
            self.select = None


def _url_patterns(resolver=None, namespace=""):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace not in SKIPPED_NAMESPACES:
                inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                yield from _url_patterns(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            name = f"{namespace}{entry.name}"
            if name not in SKIPPED_URLS:
                yield name, entry


def _urls(the_world) -> list[str]:
    """Every named URL once, filled with agency A's objects; a token URL with a made-up token."""
    urls = set()
    for name, pattern in _url_patterns():
        if name in test_tenancy.OBJECT_URLS:
            kwargs = test_tenancy.OBJECT_URLS[name][0](the_world)
        else:
            converters = pattern.pattern.converters
            kwargs = {
                key: uuid.uuid4()
                if type(converters.get(key)).__name__ == "UUIDConverter"
                else "fuzz0"
                for key in pattern.pattern.regex.groupindex
            }
        urls.add(reverse(name, kwargs=kwargs))
    return sorted(urls)


def _parameter_names_in_the_code() -> set[str]:
    """The names the views read from request.GET / request.POST themselves, beside their forms."""
    names = set()
    for path in [*ROOT.glob("*/views.py"), *ROOT.glob("*/webhooks.py")]:
        for line in path.read_text().splitlines():
            if "request.GET" in line or "request.POST" in line:
                names.update(re.findall(r'"(\w+)"', line))
    return names


@dataclass
class Crawl:
    client: Client
    pages: dict[str, set[str]] = field(default_factory=dict)  # url -> query parameter names
    forms: list[Form] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)

    def request(self, method: str, url: str, data=None, htmx: dict | None = None):
        """One request in a savepoint rolled back afterwards, with the session cookie restored."""
        cookies = self.client.cookies
        self.client.cookies = type(cookies)(cookies)
        try:
            with transaction.atomic():
                response = getattr(self.client, method)(url, data or {}, **(htmx or {}))
                transaction.set_rollback(True)
        finally:
            self.client.cookies = cookies
        self.statuses[method.upper(), response.status_code // 100] += 1
        if response.status_code >= 500:
            exc = response.exc_info[1] if response.exc_info else None
            detail = f"{type(exc).__name__}: {exc}"[:300] if exc else ""
            self.failures.append(
                f"{method.upper()} {url} {_short(data)} -> {response.status_code} {detail}"
            )
        return response


def _short(data) -> str:
    return repr({k: (v[:40] if isinstance(v, str) else v) for k, v in (data or {}).items()})[:300]


def _discover(crawl: Crawl, urls: list[str], code_names: set[str]) -> None:
    seen_forms, post_only = set(), []
    for url in urls:
        response = crawl.request("get", url)
        if response.status_code == 405:
            post_only.append(url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        parser = FormParser(url)
        parser.feed(response.content.decode(errors="replace"))
        names = {"page"} | code_names
        for form in parser.forms:
            if urlsplit(form.action).netloc not in ("", "testserver"):
                continue
            if form.method == "get":
                names |= form.fields.keys()
            elif (key := (form.action, tuple(sorted(form.fields)))) not in seen_forms:
                seen_forms.add(key)
                crawl.forms.append(form)
        crawl.pages[url] = names
    every_field = {name for form in crawl.forms for name in form.fields} | code_names
    for url in post_only:
        if not any(form.action.endswith(url) for form in crawl.forms):
            crawl.forms.append(
                Form(method="post", action=url, fields=dict.fromkeys(every_field, []))
            )
    for form in crawl.forms:  # every field missing, the form as offered, and each field missing
        offered = _offered(form)
        crawl.request(form.method, form.action)
        crawl.request(form.method, form.action, offered)
        for name in offered.keys() - {"csrfmiddlewaretoken"}:
            crawl.request(form.method, form.action, {k: v for k, v in offered.items() if k != name})


def _offered(form: Form) -> dict:
    return {name: values[0] for name, values in form.fields.items() if values}


def _query(draw, names: set[str]) -> dict:
    chosen = draw(st.lists(st.sampled_from(sorted(names)), max_size=4, unique=True))
    return {name: draw(VALUE) for name in chosen}


def _form_data(draw, form: Form) -> dict:
    """Half the time one field fuzzed in the form as offered (what reaches deepest), else each
    field kept, fuzzed or left out."""
    if form.fields and draw(st.booleans()):
        name = draw(st.sampled_from(sorted(form.fields)))
        return {**_offered(form), name: draw(VALUE)}
    data = {}
    for name, offered in form.fields.items():
        choice = draw(st.sampled_from(["keep", "fuzz", "fuzz", "leave out"]))
        if choice == "keep" and offered:
            data[name] = draw(st.sampled_from(offered))
        elif choice == "fuzz":
            data[name] = draw(VALUE)
    for name in form.files:
        if draw(st.booleans()):
            data[name] = draw(UPLOAD)
    return data


def _htmx(draw) -> dict:
    if not draw(st.booleans()):
        return {}
    target = draw(st.sampled_from(["", "job-table", "thread-list", "messages", "x\x00"]))
    return {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": target}


def _fuzz(crawl: Crawl, target: str, make_request) -> None:
    """EXAMPLES requests to one target, from a seed of its own (the run is the same every time).
    Failures are collected by the crawl, so hypothesis never shrinks and every target is tried."""

    @seed(zlib.crc32(target.encode()))
    @hypothesis_settings(
        max_examples=EXAMPLES, database=None, deadline=None,
        phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck),
    )  # fmt: skip
    @given(st.data())
    def fuzz(data):
        method, url, values = make_request(data.draw)
        crawl.request(method, url, values, _htmx(data.draw))

    fuzz()


@pytest.fixture
def texted(world, agency_a_user):
    """A candidate with a phone who said yes, and a text the provider took: their conversation
    and the texting console's delivery buttons have something to show."""
    application = submit(
        agency_a_user, world.assignment, first_name="Tex", last_name="Ting",
        email="tex@example.com", phone="+447400123456", text_consent=True,
    ).application  # fmt: skip
    opt_in(application, actor=world.owner)
    sent = texting.text_send(
        actor=world.owner, application=application, channel="sms", body="Hello", night="send"
    )
    tasks.text_message_send.apply(kwargs={"message_id": sent.pk})
    return application


@pytest.fixture
def personas(world, texted, recruiter, hiring_manager, agency_a_user):
    # On the hiring team, as the job's edit form puts them, so they see the job and its people.
    job_update(
        actor=world.owner, job=world.job, hiring_team=[*world.job.hiring_team.all(), hiring_manager]
    )
    return {
        "owner": world.owner,
        "recruiter": recruiter,
        "hiring_manager": hiring_manager,
        "agency_admin": world.agency_a_admin,
        "agency_recruiter": agency_a_user,
        "anonymous": None,
    }


@pytest.mark.parametrize("role", ROLES)
def test_no_input_gives_a_server_error(world, personas, role, capsys, settings):
    settings.TEXTING_PROVIDER = "messaging.providers.ConsoleProvider"  # its console page too
    cache.clear()  # rate limits start afresh
    client = Client(raise_request_exception=False)
    if personas[role]:
        client.force_login(personas[role])
    crawl = Crawl(client=client)
    _discover(crawl, _urls(world), _parameter_names_in_the_code())

    for url, names in crawl.pages.items():
        _fuzz(
            crawl,
            f"{role} GET {url}",
            lambda draw, url=url, names=names: ("get", url, _query(draw, names)),
        )
    for form in crawl.forms:
        _fuzz(
            crawl,
            f"{role} {form.method} {form.action}",
            lambda draw, form=form: (form.method, form.action, _form_data(draw, form)),
        )

    total = sum(crawl.statuses.values())
    with capsys.disabled(), contextlib.suppress(OSError):
        print(
            f"\nfuzz as {role}: {total} requests to {len(crawl.pages)} pages and"
            f" {len(crawl.forms)} forms, {len(crawl.failures)} of 500 or more;"
            f" {dict(sorted(crawl.statuses.items()))}"
        )
    assert len(crawl.pages) >= (1 if role == "anonymous" else 8)  # the crawl reached the pages
    assert not crawl.failures, "\n".join(crawl.failures[:40])
