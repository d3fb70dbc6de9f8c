"""The world of the report tests: make_world's schools and users, the écoles campaign
(criteria straight under domains) and a NumEA campaign (items × étapes), some answers
with accented comments, and SMART objectives in several states."""

import datetime
import shutil
import subprocess
from pathlib import Path

from paliers.accounts.models import Role
from paliers.assessments import answering
from paliers.assessments.campaigns import open_campaign
from paliers.assessments.models import SchoolGroup
from paliers.frameworks.loading import framework_files, load_specs, parse_files
from paliers.objectives.models import Checkpoint, Objective

from .factories import make_world, user

DATES = {
    "school_year": "2025-2026",
    "opens_on": datetime.date(2025, 9, 1),
    "closes_on": datetime.date(2026, 6, 30),
}


def make_reports_world():
    names = ("creteil-ecoles-2014", "numea-etablissement-2020")
    loaded = load_specs(parse_files([f for f in framework_files() if f.name.startswith(names)]))
    frameworks = {r.spec.slug: r.framework for r in loaded}
    w = make_world()
    w.ecoles = frameworks["creteil-ecoles"]
    w.numea = frameworks["numea-etablissement"]
    w.campaign = open_campaign(
        framework=w.ecoles, academy=w.creteil, school_group=SchoolGroup.ECOLES, user=w.admin, **DATES
    )
    w.numea_campaign = open_campaign(
        framework=w.numea, academy=w.creteil, school_group=SchoolGroup.ETABLISSEMENTS, user=w.admin, **DATES
    )
    w.assessment = w.campaign.assessments.get(school=w.ecole)
    w.college_assessment = w.numea_campaign.assessments.get(school=w.college)
    w.principal = user("principale", Role.SCHOOL_HEAD, w.college, first_name="Patricia")
    answering.replace_answers(
        w.assessment,
        [
            {
                "criterion": "PIL.1.1",
                "value": "atteint",
                "comment": "Voté en conseil d’école : « oui » à l’unanimité",
            },
            {"criterion": "PIL.1.2", "value": "atteint"},
            {"criterion": "PIL.1.3", "value": "en_cours", "comment": "Référente désignée ; formation prévue"},
            {"criterion": "FOR.1.1", "value": "non_atteint"},
        ],
        user=w.head,
        source="web",
    )
    formation = w.ecoles.domains.get(code="FOR")
    level2 = w.ecoles.levels.get(number=2)
    w.objective = Objective.objects.create(
        school=w.ecole, framework=w.ecoles, domain=formation, level=level2,
        title="Former l’équipe à l’ENT", description="Deux animations pédagogiques",
        is_draft=False, due_on=datetime.date(2026, 5, 15), pilot=w.referent,
    )  # fmt: skip
    w.objective.criteria.set(w.ecoles.criteria.filter(code__in=["FOR.2.1"]))
    Checkpoint.objects.create(objective=w.objective, date=datetime.date(2026, 1, 10), state="en_cours")
    w.achieved = Objective.objects.create(
        school=w.ecole, framework=w.ecoles, domain=w.ecoles.domains.get(code="PIL"),
        level=w.ecoles.levels.get(number=1), title="Charte d’usages votée", is_draft=False,
        due_on=datetime.date(2025, 12, 1), pilot_name="Mme Élise Dupré", achieved=True,
        closed_on=datetime.date(2025, 11, 28),
    )  # fmt: skip
    return w


def pdf_text(pdf_bytes, tmp_path):
    """The PDF's text, read back by poppler's pdftotext (UTF-8, in reading order)."""
    path = Path(tmp_path) / "document.pdf"
    path.write_bytes(pdf_bytes)
    return subprocess.run(
        [need("pdftotext"), "-enc", "UTF-8", str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def pdf_first_page_png(pdf_bytes, tmp_path, page=1):
    path = Path(tmp_path) / "page.pdf"
    path.write_bytes(pdf_bytes)
    prefix = Path(tmp_path) / "page"
    subprocess.run(
        [
            need("pdftoppm"),
            "-png",
            "-r",
            "60",
            "-f",
            str(page),
            "-l",
            str(page),
            "-singlefile",
            str(path),
            str(prefix),
        ],
        check=True,
        capture_output=True,
    )
    return prefix.with_suffix(".png")


def need(command):
    """The path of a command the tests need: missing, the test fails (no skip in CI)."""
    found = shutil.which(command)
    assert found, f"{command} introuvable : installez les paquets Debian de TEST_PACKAGES (Makefile)."
    return found
