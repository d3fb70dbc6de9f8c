from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Hashed, compressed static files, byte for byte as shipped.

    django-dsfr links its CSS and JavaScript with Subresource Integrity hashes; the
    manifest storage's rewriting of url() references would change the files and the
    browser would then refuse them. The files they reference stay served, unhashed.
    """

    patterns = ()
