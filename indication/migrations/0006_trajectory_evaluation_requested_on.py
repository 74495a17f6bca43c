from django.db import migrations
from django.db.models import Max, OuterRef, Subquery


def backfill(apps, schema_editor):
    """Requests recorded before the trajectory kept the date: the latest one while each open trajectory
    was in effect answers its evaluation deadlines (trajects/alerts.py)."""
    trajectory_model = apps.get_model("trajects", "Trajectory")
    request_model = apps.get_model("indication", "EvaluationRequest")
    latest = (request_model.objects.filter(worker_id=OuterRef("worker_id"), requested_on__gte=OuterRef("opened_on"))
              .values("worker_id").annotate(last=Max("requested_on")).values("last")[:1])
    trajectory_model.objects.filter(closed_on__isnull=True).update(evaluation_requested_on=Subquery(latest))


class Migration(migrations.Migration):
    dependencies = [
        ("indication", "0005_icfitem_version"),
        ("trajects", "0007_trajectory_evaluation_requested_on"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
