from celery import shared_task


@shared_task(name="files.cleanup")
def cleanup() -> int:
    from .services import generated_files_cleanup

    return generated_files_cleanup()
