"""Lint rules that keep the security and architecture conventions (zulip's custom_check, as tests)."""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRODUCT_APPS = [
    "recruitment",
    "agencies",
    "candidates",
    "messaging",
]
# Development tooling (installed only in development) tops the chain: it may import every app.
DEVTOOLS = "devtools"
APPS = [*PRODUCT_APPS, DEVTOOLS]  # each may import only those before it
INTERFACE_FILES = [
    path
    for app in PRODUCT_APPS
    for pattern in ("views.py", "views/*.py", "forms.py", "webhooks.py", "templatetags/*.py")
    for path in (ROOT / app).glob(pattern)
]
# The project package's wiring is allowed to know every product app.
WIRING = {"recruitment/settings.py", "recruitment/settings_test.py", "recruitment/urls.py"}


@pytest.mark.parametrize("path", INTERFACE_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_views_and_forms_fetch_only_through_selectors(path):
    source = path.read_text()
    offenders = [
        f"{path.name}:{number}: {line.strip()}"
        for number, line in enumerate(source.splitlines(), 1)
        if re.search(r"\.objects\.|get_object_or_404\(", line)
    ]
    assert not offenders, "use a selector (it applies visible_to(user)):\n" + "\n".join(offenders)


def _imported_apps_of(node: ast.AST) -> set[str]:
    if isinstance(node, ast.Import):
        return {alias.name.split(".")[0] for alias in node.names} & set(APPS)
    if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
        return {node.module.split(".")[0]} & set(APPS)
    return set()


def _imported_apps(path: Path) -> set[str]:
    return set().union(*map(_imported_apps_of, ast.walk(ast.parse(path.read_text()))))


@pytest.mark.parametrize("app", APPS)
def test_apps_depend_one_way(app):
    allowed = set(APPS[: APPS.index(app) + 1])
    offenders = [
        f"{path.relative_to(ROOT)} imports {sorted(_imported_apps(path) - allowed)}"
        for path in (ROOT / app).rglob("*.py")
        if str(path.relative_to(ROOT)) not in WIRING and _imported_apps(path) - allowed
    ]
    assert not offenders, (
        "recruitment <- agencies <- candidates <- messaging <- devtools:\n" + "\n".join(offenders)
    )


def _devtools_references(path: Path) -> list[str]:
    """Imports of devtools, and dotted paths into it ("devtools.tasks.x", for import_string or
    Celery), anywhere in the file: in a function too."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if DEVTOOLS in _imported_apps_of(node):
            found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {ast.unparse(node)}")
        elif isinstance(node, ast.Constant) and f"{node.value}".startswith(f"{DEVTOOLS}."):
            found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.value!r}")
    return found


@pytest.mark.parametrize("app", PRODUCT_APPS)
def test_product_apps_never_import_devtools(app):
    """Production settings do not install devtools (settings.DEVTOOLS): a product module that
    needs it would fail there, the settings and URLs included."""
    offenders = [
        found for path in (ROOT / app).rglob("*.py") for found in _devtools_references(path)
    ]
    assert not offenders, "no product app may import devtools:\n" + "\n".join(offenders)


def test_every_view_declares_its_methods():
    offenders = []
    views = [
        path
        for app in PRODUCT_APPS
        for pattern in ("views.py", "views/*.py")
        for path in (ROOT / app).glob(pattern)
    ]
    for path in views:
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
                decorators = {ast.unparse(d).split("(")[0] for d in node.decorator_list}
                if not decorators & {
                    "require_GET",
                    "require_POST",
                    "require_http_methods",
                    "require_safe",
                }:
                    offenders.append(f"{path.relative_to(ROOT)}: {node.name}")
    assert not offenders, "add @require_GET / @require_POST / @require_http_methods:\n" + "\n".join(
        offenders
    )


def test_htmx_triggers_listen_only_to_their_own_controls():
    """`from:select` listens to every select of the page: People's bulk stage select reloaded the
    filter form's results and lost the ticks. A filter form filters its own events with `target:`.
    An app-wide event (e.g. `unread-changed`, sent with HX-Trigger) may be heard `from:body`."""
    offenders = [
        f"{where}: {trigger}"
        for where, trigger in _htmx_triggers()
        if re.search(r"\bfrom:(?!closest |find |this\b|body\b)", trigger)
    ]
    assert not offenders, "use target:<selector> instead of from:<selector>:\n" + "\n".join(
        offenders
    )


def _htmx_triggers():
    for path in (ROOT / "templates").rglob("*.html"):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            for trigger in re.findall(r'hx-trigger="([^"]*)"', line):
                yield f"{path.relative_to(ROOT)}:{number}", trigger


def test_htmx_triggers_name_each_event_once():
    """htmx marks an event handled by the element's first listener for it, before that listener's
    `target:` filter: in "change target:select, change target:input[type=date]" the dates never
    reloaded People. One spec per event, with a combined selector: `target:(select, input)`."""
    offenders = []
    for where, trigger in _htmx_triggers():
        specs = re.sub(r"\([^)]*\)", "", trigger).split(",")
        events = [spec.split()[0] for spec in specs if spec.strip()]
        if len(events) != len(set(events)):
            offenders.append(f"{where}: {trigger}")
    assert not offenders, "name each event once per hx-trigger:\n" + "\n".join(offenders)


# allauth's generic cell: only its MFA and session pages use it, and neither app is installed.
UNLABELLED_CELLS_ALLOWED = {"allauth/elements/td.html"}


def test_list_table_cells_say_what_they_hold():
    """On phones a list table shows each row as a card (static/css/app.css, 8b): every cell names
    its column in data-label, or is the row's title, tick box, actions or an empty-list line.
    Tables of figures (.table-figures) scroll sideways instead and are left out."""
    offenders = []
    for path in sorted((ROOT / "templates").rglob("*.html")):
        name = str(path.relative_to(ROOT / "templates"))
        source = path.read_text()
        if name in UNLABELLED_CELLS_ALLOWED or "table-figures" in source:
            continue
        for cell in re.findall(r"<td\b[^>]*>", source):
            if not re.search(
                r'data-label="|colspan=|class="[^"]*\b(cell-title|cell-select|row-actions)\b', cell
            ):
                offenders.append(f"{name}: {cell}")
    assert not offenders, "give each <td> a data-label (or a card role class):\n" + "\n".join(
        offenders
    )


TEMPLATE_LINE_LIMIT = 160
# Lines over the limit that cannot be split, as (template, how the stripped line starts). A
# template line may only be broken where whitespace already is, outside template tags, quoted
# values and text that tests read whole: a newline anywhere else changes the page.
LONG_TEMPLATE_LINES_ALLOWED = {
    # A quoted attribute value longer than the room left: a class chosen by template logic, a URL
    # with its query, a confirmation message, an SVG path.
    ("allauth/elements/alert.html", 'class="alert alert-{%'),
    ("allauth/elements/badge.html", 'class="badge badge-{%'),
    ("allauth/elements/button.html", 'class="btn {%'),
    ("candidates/_outcome.html", 'class="badge badge-{%'),
    ("messaging/_text.html", 'class="badge badge-{%'),
    ("recruitment/_job_status.html", 'class="badge badge-{%'),
    ("candidates/_analytics_filters.html", 'href="?period_from='),
    ("candidates/_analytics_filters.html", 'hx-get="{{ request.path }}?period_from='),
    ("candidates/analytics_agencies.html", "href=\"{% url 'candidates:analytics-jobs' %}?agency="),
    ("agencies/agency_detail.html", 'data-confirm="Disable {{ agency.name }}?'),
    ("agencies/job_agencies.html", 'data-confirm="Withdraw {{ job.title }}'),
    ("_nav_toggle.html", 'd="M'),
    # Tags and template tags that touch: there is no whitespace between them to break at.
    ("agencies/user_detail.html", "href=\"{% url 'agencies:agency-detail'"),
    ("agencies/user_list.html", "href=\"{% url 'agencies:agency-detail'"),
    ("candidates/job_people.html", "href=\"{% url 'candidates:candidate-detail'"),
    ("candidates/dashboard.html", 'data-label="Status">{% if submission.application'),
    ("messaging/_text.html", 'class="message-author">{% if'),
    ("messaging/application_texts.html", "{% if has_seat and candidate.phone %}{% if"),
    # A {# #} comment: Django's one-line comments cannot span lines.
    ("_notification_bell.html", "{# The bell of both portals' navigation"),
    ("messaging/_unread_badge.html", "{# The Inbox count of both portals' navigation"),
    # Text a test reads whole: "Candidate confirmed" (test_confirm), "1 of 2 places left"
    # (test_portal_assignment_detail), "the conversation with Agency A" (test_thread),
    # "Scheduled</span> for …" (test_texting_views).
    ("candidates/candidate_detail.html", "{% with first=submissions.last %}"),
    ("agencies/portal_assignment_detail.html", 'class="places-left{%'),
    ("messaging/candidate_thread.html", "href=\"{% url 'messaging:thread' other.public_id"),
    ("messaging/_text.html", 'class="status status-{{ text.status }}">'),
    # A plain-text email: each newline of the template is one in the email.
    ("emails/invitation.txt", "{{ inviter }} invited you to"),
    ("emails/potential_duplicates.txt", "{% autoescape off %}{{ submission.agency }} submitted"),
    ("emails/potential_duplicates.txt", "{% for candidate in matches %}"),
    ("emails/submission_declined.txt", "{% autoescape off %}{{ submission.full_name }} answered"),
}


def test_template_lines_stay_readable():
    """Templates read one element a line: a long tag gets one attribute a line, and no line runs
    past the limit unless it cannot be split (LONG_TEMPLATE_LINES_ALLOWED says why)."""
    offenders, used = [], set()
    for path in sorted((ROOT / "templates").rglob("*")):
        if not path.is_file():
            continue
        name = str(path.relative_to(ROOT / "templates"))
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if len(line) <= TEMPLATE_LINE_LIMIT:
                continue
            allowed = {
                (where, start)
                for where, start in LONG_TEMPLATE_LINES_ALLOWED
                if where == name and line.lstrip().startswith(start)
            }
            used |= allowed
            if not allowed:
                offenders.append(f"{name}:{number}: {len(line)} characters")
    assert not offenders, (
        f"split these lines to at most {TEMPLATE_LINE_LIMIT} characters, changing only existing"
        " whitespace (between attributes, or between tags already apart):\n" + "\n".join(offenders)
    )
    assert used == LONG_TEMPLATE_LINES_ALLOWED, "no longer long, drop from the allowed list:\n" + (
        "\n".join(map(str, sorted(LONG_TEMPLATE_LINES_ALLOWED - used)))
    )
