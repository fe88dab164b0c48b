"""Generate the resume corpus (devtools.resume_corpus) into .run/resume_corpus/, or reuse it."""

from django.core.management.base import BaseCommand

from devtools.resume_corpus.corpus import DEFAULT_COUNT, DEFAULT_SEED, ensure_corpus


class Command(BaseCommand):
    help = "Generate the ground-truth resume corpus (PDF, DOCX, scans) unless it is cached."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
        parser.add_argument("--count", type=int, default=DEFAULT_COUNT)
        parser.add_argument("--force", action="store_true", help="regenerate even if cached")

    def handle(self, *args, **options):
        folder, items = ensure_corpus(options["seed"], options["count"], force=options["force"])
        self.stdout.write(f"{len(items)} resumes in {folder}")
