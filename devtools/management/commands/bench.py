"""Seed the large data set if needed, run the benchmarks (devtools.bench), and write
.run/bench/report.md and .run/bench/report.json; the Markdown is printed too."""

import json
import os
import warnings
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.test.utils import override_settings
from django.utils import timezone

from devtools import field_eval
from devtools.bench.measure import (
    logged_in,
    measure_duplicate_check,
    measure_page,
    measure_resume_parsing,
    measure_url,
    slow_query_plans,
)
from devtools.bench.report import data_sizes, goals, machine, render_markdown
from devtools.bench.scene import bench_scene

REPORT_DIR = Path(settings.BASE_DIR) / ".run" / "bench"


class Command(BaseCommand):
    help = "Seed the large data set if needed, then measure pages, the duplicate check and resume parsing."

    def add_arguments(self, parser):
        parser.add_argument("--requests", type=int, default=30, help="per page (default 30)")
        parser.add_argument("--runs", type=int, default=200, help="duplicate-check runs")
        parser.add_argument("--candidates", type=int, default=1_000_000, help="for seed_large")
        parser.add_argument(
            "--only",
            choices=["parsing"],
            help="only resume parsing: its speed and the field evaluation (no seeding, no pages)",
        )

    def handle(self, *args, **options):
        # WhiteNoise warns once per process when collectstatic has not run; it serves nothing here.
        warnings.filterwarnings("ignore", "No directory at", UserWarning)
        if options["only"] == "parsing":
            return self.write_report(self.parsing_report())
        call_command("migrate", interactive=False, verbosity=0)
        call_command("seed_large", candidates=options["candidates"], stdout=self.stdout)
        load_at_start, started_at = os.getloadavg()[0], timezone.now()
        with override_settings(DEBUG=False, ALLOWED_HOSTS=["testserver"]):
            self.status("Setting up the bench users and picking the pages' parameters…")
            pages, people, assignment = bench_scene(options["runs"])
            self.status(f"Pages: {options['requests']} requests each, at large and small size…")
            floor = measure_url(logged_in(pages[0].user), "/notifications/", options["requests"])
            page_results = [measure_page(page, options["requests"]) for page in pages]
            self.status(f"Duplicate check: {len(people)} runs…")
            duplicate = measure_duplicate_check(people, assignment)
            plans = slow_query_plans(page_results)
        self.status("Resume parsing…")
        report = {
            "date": started_at.isoformat(timespec="seconds"),
            "machine": machine(),
            "data": data_sizes(),
            "requests_per_page": options["requests"],
            "floor": floor,
            "pages": page_results,
            "duplicate_check": duplicate,
            "resume_parsing": measure_resume_parsing(),
            "resume_fields": self.resume_fields(),
            "slow_query_plans": plans,
            "load_average": [load_at_start, os.getloadavg()[0]],
        }
        self.write_report(report)

    def parsing_report(self) -> dict:
        load_at_start, started_at = os.getloadavg()[0], timezone.now()
        self.status("Resume parsing…")
        return {
            "date": started_at.isoformat(timespec="seconds"),
            "machine": machine(database=False),
            "resume_parsing": measure_resume_parsing(),
            "resume_fields": self.resume_fields(),
            "load_average": [load_at_start, os.getloadavg()[0]],
        }

    def write_report(self, report: dict) -> None:
        report["goals"] = goals(report)
        markdown = render_markdown(report)
        REPORT_DIR.mkdir(parents=True, exist_ok=True)
        (REPORT_DIR / "report.json").write_text(json.dumps(report, indent=2, default=str) + "\n")
        (REPORT_DIR / "report.md").write_text(markdown)
        self.stdout.write(markdown)

    def resume_fields(self) -> dict:
        self.status("Resume fields: generating the corpus if needed, then parsing it…")
        return {
            "generated": field_eval.evaluate_generated(),
            "samples": field_eval.evaluate_samples(),
        }

    def status(self, message: str) -> None:
        self.stderr.write(message)
