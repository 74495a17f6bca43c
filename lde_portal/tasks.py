from celery import shared_task


@shared_task(name="lde_portal.ping")
def ping() -> str:
    """Round trip through the broker: used by the CI broker test and `manage.py check_services`."""
    return "pong"
