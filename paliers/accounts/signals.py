"""Signals of accounts that apps above it listen to (the security journal)."""

from django.dispatch import Signal

# Sent when a person chose a new password: `request`, `user`, `how` (in French words).
password_changed = Signal()
