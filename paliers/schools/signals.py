"""Signals of the directory, for the apps above it that keep copies of a school's fields."""

from django.dispatch import Signal

# Sent inside the import's transaction once its changes are written (not on a dry run).
directory_imported = Signal()
