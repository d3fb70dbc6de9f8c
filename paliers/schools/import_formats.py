"""Recognising the ministry's directory files by their header, and reading their values.

Exports differ from year to year and from one download page to another: field names
(`Code_postal`) or human labels (« Code postal »), columns added or dropped, values
re-saved by a spreadsheet. Headers are compared once normalised, against a few aliases
per field; values are brought back to the ministry's own forms.
"""

import codecs
import functools
import io
import os
import re
import tempfile
import unicodedata
from contextlib import contextmanager
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.text import slugify
from django.utils.translation import gettext as _

from .models import DistrictKind, PriorityEducation, SchoolKind, SchoolState, Sector


def normalize_header(text):
    text = unicodedata.normalize("NFKD", text.replace("\ufeff", "").strip())
    text = "".join(char for char in text if not unicodedata.combining(char)).lower()
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_")


@dataclass(frozen=True)
class FileFormat:
    name: str
    uai_aliases: tuple[str, ...]


ANNUAIRE = FileFormat(
    "Annuaire de l'éducation", ("identifiant_de_l_etablissement", "identifiant_etablissement")
)
GEOLOC = FileFormat(
    "Adresse et géolocalisation des établissements",
    ("numero_uai", "code_uai", "uai", "code_etablissement", "numero_d_uai"),
)
FORMATS = (ANNUAIRE, GEOLOC)

# Normalised headers, the first found wins: the annuaire's field name and its label,
# then the geolocation file's. A field absent from a file leaves the schools' value alone.
ALIASES = {
    field: tuple(aliases.split())
    for field, aliases in {
        "name": "nom_etablissement nom_de_l_etablissement appellation_officielle appellation_officielle_uai",
        "department_code": "code_departement code_du_departement departement_code",
        "department_name": "libelle_departement libelle_du_departement departement nom_departement",
        "academy_code": "code_academie code_de_l_academie academie_code",
        "academy_name": "libelle_academie libelle_de_l_academie academie nom_academie",
        "commune_code": "code_commune code_de_la_commune code_insee_commune code_insee",
        "commune": "nom_commune nom_de_la_commune libelle_commune commune",
        "postal_code": "code_postal code_postal_uai adresse_code_postal",
        "sector": "statut_public_prive secteur_public_prive_libe secteur_public_prive secteur statut",
        "nature_code": "code_nature nature_uai code_de_la_nature",
        "nature_label": "libelle_nature nature_uai_libe libelle_de_la_nature nature lib_nature",
        "school_type": "type_etablissement type_d_etablissement type_de_l_etablissement",
        "maternelle": "ecole_maternelle",
        "elementaire": "ecole_elementaire",
        "agricole": "lycee_agricole",
        "priority_education": (
            "appartenance_education_prioritaire appartenance_a_l_education_prioritaire education_prioritaire"
        ),
        # The geolocation file's `etat_etablissement` is a code (1, 2, 3): its label first.
        "state": "etat etat_etablissement_libe etat_de_l_etablissement etat_etablissement",
        "email": "mail adresse_mail courriel email adresse_electronique",
        "latitude": "latitude lat",
        "longitude": "longitude lon lng",
        "pupils": "nombre_d_eleves nombre_eleves nombre_d_eleves_total effectif effectifs",
        "circonscription_code": "code_circonscription code_de_la_circonscription",
        "circonscription_name": "nom_circonscription nom_de_la_circonscription circonscription",
        "zap_code": "code_zone_animation_pedagogique code_zone_d_animation_pedagogique",
        "zap_name": (
            "libelle_zone_animation_pedagogique libelle_zone_d_animation_pedagogique "
            "zone_d_animation_pedagogique"
        ),
        "bassin_code": "code_bassin_formation code_du_bassin_de_formation code_bassin_de_formation",
        "bassin_name": "libelle_bassin_formation libelle_du_bassin_de_formation bassin_de_formation",
    }.items()
}

KIND_COLUMNS = ("nature_code", "nature_label", "school_type", "maternelle", "elementaire", "agricole")
DISTRICT_COLUMNS = (
    (DistrictKind.CIRCONSCRIPTION, "circonscription_code", "circonscription_name"),
    (DistrictKind.ZAP, "zap_code", "zap_name"),
    (DistrictKind.BASSIN, "bassin_code", "bassin_name"),
)
CHUNK = 1 << 20


