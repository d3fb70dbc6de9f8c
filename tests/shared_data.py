"""The real open-data extracts, read from ../shared/data/ beside the repository (never copied in)."""

from pathlib import Path

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
ANNUAIRE_VAL_DE_MARNE = SHARED_DATA / "annuaire-val-de-marne-ecoles-2026.csv"
GEOLOC_COLLEGES = SHARED_DATA / "geoloc-colleges-france.csv"
