"""Every page of the demonstration, as a collège's head and as an école's director, names
their school by what it is: never « l’école » for a collège, nor « l’établissement » for an
école (paliers.schools.words)."""

import re
import subprocess
from html import unescape
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction

from .crawl import crawl

DEMO = ("load_frameworks", "demo_accounts", "demo_campaigns", "demo_objectives", "demo_accompaniment",
        "demo_surveys")  # fmt: skip
# Framework pages are documents (an école's framework speaks of « l’école »): not the interface.
DOCUMENTS = re.compile(r"^/referentiels/")
# « école ou établissement », « écoles et établissements »: the words for any school, not this one.
NOT_FOR_A_COLLEGE = re.compile(
    r"(?<!ou )(l[’']école|cette école|votre école|de l[’']école|directeur (ou directrice )?d[’']école"
    r"|\b\d+ écoles?)(?! ou | et )\b"
)
NOT_FOR_AN_ECOLE = re.compile(
    r"(?<!ou )(?<!ou de )(l[’']établissement|cet établissement|votre établissement|chef d[’']établissement"
    r"|le collège|ce collège|\b\d+ établissements?)\b"
)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        for command in DEMO:
            call_command(command, stdout=StringIO())
        yield
        transaction.set_rollback(True)


def visible_text(html):
    """The words read on the page: tags dropped, entities decoded (« l&#x27;école » is « l'école »)."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.DOTALL)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def framework_texts():
    """The frameworks' own sentences, longest first: documents quoted on the answer pages (a
    Jalons criterion speaks of « la charte d'usage de l'établissement »), not the interface."""
    from paliers.frameworks.models import Criterion

    texts = {" ".join(t.split()) for pair in Criterion.objects.values_list("text", "note") for t in pair if t}
    return sorted(texts, key=len, reverse=True)


def pages_of(client, username):
    client.force_login(get_user_model().objects.get(username=username))
    pages = {}
    for path, response in crawl(client, per_route=3):
        assert response.status_code in (200, 302), (path, response.status_code)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            pages[path] = visible_text(response.content.decode())
    return pages


def faults(pages, wrong):
    quoted = framework_texts()
    found = {}
    for path, text in pages.items():
        if DOCUMENTS.match(path):
            continue
        for sentence in quoted:
            text = text.replace(sentence, " ")
        if wrong.search(text):
            found[path] = sorted(set(match.group() for match in wrong.finditer(text)))
    return found


@pytest.mark.usefixtures("demo", "db")
class TestSchoolWords:
    def test_a_college_head_never_reads_ecole_about_their_college(self, client):
        pages = pages_of(client, "principale")
        assert len(pages) > 25  # the crawl reached the school's pages, not only the home page
        assert not faults(pages, NOT_FOR_A_COLLEGE)
        said = " ".join(pages.values())
        assert "le collège et les moyennes" in said and re.search(r"\b\d+ établissements\b", said)
        dashes = [path for path, text in pages.items() if "---------" in text]
        assert not dashes  # no empty choice left as Django's dashes
        assert not [path for path, text in pages.items() if "%(" in text]  # no phrase left unfilled

    def test_an_ecole_director_never_reads_etablissement_about_their_ecole(self, client):
        pages = pages_of(client, "directeur")
        assert len(pages) > 20
        assert not faults(pages, NOT_FOR_AN_ECOLE)
        said = " ".join(pages.values())
        # Its results compare it with « N écoles », and name it « l’école ».
        assert "l’école et les moyennes" in said and re.search(r"\b\d+ écoles\b", said)
        assert not [path for path, text in pages.items() if "---------" in text or "%(" in text]

    def test_the_college_pdf_report_says_college(self, client):
        from paliers.assessments.models import Assessment

        client.force_login(get_user_model().objects.get(username="principale"))
        head = get_user_model().objects.get(username="principale")
        school = head.memberships.get().school
        assessment = Assessment.objects.filter(school=school, answered_count__gt=0).latest(
            "campaign__school_year"
        )
        pdf = client.get(f"/positionnements/{assessment.pk}/rapport.pdf")
        assert pdf.status_code == 200
        text = subprocess.run(
            ["pdftotext", "-", "-"], input=pdf.content, capture_output=True, check=True
        ).stdout.decode()
        assert "établissements" in text  # the averages count établissements
        assert not NOT_FOR_A_COLLEGE.search(text), NOT_FOR_A_COLLEGE.findall(text)