class ImportFileError(Exception):
    """A file whose structure cannot be read; `message` says why, in the interface's language."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


@dataclass
class Columns:
    format: FileFormat
    uai: int
    index: dict  # field → column index, for the fields the header gives

    def gives_kind(self):
        return any(field in self.index for field in KIND_COLUMNS)


def recognise(header_cells):
    """The format and the columns of a header row; ImportFileError when it is neither."""
    normalised = [normalize_header(cell) for cell in header_cells]
    positions = {}
    for position, name in enumerate(normalised):
        positions.setdefault(name, position)
    for file_format in FORMATS:
        uai = next((positions[a] for a in file_format.uai_aliases if a in positions), None)
        if uai is not None:
            break
    else:
        if len(header_cells) == 1:
            message = _(
                "colonne UAI introuvable : attendu « Identifiant_de_l_etablissement » (Annuaire de "
                "l'éducation) ou « numero_uai » (Adresse et géolocalisation des établissements), ou leurs "
                "intitulés « Identifiant de l'établissement » ou « Numéro UAI » ; une seule colonne lue "
                "dans l'en-tête : les colonnes doivent être séparées par des points-virgules, des virgules "
                "ou des tabulations"
            )
        else:
            message = _(
                "colonne UAI introuvable : attendu « Identifiant_de_l_etablissement » (Annuaire de "
                "l'éducation) ou « numero_uai » (Adresse et géolocalisation des établissements), ou leurs "
                "intitulés « Identifiant de l'établissement » ou « Numéro UAI »"
            )
        raise ImportFileError(message)
    index = {}
    for field, aliases in ALIASES.items():
        found = next((positions[a] for a in aliases if a in positions), None)
        if found is not None:
            index[field] = found
    expected = {
        ANNUAIRE: {"name": "Nom_etablissement", "department_code": "Code_departement"},
        GEOLOC: {"name": "appellation_officielle", "department_code": "code_departement"},
    }[file_format]
    missing = [f"« {header} »" for field, header in expected.items() if field not in index]
    if missing:
        raise ImportFileError(
            _("fichier reconnu comme « %(format)s » mais colonne(s) introuvable(s) : %(columns)s")
            % {"format": file_format.name, "columns": ", ".join(missing)}
        )
    return Columns(file_format, uai, index)


def detect_delimiter(header_line):
    """The separator the header line uses: `;` unless `,` or a tab is more frequent."""
    counts = {sep: header_line.count(sep) for sep in (";", ",", "\t")}
    best = max(counts, key=lambda sep: (counts[sep], sep == ";"))
    return best if counts[best] else ";"


# Values --------------------------------------------------------------------------------
# The readers of values that repeat across rows are cached: a national file has 66,000
# rows but a few thousand distinct codes and labels.

_CODE = re.compile(r"^[0-9][0-9A-Za-z]*$")


@functools.lru_cache(maxsize=1 << 16)
def pad_code(value, width):
    """A code whose leading zeros a spreadsheet dropped (`94` → `094`), given back its width.

    Anything that is not a plain code (such as `2,17E+13`) becomes blank rather than
    a wrong code."""
    value = value.strip().removesuffix(".0")
    return value.upper().zfill(width) if _CODE.match(value) else ""


def is_flag_set(value):
    return value.strip().lower() in {"1", "1.0", "oui", "o", "true", "vrai", "x"}


KIND_BY_NATURE = {
    **dict.fromkeys(("101", "102", "103"), SchoolKind.MATERNELLE),
    **dict.fromkeys(("151", "152", "153", "162"), SchoolKind.ELEMENTAIRE),
    **dict.fromkeys(("340", "350", "352"), SchoolKind.COLLEGE),
    **{"300": SchoolKind.LGT, "306": SchoolKind.LPO, "320": SchoolKind.LP, "370": SchoolKind.EREA},
}
# Without a nature code (a trimmed export), the words of the nature label or of the type.
KIND_BY_WORD = (
    *(("maternelle", SchoolKind.MATERNELLE), ("elementaire", SchoolKind.ELEMENTAIRE)),
    *(("college", SchoolKind.COLLEGE), ("erea", SchoolKind.EREA), ("adapte", SchoolKind.EREA)),
    *(("polyvalent", SchoolKind.LPO), ("professionnel", SchoolKind.LP), ("general", SchoolKind.LGT)),
)


@functools.lru_cache(maxsize=1 << 16)
def school_kind(nature_code, nature_label, school_type, maternelle, elementaire, agricole):
    code = pad_code(nature_code, 3)
    words = set(f"{normalize_header(nature_label)}_{normalize_header(school_type)}".split("_"))
    mat, elem = is_flag_set(maternelle), is_flag_set(elementaire)
    if is_flag_set(agricole) or "agricole" in words:
        return SchoolKind.AGRICOLE
    if code:
        kind = KIND_BY_NATURE.get(code, SchoolKind.OTHER)
    else:
        kind = next((kind for word, kind in KIND_BY_WORD if word in words), SchoolKind.OTHER)
        if kind == SchoolKind.OTHER and "ecole" in words and (mat or elem):
            kind = SchoolKind.ELEMENTAIRE if elem else SchoolKind.MATERNELLE
    if kind == SchoolKind.ELEMENTAIRE and mat and elem:
        return SchoolKind.PRIMAIRE
    return kind


@functools.lru_cache(maxsize=1 << 16)
def sector(value):
    value = normalize_header(value)
    if value.startswith("pri"):
        return Sector.PRIVATE
    if value.startswith("pub"):
        return Sector.PUBLIC
    return None


@functools.lru_cache(maxsize=1 << 16)
def state(value):
    value = normalize_header(value)
    if value == "2" or "fermer" in value:
        return SchoolState.TO_CLOSE
    if value == "3" or "ouvrir" in value:
        return SchoolState.TO_OPEN
    if value == "1" or "ouvert" in value:
        return SchoolState.OPEN
    return None


@functools.lru_cache(maxsize=1 << 16)
def priority_education(value):
    value = re.sub(r"\s+", "", value).upper()
    if value in {"REP+", "REPPLUS", "REP_PLUS"}:
        return PriorityEducation.REP_PLUS
    if value == "REP":
        return PriorityEducation.REP
    return PriorityEducation.NONE


def coordinate(limit):
    """A reader of a latitude (limit 90) or longitude (180): a decimal comma from a
    spreadsheet is read as a point; blank or out of range, None (the value is left alone)."""

    def read(value):
        try:
            number = float(value.strip().replace(",", "."))
        except ValueError:
            return None
        return round(number, 6) if -limit <= number <= limit and number == number else None

    return read


def pupils(value):
    value = value.strip().replace("\u202f", "").replace(" ", "").removesuffix(".0")
    return int(value) if value.isdigit() and int(value) < 100_000 else None


def email(value):
    value = value.strip()
    if not value or len(value) > 254:
        return ""
    try:
        validate_email(value)
    except ValidationError:
        # A malformed address must not cost the school its place in the directory.
        return ""
    return value


@functools.lru_cache(maxsize=1 << 16)
def district_code(kind, code, name, department_code):
    code = code.strip().upper()
    if code:
        # Bassin codes are 5 digits (académie + number): a spreadsheet drops their zero.
        return pad_code(code, 5) if kind == DistrictKind.BASSIN and code.isdigit() else code
    # The same name may be used in two départements (Saint-Denis in 093 and 974).
    return f"{department_code}-{slugify(name)}"[:120]


# Rows ----------------------------------------------------------------------------------

# The school fields read from a single column each, with the function that reads them.
VALUE_READERS = {
    "commune": str,
    "postal_code": lambda value: pad_code(value, 5),
    "commune_code": lambda value: pad_code(value, 5),
    "priority_education": priority_education,
    "email": email,
    "sector": sector,
    "state": state,
    "latitude": coordinate(90),
    "longitude": coordinate(180),
    "pupils": pupils,
}


def row_reader(columns):
    """A function turning a row's cells into (uai, values, department, districts, place).

    `values` holds the school fields the file gives (blank included: a blank priority
    education means none), `place` the département's name and its académie."""
    index = columns.index
    # A missing column reads as the blank cell added after the row's last one.
    blank = max([columns.uai, *index.values()]) + 1
    at = {field: index.get(field, blank) for field in ALIASES}
    gives_kind = columns.gives_kind()
    kind_at = [at[name] for name in KIND_COLUMNS]
    district_columns = [
        (kind, at[code_field], at[name_field])
        for kind, code_field, name_field in DISTRICT_COLUMNS
        if code_field in index or name_field in index
    ]
    value_columns = [(name, index[name], read) for name, read in VALUE_READERS.items() if name in index]
    # Shared strings for the values that repeat (communes, codes): less memory nationally.
    shared = {}

    def read(cells):
        cells = [cell.strip() for cell in cells]
        cells.extend([""] * (blank + 1 - len(cells)))
        values = {"name": cells[at["name"]]}
        for name, position, read_value in value_columns:
            value = read_value(cells[position])
            if isinstance(value, str):
                values[name] = shared.setdefault(value, value)
            elif value is not None:  # a number: not shared (1 == 1.0 would mix them)
                values[name] = value
        if gives_kind:
            kind_cells = [cells[position] for position in kind_at]
            if any(kind_cells):
                values["kind"] = school_kind(*kind_cells)
        department = pad_code(cells[at["department_code"]], 3)
        place = (
            cells[at["department_name"]],
            pad_code(cells[at["academy_code"]], 2),
            cells[at["academy_name"]],
        )
        districts = {}
        for kind, code_at, name_at in district_columns:
            code, name = cells[code_at], cells[name_at]
            if code or name:
                districts[kind] = {district_code(kind, code, name, department): name or code}
        return cells[columns.uai], values, department, districts, place

    return read


