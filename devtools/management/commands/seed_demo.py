from django.core.management.base import BaseCommand

from devtools import demo


class Command(BaseCommand):
    help = "Load the demo employer, agencies, users, jobs and candidates (idempotent); print the logins."

    def handle(self, *args, **options):
        steps = iter(range(1, 5))
        demo.load(progress=lambda label: self.stdout.write(f"[{next(steps)}/4] {label}"))
        self.stdout.write(
            self.style.SUCCESS(
                "Demo data ready. Sign in with any of these (password for all: "
                f"{demo.DEMO_PASSWORD}):"
            )
        )
        for email, role, where in demo.demo_logins():
            self.stdout.write(f"  {email:<32} {role:<40} {where}")
