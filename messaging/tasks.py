from celery import shared_task


@shared_task
def thread_notifications_send() -> None:
    from messaging.services import threads

    threads.thread_notifications_send()


@shared_task
def thread_notify(*, thread_id: int) -> None:
    from messaging.services import threads

    threads.thread_notify(thread_id=thread_id)


def text_retry_delay(retries: int) -> int:
    """5, 10, 20, then 30 s: a delayed retry waits on the broker, which allows 30 s at most."""
    return min(30, 5 * 2**retries)


@shared_task(bind=True, acks_late=True, max_retries=12)
def text_message_send(self, *, message_id: int) -> None:
    """Transient provider errors retry with backoff for about five minutes (305 s in all); after
    the last, the text fails."""
    from messaging import providers
    from messaging.services import texting_delivery

    try:
        texting_delivery.text_message_send(message_id=message_id)
    except providers.TransientError as exc:
        if self.request.retries >= self.max_retries:
            texting_delivery.text_message_give_up(message_id=message_id, reason=str(exc))
            return
        raise self.retry(exc=exc, countdown=text_retry_delay(self.request.retries)) from exc


@shared_task
def texts_send_scheduled() -> None:
    from messaging.services import texting_delivery

    texting_delivery.texts_send_scheduled()


@shared_task
def texts_mark_unconfirmed() -> None:
    from messaging.services import texting_delivery

    texting_delivery.texts_mark_unconfirmed()
