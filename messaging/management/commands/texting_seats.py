from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from messaging.models import Seat, TextingPlan
from messaging.services import seats as seat_services


class Command(BaseCommand):
    help = "Show or set how many texting seats were bought (audited; never below those given out)."

    def add_arguments(self, parser):
        parser.add_argument("seats", nargs="?", type=int, help="the new purchased seat count")

    def handle(self, *args, seats=None, **options):
        if seats is not None:
            try:
                seat_services.texting_plan_set_seats(
                    actor=None, seats=seats, via="manage.py texting_seats"
                )
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from exc
        plan = TextingPlan.current()
        self.stdout.write(f"{Seat.objects.count()} of {plan.seats} texting seats given out.")
