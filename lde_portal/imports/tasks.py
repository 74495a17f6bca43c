from celery import shared_task


@shared_task(name="imports.execute_run", acks_late=True)
def execute_run(run_id: int) -> str:
    from .services import run_execute

    return run_execute(run_id).status
