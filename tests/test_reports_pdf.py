"""PDF reports read back with poppler: the assessment report, the scope summary and the
blank questionnaire; French typography; WeasyPrint fetches nothing but the fonts."""

import subprocess

import pytest
from django.urls import reverse
from PIL import Image

from paliers.assessments import answering
from paliers.core.charts import format_percent
from paliers.core.typography import french
from paliers.reports.assessment_report import assessment_report_pdf, report_context
from paliers.reports.pdf import BLOCK_GAP, html_to_pdf
from paliers.reports.questionnaire import questionnaire_pdf
from paliers.reports.scope_report import scope_summary_pdf

from .pages import page_html
from .reports_world import make_reports_world, need, pdf_first_page_png, pdf_text

# The worlds' 2025-2026 campaigns are open that day (conftest.py).
pytestmark = pytest.mark.usefixtures("during_campaign")


@pytest.fixture
def world(db):
    return make_reports_world()


def pdf_info(pdf_bytes, tmp_path):
    path = tmp_path / "info.pdf"
    path.write_bytes(pdf_bytes)
    return subprocess.run([need("pdfinfo"), str(path)], check=True, capture_output=True, text=True).stdout


def one_line(text):
    return " ".join(text.split())


def test_the_assessment_report_reads_back(client, world, tmp_path):
    client.force_login(world.member)
    response = client.get(reverse("reports:assessment_pdf", args=[world.assessment.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert (
        'filename="rapport-0940176F-2025-2026-ecole-elementaire-robert-doisneau.pdf"'
        in (response["Content-Disposition"])
    )
    text = one_line(pdf_text(response.content, tmp_path))
    assert "École élémentaire Robert Doisneau" in text
    assert "0940176F" in text
    assert "Rapport de positionnement 2025-2026" in text
    assert "Paliers de maturité numérique des écoles (version 2014)" in text
    assert "en cours, non soumis (révision 1)" in text
    for level in ("Palier 1", "Palier 2", "Palier 3"):
        assert level in text
    # The comment, with its guillemets held by no-break spaces (poppler gives them back as spaces).
    assert "Voté en conseil d’école : « oui » à l’unanimité" in text
    assert "Pilotage, impulsion et organisation" in text
    assert "Former l’équipe à l’ENT" in text  # the SMART timetable
    assert "Mme Élise Dupré" in text
    assert "page 1 sur" in text
    assert "Cette année" in text and "Cible des objectifs engagés" in text  # the radar's legend (SVG text)
    info = pdf_info(response.content, tmp_path)
    assert "Title:           Positionnement 2025-2026 — École élémentaire Robert Doisneau" in info
    assert "Tagged:          yes" in info


def test_the_report_has_a_cover_and_french_pages(world, tmp_path):
    answering.submit(world.assessment, world.head)
    world.assessment.refresh_from_db()
    pdf = assessment_report_pdf(world.assessment, world.head)
    png = pdf_first_page_png(pdf, tmp_path)
    with Image.open(png) as image:
        width, height = image.size
        assert abs(height / width - 297 / 210) < 0.01  # A4, portrait
        assert image.convert("L").getextrema()[0] < 100  # something dark is printed
    text = pdf_text(pdf, tmp_path)
    assert "soumis le" in text and "(révision 1)" in text
    # Fonts embedded: Marianne from django-dsfr's static files.
    path = tmp_path / "fonts.pdf"
    path.write_bytes(pdf)
    fonts = subprocess.run([need("pdffonts"), str(path)], check=True, capture_output=True, text=True).stdout
    assert "Marianne" in fonts


def test_the_report_shows_the_same_charts_as_the_results_page(client, world):
    context = report_context(world.assessment, world.head)
    client.force_login(world.head)
    page = page_html(client.get(reverse("assessments:results", args=[world.assessment.pk])))
    # The same drawing code and series: the radar's description (every number) is the page's.
    description = context["radar"].split("<desc")[1].split("</desc>")[0].split(">", 1)[1]
    assert description in page


def test_the_report_in_english_speaks_english_to_its_page_numbers(client, world, tmp_path):
    world.member.language = "en"
    world.member.save()
    client.force_login(world.member)
    response = client.get(reverse("reports:assessment_pdf", args=[world.assessment.pk]))
    text = one_line(pdf_text(response.content, tmp_path))
    assert "page 1 of" in text and " sur " not in text
    assert "Self-assessment 2025-2026 — École élémentaire Robert Doisneau" in text  # the running title
    # The framework's texts in the English it ships (creteil-ecoles 2014).
    assert "Leadership, drive and organisation" in text and "Pilotage, impulsion" not in text


def test_the_numea_report_lists_items_and_etapes(world, tmp_path):
    text = one_line(pdf_text(assessment_report_pdf(world.college_assessment, world.principal), tmp_path))
    assert "Collège Francine Fromond" in text
    assert "Étape 1" in text and "Étape 3" in text
    assert "Le projet d’établissement et le pilotage de la transition numérique" in text


def test_the_scope_summary(world, tmp_path):
    answering.submit(world.assessment, world.head)
    text = one_line(pdf_text(scope_summary_pdf(world.animator, world.campaign), tmp_path))
    assert "Synthèse de la campagne 2025-2026" in text
    assert "Circonscription de Fresnes" in text
    assert "Ensemble du périmètre 1 0 0 1 100 %" in text
    assert "Sur le positionnement soumis" in text
    assert "Aucun niveau" in text and "Palier 3" in text


def test_the_blank_questionnaire_is_public(client, world, tmp_path):
    response = client.get(reverse("reports:questionnaire", args=["numea-etablissement", "2020"]))
    assert response.status_code == 200
    text = one_line(pdf_text(response.content, tmp_path))
    assert "Questionnaire de positionnement à remplir" in text
    assert "NumEA" in text and "Étape 2" in text
    assert "non atteint en cours atteint" in text
    assert client.get(reverse("reports:questionnaire", args=["inconnu", "1"])).status_code == 404


def test_the_questionnaire_renders_one_page_to_png(world, tmp_path):
    png = pdf_first_page_png(questionnaire_pdf(world.ecoles), tmp_path, page=2)
    assert png.exists() and png.stat().st_size > 5000


@pytest.mark.parametrize(
    ("typed", "printed"),
    [
        ("l'école d'Ivry", "l’école d’Ivry"),
        ("«oui»", "«\u00a0oui\u00a0»"),
        ("« oui »", "« oui »"),  # the document's typesetting keeps these spaces together
        ("https://exemple.fr/a:b 'x'", "https://exemple.fr/a:b 'x'"),  # nothing invented
        ("", ""),
        (None, None),
    ],
)
def test_a_typed_text_gets_its_apostrophes_and_guillemets(typed, printed):
    assert french(typed) == printed


def test_the_printed_text_never_breaks_a_line_before_a_mark_or_inside_guillemets(tmp_path):
    """The document is set like the pages (core/typography.py): in a column narrow enough
    to break at every space, « : », « ? », « % » and « » » never start a line, « « » never
    ends one. Without it, this column printed « deux « » then « trois » »."""
    column = f"<p style='width: 4em'>Niveau : deux « trois » Pourquoi ? {format_percent(0.5)} oui</p>"
    html = f"<html lang='fr'><head><title>t</title></head><body>{column}</body></html>"
    lines = [line for line in pdf_text(html_to_pdf(html), tmp_path).splitlines() if line.strip()]
    assert lines[:5] == ["Niveau :", "deux", "« trois »", "Pourquoi ?", "50 %"]


def test_weasyprint_fetches_nothing_but_the_fonts(tmp_path):
    secret = tmp_path / "secret.png"
    Image.new("RGB", (40, 40), "red").save(secret)
    html = (
        '<html lang="fr"><head><title>t</title></head><body>'
        f'<img src="{secret.as_uri()}" alt="x"><img src="http://127.0.0.1:9/x.png" alt="y">'
        "</body></html>"
    )
    pdf = html_to_pdf(html)
    path = tmp_path / "fetch.pdf"
    path.write_bytes(pdf)
    images = subprocess.run(
        [need("pdfimages"), "-list", str(path)], check=True, capture_output=True, text=True
    )
    assert len(images.stdout.strip().splitlines()) == 2  # the header only: no image embedded


def test_the_templates_indentation_is_dropped_but_no_space_a_reader_sees(tmp_path):
    html = (
        '<html lang="fr"><head><title>t</title></head><body>\n  <section>\n    <p>\n'
        "      <strong>Palier</strong> <em>atteint</em>\n    </p>\n    <ul>\n      <li>un\n      </li>\n"
        "    </ul>\n  </section>\n</body></html>"
    )
    # The runs before a block's tag go (WeasyPrint would lay each out); those between words stay.
    compact = BLOCK_GAP.sub(">", html)
    assert compact.count("\n") == 3
    assert "<strong>Palier</strong> <em>atteint</em>" in compact
    assert pdf_text(html_to_pdf(html), tmp_path).split()[:4] == ["Palier", "atteint", "•", "un"]


def page_words(pdf_bytes, tmp_path):
    """[(page height, [(y of the word's bottom, font size in points, word)])] per page (pdftotext -bbox)."""
    import re

    path = tmp_path / "boxes.pdf"
    path.write_bytes(pdf_bytes)
    html = subprocess.run(
        [need("pdftotext"), "-bbox", "-enc", "UTF-8", str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    pages = []
    for page in re.finditer(r'<page width="[\d.]+" height="([\d.]+)">(.*?)</page>', html, re.DOTALL):
        words = [
            (float(y_max), float(y_max) - float(y_min), word)
            for y_min, y_max, word in re.findall(
                r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>',
                page.group(2),
            )
        ]
        pages.append((float(page.group(1)), words))
    return pages


def test_the_report_carries_what_the_results_page_shows_and_says_it_is_provisional(world, tmp_path):
    """An assessment in progress: « provisoire », what is unanswered per domain, levels
    « à compléter »; and the comparison with the district, département and académie."""
    context = report_context(world.assessment, world.head)
    assert context["provisional"] and context["result"].provisional
    text = one_line(pdf_text(assessment_report_pdf(world.assessment, world.head), tmp_path))
    assert "Résultats provisoires" in text
    unanswered = context["result"].unanswered
    assert f"{unanswered} critères sur {context['result'].total} ne sont pas encore renseignés" in text
    assert "à compléter" in text
    assert "Comparaison avec le district, le département et l’académie" in text
    for average in context["comparison"]:
        assert one_line(french(average.label)) in text or average.label in text
    assert "Points forts" in text and "Prochaines étapes" in text


def test_the_report_has_no_near_empty_page_and_a_radar_read_at_the_body_size(world, tmp_path):
    pdf = assessment_report_pdf(world.assessment, world.head)
    pages = page_words(pdf, tmp_path)
    # Every page but the cover and the last is filled to more than half its height (the
    # running header and footer, in the margins, aside).
    for number, (height, words) in enumerate(pages[1:-1], start=2):
        body = [y for y, _, _ in words if 22 * 72 / 25.4 < y < height - 22 * 72 / 25.4]
        assert body and max(body) > height / 2, f"page {number} presque vide"
    # The radar's axis labels (« Pilotage, impulsion et… ») print at about the body's 10 pt.
    sizes = [size for _, words in pages for _, size, word in words if word in ("Pilotage,", "impulsion")]
    assert sizes and min(sizes) >= 8.5, sizes
