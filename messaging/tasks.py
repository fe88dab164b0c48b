from celery import shared_task


@shared_task
def thread_notify(*, thread_id: int) -> None:
    from messaging import services

    services.thread_notify(thread_id=thread_id)


@shared_task(bind=True, acks_late=True, max_retries=6)
def text_message_send(self, *, message_id: int) -> None:
    """Transient provider errors retry with exponential backoff; after the last, the text fails."""
    from messaging import providers, texting

    try:
        texting.text_message_send(message_id=message_id)
    except providers.TransientError as exc:
        if self.request.retries >= self.max_retries:
            texting.text_message_give_up(message_id=message_id, reason=str(exc))
            return
        raise self.retry(exc=exc, countdown=min(600, 5 * 2**self.request.retries)) from exc


@shared_task
def texts_send_scheduled() -> None:
    from messaging import texting

    texting.texts_send_scheduled()


@shared_task
def texts_mark_unconfirmed() -> None:
    from messaging import texting

    texting.texts_mark_unconfirmed()
