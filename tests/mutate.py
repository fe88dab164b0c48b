"""`make mutate`: mutation testing of the rule-bearing functions with mutmut, and the score of each.

mutmut copies the apps into mutants/, replaces each function of the files named by
[tool.mutmut] only_mutate in pyproject.toml with a trampoline, learns which of the selected tests
call which function, then runs, for each mutant of the functions in AREAS below, the tests that
call it (in a process forked per mutant). A mutant is killed when one of them fails.

Run as `python -m tests.mutate [mutmut run options]` with .run/env sourced (the Makefile does).
It starts from an empty mutants/ every time, uses a database of its own (the usual test
database's name + "_mutants") and Redis database 15 (MUTATE_REDIS_DB), so `make test` may run
meanwhile, prints the score per area, the survivors with their diffs, and exits 1 when an area is
under GOAL or a scope keeps a surviving mutant.
"""

import argparse
import fnmatch
import json
import os
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
MUTANTS = ROOT / "mutants"
MUTMUT = Path(sys.executable).with_name("mutmut")
GOAL = 0.90
KILLED = {1, 3, 36, 24, -24, 152, 255}  # a failing test, pytest's internal error, or a timeout
SURVIVED = 0
NO_TESTS = {5, 33}


class Area:
    """A group of rule-bearing functions, in one module or several (paths)."""

    def __init__(
        self, name: str, paths: str | tuple[str, ...], functions: list[str], *, scope: bool = False
    ):
        self.name, self.functions, self.scope = name, functions, scope
        self.paths = (paths,) if isinstance(paths, str) else paths
        self.modules = [path.removesuffix(".py").replace("/", ".") for path in self.paths]

    def module_of(self, key: str) -> str | None:
        return next((module for module in self.modules if key.startswith(module + ".")), None)

    def function_of(self, key: str) -> str:
        """agencies.models.xǁAgencyQuerySetǁvisible_to__mutmut_3 -> xǁAgencyQuerySetǁvisible_to"""
        return key.removeprefix(f"{self.module_of(key)}.").partition("__mutmut_")[0]

    def owns(self, key: str) -> bool:
        return self.module_of(key) is not None and any(
            fnmatch.fnmatchcase(self.function_of(key), pattern) for pattern in self.functions
        )

    @property
    def patterns(self) -> list[str]:
        return [
            f"{module}.{function}__mutmut_*"
            for module in self.modules
            for function in self.functions
        ]


# Functions as mutmut names them: x_<function>, xǁ<Class>ǁ<method>. mutmut 3 does not mutate
# decorated functions (e.g. @transaction.atomic); the report lists those that got no mutant.
SCOPES = "xǁ*ǁvisible_to"
AREAS = [
    Area("Scopes: recruitment/models.py", "recruitment/models.py", [SCOPES], scope=True),
    Area(
        "Scopes: agencies/models.py (and agency_scope)",
        "agencies/models.py",
        [SCOPES, "x_agency_scope", "x_agency_id_of"],
        scope=True,
    ),
    Area("Scopes: candidates/models.py", "candidates/models.py", [SCOPES], scope=True),
    Area(
        "Scopes: messaging/models/",
        ("messaging/models/threads.py", "messaging/models/texting.py"),
        [SCOPES],
        scope=True,
    ),
    Area(
        "Duplicate decision: candidates/duplicates/decision.py",
        "candidates/duplicates/decision.py",
        [
            "x_submission_create",
            "x__check_assignment_open",
            "x__check_cap",
            "x_identities",
            "x__create_candidate_with_claims",
            "x_job_to_claim",
            "x__judge_known_person",
            "x__record",
            "x_application_for",
        ],
    ),
    Area(
        "Identity claims: candidates/duplicates/claims.py",
        "candidates/duplicates/claims.py",
        [
            "x_normalize_email",
            "x_claim",
            "x_take_identity",
            "x__insert_claim",
            "x__take_over_expired_claim",
            "x__released",
            "x_candidate_update_contact",
            "x__fresh_windows",
            "x__move_claims",
        ],
    ),
    Area(
        "Identity conflicts held: candidates/duplicates/decision.py",
        "candidates/duplicates/decision.py",
        ["x__contested_identity", "x__check_confirmed", "x__hold"],
    ),
    Area(
        "Identity conflicts resolved: candidates/duplicates/conflicts.py",
        "candidates/duplicates/conflicts.py",
        ["x_*"],
    ),
    Area(
        "Confirmation link, merge: candidates/services.py",
        "candidates/services.py",
        [
            "x_submission_for_confirmation",
            "x_submission_confirm",
            "x_job_recruiters",
            "x_candidate_merge",
        ],
    ),
    Area("Consent: messaging/consent.py", "messaging/consent.py", ["x_*"]),
    Area(
        "Send rules, quiet hours: texting, quiet_hours",
        (
            "messaging/services/texting.py",
            "messaging/selectors/texting.py",
            "messaging/quiet_hours.py",
            "messaging/services/texting_delivery.py",
        ),
        [
            "x_has_seat",
            "x__require_seat",
            "x_text_invite",
            "x__when_to_send",
            "x_text_send",
            "x__send_outside_the_window",
            "x__template_waiting",
            "x__check_channel_allows",
            "x_whatsapp_window_open",
            "x__zones",
            "x_local_times",
            "x__daytime",
            "x_quiet_hours_check",
            "x__next_morning",
            "x_text_message_send",
            "x__still_allowed",
        ],
    ),
    Area(
        "Inbound texts, held WhatsApp: services/texting_inbound, services/texting",
        ("messaging/services/texting_inbound.py", "messaging/services/texting.py"),
        [
            "x_text_receive",
            "x__sender_number",
            "x_waiting_conversation",
            "x__held",
            "x_release_held",
        ],
    ),
    Area(
        "Invitations: agencies/services.py",
        "agencies/services.py",
        [
            "x_invitation_create",
            "x_invitation_for_token",
            "x_invitation_accept",
            "x_invitation_revoke",
        ],
    ),
    Area(
        "Twilio provider: messaging/providers.py",
        "messaging/providers.py",
        ["xǁTwilioProviderǁ*"],
    ),
]


