# The rate limit leaves the questionnaire's row (it kept the minute of the last submission)
# for core's hashed counters; each questionnaire gets the secret of its published noise.

import secrets

from django.db import migrations, models

import paliers.surveys.models


def one_seed_each(apps, schema_editor):
    # AddField draws one default for every existing row: give each its own secret.
    TeamSurvey = apps.get_model("surveys", "TeamSurvey")
    for survey in TeamSurvey.objects.only("pk"):
        TeamSurvey.objects.filter(pk=survey.pk).update(noise_seed=secrets.token_hex(32))


class Migration(migrations.Migration):

    dependencies = [
        ('surveys', '0001_initial'),
        ('core', '0001_initial'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='teamsurvey',
            name='rate_count',
        ),
        migrations.RemoveField(
            model_name='teamsurvey',
            name='rate_window',
        ),
        migrations.AddField(
            model_name='teamsurvey',
            name='noise_seed',
            field=models.CharField(default=paliers.surveys.models.new_seed, editable=False, max_length=64, verbose_name='graine du bruit'),
        ),
        migrations.RunPython(one_seed_each, migrations.RunPython.noop),
    ]
