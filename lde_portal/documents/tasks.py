from celery import shared_task

from .services import batch_run


@shared_task(name="documents.run_batch", acks_late=True)
def run_batch(batch_id: int) -> int:
    return batch_run(batch_id).done
