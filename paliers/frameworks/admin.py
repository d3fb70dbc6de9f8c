from django.contrib import admin

from .models import Framework


@admin.register(Framework)
class FrameworkAdmin(admin.ModelAdmin):
    """Read-only: a loaded framework never changes (load a new version instead)."""

    list_display = ["title", "slug", "version", "audience", "loaded_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
