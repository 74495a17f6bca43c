from celery import shared_task

from . import services


@shared_task(name="imports.execute_run", acks_late=True)
def execute_run(run_id: int) -> str:
    return services.run_execute(run_id).status
