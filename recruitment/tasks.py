from celery import shared_task
from django.core.mail import send_mail


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def email_send(*, to: str, subject: str, body: str) -> None:
    send_mail(subject=subject, message=body, from_email=None, recipient_list=[to])


@shared_task
def pending_tasks_publish() -> None:
    from recruitment import services

    services.pending_tasks_publish()