def own_database(url: str) -> str:
    parts = urlsplit(url)
    return parts._replace(path=parts.path.rstrip("/") + "_mutants").geturl()


def run_mutmut(areas: list[Area], options: list[str]) -> int:
    """One mutant at a time: every child uses the same test database, and a transactional test
    of one would truncate the tables under another's."""
    shutil.rmtree(MUTANTS, ignore_errors=True)
    env = os.environ | {
        "DATABASE_URL": own_database(os.environ["DATABASE_URL"]),
        "TEST_REDIS_DB": os.environ.get("MUTATE_REDIS_DB", "15"),  # tests clear their cache
    }
    patterns = [pattern for area in areas for pattern in area.patterns]
    command = [MUTMUT, "run", "--max-children", "1", *options, *patterns]
    return subprocess.run(command, cwd=ROOT, env=env).returncode


def exit_codes(areas: list[Area]) -> dict[str, int | None]:
    codes = {}
    for area_path in {path for area in areas for path in area.paths}:
        meta = MUTANTS / f"{area_path}.meta"
        if meta.exists():
            codes |= json.loads(meta.read_text())["exit_code_by_key"]
    return codes


def report(areas: list[Area], codes: dict[str, int | None], minutes: float) -> bool:
    """Print the table and the survivors; True when every area meets the goal."""
    print(f"\nMutation testing, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {minutes:.0f} min", end="")
    print(f", mutmut {version('mutmut')}; goal: {GOAL:.0%} killed, no survivor in a scope\n")
    print(f"{'area':<48} {'killed':>6} / {'total':<5} {'score':>6}  survived  no tests  not run")
    met, survivors, unmutated = True, [], []
    for area in areas:
        mine = {key: code for key, code in codes.items() if area.owns(key)}
        killed = sum(code in KILLED for code in mine.values())
        not_run = [key for key, code in mine.items() if code is None]
        untested = [key for key, code in mine.items() if code in NO_TESTS]
        survived = [
            key for key in mine if key not in not_run + untested and mine[key] not in KILLED
        ]
        score = killed / len(mine) if mine else 0.0
        ok = (
            bool(mine) and score >= GOAL and not not_run and not (area.scope and killed < len(mine))
        )
        met &= ok
        survivors += survived + untested
        mutated = {area.function_of(key) for key in mine}
        unmutated += [
            f"{'|'.join(area.modules)}.{function.removeprefix('x_')}"
            for function in area.functions
            if "*" not in function and function not in mutated
        ]
        print(
            f"{area.name:<48} {killed:>6} / {len(mine):<5} {score:>6.1%}  {len(survived):>8}"
            f"  {len(untested):>8}  {len(not_run):>7}  {'' if ok else '<- below the goal'}"
        )
    if unmutated:
        print("\nNo mutant (decorated, or nothing to mutate):", ", ".join(unmutated))
    if survivors:
        print(f"\n{len(survivors)} mutants lived (the tests passed with the change shown):\n")
        for key in survivors:
            shown = subprocess.run([MUTMUT, "show", key], cwd=ROOT, capture_output=True, text=True)
            print(shown.stdout.strip() or key, end="\n\n")
    return met


def chosen_areas(argv: list[str]) -> tuple[list[Area], list[str]]:
    """`--area NAME` (repeatable) keeps the areas whose name starts with NAME, e.g. --area Scopes;
    every other argument goes to mutmut run."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--area", action="append", default=[])
    chosen, options = parser.parse_known_args(argv)
    areas = [area for area in AREAS if not chosen.area or area.name.startswith(tuple(chosen.area))]
    return areas, options


def main() -> int:
    started = time.monotonic()
    areas, options = chosen_areas(sys.argv[1:])
    if not areas:
        print("No area's name starts with that; see AREAS in tests/mutate.py.", file=sys.stderr)
        return 2
    if run_mutmut(areas, options) != 0:
        print("mutmut failed; see its output above.", file=sys.stderr)
        return 2
    return 0 if report(areas, exit_codes(areas), (time.monotonic() - started) / 60) else 1


if __name__ == "__main__":
    sys.exit(main())
