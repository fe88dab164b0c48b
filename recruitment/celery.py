import logging
import os
from datetime import UTC, datetime

from celery import Celery, bootsteps
from celery.contrib.django.task import DjangoTask
from kombu.exceptions import KombuError
from redis.exceptions import RedisError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "recruitment.settings")
logger = logging.getLogger(__name__)

# What the app itself queues: keyword arguments, perhaps a delay. A worker's retry (with its
# counters) or a beat tick carries more and fails as before: beat ticks again a minute later, and
# a retry that cannot be sent fails the task, as Celery does.
KEEPABLE_OPTIONS = {"countdown", "eta"}


class Task(DjangoTask):
    """Every task of the project. When the broker cannot take the message (Redis is down), the task
    is kept in PostgreSQL (recruitment.models.PendingTask) and sent once the broker is back: the
    request that queued it still succeeds and no work is lost."""

    def apply_async(self, args=None, kwargs=None, **options):
        _refuse_long_delays(options)
        keepable = not args and set(options) <= KEEPABLE_OPTIONS
        if self.app.conf.task_always_eager or not keepable:
            return super().apply_async(args, kwargs, **options)
        try:
            return super().apply_async(args, kwargs, **options)
        # Kombu wraps connection errors; Redis's refusals (MISCONF on a full disk, OOM) come as is.
        except (KombuError, RedisError) as exc:
            from recruitment import services  # the models are not loaded when this module is

            services.pending_task_keep(name=self.name, kwargs=kwargs or {}, error=exc, **options)
            return None


def _refuse_long_delays(options: dict) -> None:
    """A worker holds a delayed message unacknowledged until it is due; held longer than the
    visibility timeout, Redis would give it to a second worker. Longer delays belong in
    PostgreSQL with a due time that beat sweeps
    (messaging.services.threads.thread_notifications_send)."""
    from django.conf import settings

    delay = options.get("countdown") or 0
    if eta := options.get("eta"):
        delay = (eta - datetime.now(eta.tzinfo or UTC)).total_seconds()
    if delay > settings.BROKER_MAX_DELAY_SECONDS:
        raise ValueError(
            f"{delay:.0f} s is longer than a task may wait on the broker"
            f" ({settings.BROKER_MAX_DELAY_SECONDS} s): keep a due time and sweep it with beat."
        )


app = Celery("recruitment", task_cls=Task)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


class PublishPendingTasks(bootsteps.StartStopStep):
    """Each time a worker connects to the broker, at start and again after losing it, it asks for
    the kept tasks to be sent. (worker_ready fires at start only; beat catches up every minute.)"""

    requires = {"celery.worker.consumer.tasks:Tasks"}

    def start(self, consumer):
        try:
            consumer.app.send_task("recruitment.tasks.pending_tasks_publish")
        except (KombuError, RedisError) as exc:
            logger.warning("Could not ask for the pending tasks to be sent: %s", exc)


app.steps["consumer"].add(PublishPendingTasks)
