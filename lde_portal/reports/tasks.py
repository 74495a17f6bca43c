from celery import shared_task

from .services import generated_file_build


@shared_task(name="reports.build_export", acks_late=True)
def build_export(file_id: int) -> str:
    return generated_file_build(file_id).status

