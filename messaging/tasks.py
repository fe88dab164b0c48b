from celery import shared_task


@shared_task
def thread_notify(*, thread_id: int) -> None:
    from messaging import services

    services.thread_notify(thread_id=thread_id)
