"""Batches of PDF reports move from the home-made queue (claimed `ReportJob`s built by
threads or `run_report_jobs`) to Django's Tasks API: the job becomes a `ReportBatch`
built in `ReportPart`s by tasks. Finished batches stay downloadable; unfinished ones,
which nobody would build any more, end as failed with a message asking to start again."""

import django.db.models.deletion
from django.db import migrations, models

STOPPED = "Préparation interrompue par la mise à jour de Paliers : relancez-la."


def fail_unfinished(apps, schema_editor):
    from django.utils import timezone

    ReportBatch = apps.get_model("reports", "ReportBatch")
    ReportBatch.objects.filter(state__in=["en_attente", "en_cours"]).update(
        state="echec", error=STOPPED, finished_at=timezone.now()
    )


class Migration(migrations.Migration):

    dependencies = [
        ("assessments", "0001_initial"),
        ("reports", "0001_initial"),
    ]

    operations = [
        migrations.RenameModel("ReportJob", "ReportBatch"),
        migrations.RemoveConstraint(model_name="reportchunk", name="report_chunk_unique_number"),
        migrations.RenameField(model_name="reportchunk", old_name="job", new_name="batch"),
        migrations.AddConstraint(
            model_name="reportchunk",
            constraint=models.UniqueConstraint(fields=("batch", "number"), name="report_chunk_unique_number"),
        ),
        migrations.RemoveField(model_name="reportbatch", name="claimed_by"),
        migrations.RemoveField(model_name="reportbatch", name="heartbeat_at"),
        migrations.AddField(
            model_name="reportbatch",
            name="assembly_queued",
            field=models.BooleanField(default=False, verbose_name="assemblage mis en file"),
        ),
        migrations.AddField(
            model_name="reportbatch",
            name="queued_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="mis en file le"),
        ),
        migrations.AddField(
            model_name="reportbatch",
            name="started_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="commencé le"),
        ),
        migrations.AlterField(
            model_name="reportbatch",
            name="done",
            field=models.PositiveIntegerField(default=0, verbose_name="fait"),
        ),
        migrations.AlterField(
            model_name="reportbatch",
            name="total",
            field=models.PositiveIntegerField(default=0, verbose_name="à faire"),
        ),
        migrations.AlterField(
            model_name="reportchunk",
            name="batch",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="chunks", to="reports.reportbatch"
            ),
        ),
        migrations.CreateModel(
            name="ReportPart",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("position", models.PositiveIntegerField(verbose_name="rang dans l’archive")),
                ("group", models.PositiveIntegerField(verbose_name="groupe (une tâche)")),
                ("name", models.CharField(max_length=200, verbose_name="nom dans l’archive")),
                ("pdf", models.BinaryField(blank=True, null=True, verbose_name="document")),
                ("built_at", models.DateTimeField(blank=True, null=True, verbose_name="produit le")),
                (
                    "assessment",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="assessments.assessment",
                    ),
                ),
                (
                    "batch",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="parts", to="reports.reportbatch"
                    ),
                ),
            ],
            options={
                "verbose_name": "rapport d’un lot",
                "verbose_name_plural": "rapports d’un lot",
                "indexes": [models.Index(fields=["batch", "group"], name="report_part_group")],
                "constraints": [
                    models.UniqueConstraint(fields=("batch", "position"), name="report_part_unique_position")
                ],
            },
        ),
        migrations.RunPython(fail_unfinished, migrations.RunPython.noop),
    ]