# The file --------------------------------------------------------------------------------


@contextmanager
def open_text(file):
    """The file (a path or a binary file object) as text, and its number of lines.

    UTF-8 when the whole file decodes so (with or without BOM), else Windows-1252: a
    spreadsheet's re-save. The caller's file object is left open."""
    with _binary_source(file) as raw:
        encoding, lines = _encoding_and_lines(raw)
        text = io.TextIOWrapper(raw, encoding=encoding, newline="")
        try:
            yield text, lines
        finally:
            text.detach()


@contextmanager
def _binary_source(file):
    if isinstance(file, str | os.PathLike):
        try:
            handle = open(file, "rb")  # noqa: SIM115 (closed by the with block below)
        except OSError as error:
            raise ImportFileError(
                _("fichier illisible : %(file)s (%(error)s)") % {"file": file, "error": error.strerror}
            ) from None
        with handle:
            yield handle
        return
    try:
        file.seek(0)
    except (AttributeError, OSError, io.UnsupportedOperation):
        # The file is read twice (encoding, then rows): a one-way stream is kept aside.
        with tempfile.SpooledTemporaryFile(max_size=64 << 20) as copy:
            for chunk in iter(lambda: file.read(CHUNK), b""):
                copy.write(chunk)
            copy.seek(0)
            yield copy
        return
    yield file


