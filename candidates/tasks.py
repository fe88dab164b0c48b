from celery import shared_task


@shared_task(acks_late=True, reject_on_worker_lost=True, time_limit=60, soft_time_limit=45)
def resume_parse(*, resume_id: int) -> None:
    from candidates import services

    services.resume_parse(resume_id=resume_id)


@shared_task
def submission_scan_duplicates(*, submission_id: int) -> None:
    from candidates import duplicates

    duplicates.submission_scan_duplicates(submission_id=submission_id)


@shared_task
def pending_resumes_delete() -> None:
    from candidates import kept_resumes

    kept_resumes.pending_resumes_delete()
