"""From a checked workbook to loaded rows: keep it for its preview, then load it as the
académie administrator chose (a new framework, or a new version of a loaded one)."""

from dataclasses import dataclass, replace
from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from paliers.frameworks.crosswalk_loading import CrosswalkLoad, load_documents
from paliers.frameworks.crosswalks import CrosswalkDocument, crosswalk_from_data
from paliers.frameworks.loading import LoadResult, load_specs
from paliers.frameworks.models import Framework
from paliers.frameworks.workbook_reading import check_data

from .models import PendingFramework

KEEP_PREVIEW = timedelta(days=1)


def keep(filename, spec, document, user):
    """The checked contents, kept for the preview: one per person (an older one would only
    confuse), none left behind for more than a day."""
    PendingFramework.objects.filter(
        Q(uploaded_by=user) | Q(uploaded_at__lt=timezone.now() - KEEP_PREVIEW)
    ).delete()
    return PendingFramework.objects.create(
        filename=filename[:255],
        data={"framework": spec.to_data(), "crosswalk": document.spec.to_data() if document else None},
        uploaded_by=user,
    )


def contents(pending):
    """(FrameworkSpec, CrosswalkSpec or None) kept for this preview."""
    crosswalk = pending.data["crosswalk"]
    return check_data(pending.data["framework"]), crosswalk and crosswalk_from_data(crosswalk)


@dataclass(frozen=True)
class Situation:
    """What loading the spec under its slug would do, for the preview to say."""

    versions: list  # the versions of that slug already loaded
    identical: bool  # this slug + version is loaded with the same content: nothing to load


def situation(spec):
    loaded = Framework.objects.filter(slug=spec.slug).order_by("loaded_at")
    versions = list(loaded.values_list("version", flat=True))
    return Situation(versions, spec.version in versions)


@dataclass(frozen=True)
class Loaded:
    framework: LoadResult
    crosswalk: CrosswalkLoad | None


@transaction.atomic
def load(pending, slug):
    """Load the framework under `slug` (and its crosswalk, then leading to it), all or nothing
    (FrameworkInvalid when the database changed since the preview), and forget the preview."""
    spec, crosswalk = contents(pending)
    spec = replace(spec, slug=slug)
    [framework] = load_specs([spec])
    loaded_crosswalk = None
    if crosswalk is not None:
        crosswalk = replace(crosswalk, target_slug=slug)
        document = CrosswalkDocument(crosswalk, lambda index, field: _("table de correspondance"))
        [loaded_crosswalk] = load_documents([document])
    pending.delete()
    return Loaded(framework, loaded_crosswalk)