def _encoding_and_lines(raw):
    chunk = raw.read(CHUNK)
    if not chunk.strip(b"\xef\xbb\xbf \t\r\n"):
        raise ImportFileError(_("le fichier est vide"))
    if chunk.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        raise ImportFileError(
            _(
                "ce fichier est un classeur (.xlsx, .ods ou .xls) et non un fichier CSV : "
                "enregistrez-le au format CSV (séparateur point-virgule) puis importez ce fichier"
            )
        )
    decoders = {name: codecs.getincrementaldecoder(name)() for name in ("utf-8", "cp1252")}
    lines = 0
    while True:
        if b"\x00" in chunk:  # anywhere in the file: PostgreSQL refuses it in any text
            raise ImportFileError(_("ce fichier n'est pas un fichier CSV : son contenu est binaire"))
        lines += chunk.count(b"\n")
        for name, decoder in list(decoders.items()):
            try:
                decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError:
                del decoders[name]
        if not decoders:
            raise ImportFileError(
                _("ce fichier n'est pas un fichier CSV lisible : ni UTF-8, ni Windows-1252")
            )
        if not chunk:
            break
        chunk = raw.read(CHUNK)
    raw.seek(0)
    return ("utf-8-sig" if "utf-8" in decoders else "cp1252"), lines
