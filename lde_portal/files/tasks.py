from celery import shared_task

from .services import generated_files_cleanup


@shared_task(name="files.cleanup")
def cleanup() -> int:
    return generated_files_cleanup()
