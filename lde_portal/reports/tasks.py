from celery import shared_task


@shared_task(name="reports.build_export", acks_late=True)
def build_export(file_id: int) -> str:
    from .services import generated_file_build

    return generated_file_build(file_id).status


@shared_task(name="reports.cleanup_generated_files")
def cleanup_generated_files() -> int:
    from .services import generated_files_cleanup

    return generated_files_cleanup()
