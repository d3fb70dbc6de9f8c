"""CSV exports over a scope, for French Excel: BOM, `;`, decimal comma, no formula."""

import csv
import io

import pytest
from django.urls import reverse

from paliers.assessments import answering
from paliers.core.csv import cell, csv_lines

from .factories import school
from .reports_world import make_reports_world

# The worlds' 2025-2026 campaigns are open that day (conftest.py).
pytestmark = pytest.mark.usefixtures("during_campaign")


@pytest.fixture
def world(db):
    w = make_reports_world()
    # A second école in the district, a third outside it (the observer's département only).
    w.voisine = school(w.val_de_marne, 178, "École maternelle Jean Zay", "maternelle", [w.fresnes])
    w.ailleurs = school(w.val_de_marne, 179, "École Paul Bert", "primaire")
    for found in (w.voisine, w.ailleurs):
        w.campaign.assessments.create(school=found)
    answering.replace_answers(
        w.campaign.assessments.get(school=w.voisine),
        [{"criterion": "PIL.1.1", "value": "atteint", "comment": "=SOMME(A1:A9) et - tirets ; @alias"}],
        user=None,
    )
    return w


def download(client, user, name, campaign):
    client.force_login(user)
    response = client.get(reverse(f"reports:{name}", args=[campaign.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return b"".join(response.streaming_content)


def rows(content):
    assert content.startswith(b"\xef\xbb\xbf")  # UTF-8 byte order mark: Excel reads the accents
    text = content.decode("utf-8-sig")
    assert "\r\n" in text
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def test_one_row_per_school_and_domain_with_decimal_commas(client, world):
    content = download(client, world.animator, "scope_domains_csv", world.campaign)
    table = rows(content)
    header, body = table[0], table[1:]
    assert header[:8] == [
        "UAI",
        "École ou établissement",
        "Type",
        "Commune",
        "Département",
        "Districts",
        "État",
        "Code du domaine",
    ]
    assert header[-3:] == [f"% de critères atteints — Palier {n}" for n in (1, 2, 3)]
    # The animator's district: two écoles × 6 domains; the école outside it is not there.
    assert {row[0] for row in body} == {world.ecole.uai, world.voisine.uai}
    assert len(body) == 12
    pilotage = next(row for row in body if row[0] == world.ecole.uai and row[7] == "PIL")
    assert pilotage[8:] == ["Pilotage, impulsion et organisation", "0", "0,40", "40,0", "0,0", "0,0"]
    assert next(row for row in body if row[0] == world.voisine.uai)[6] == "en cours"


def test_one_row_per_school_and_criterion_with_neutralised_formulas(client, world):
    content = download(client, world.observer, "scope_criteria_csv", world.campaign)
    table = rows(content)
    assert table[0][-3:] == ["Critère", "Réponse", "Commentaire"]
    body = table[1:]
    assert {row[0] for row in body} == {world.ecole.uai, world.voisine.uai, world.ailleurs.uai}
    assert len(body) == 3 * 67
    answered = next(row for row in body if row[0] == world.voisine.uai and row[9] == "PIL.1.1")
    assert answered[-2:] == ["atteint", "'=SOMME(A1:A9) et - tirets ; @alias"]
    comment = next(row for row in body if row[0] == world.ecole.uai and row[9] == "PIL.1.3")
    assert comment[-2:] == ["en cours", "Référente désignée ; formation prévue"]  # a `;` inside, quoted
    assert b'"R\xc3\xa9f\xc3\xa9rente d\xc3\xa9sign\xc3\xa9e ; formation pr\xc3\xa9vue"' in content
    assert next(row for row in body if row[0] == world.ailleurs.uai)[6] == "non commencé"


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+33 1 23", "'+33 1 23"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcaché", "'\tcaché"),
        ("\rretour", "'\rretour"),
        ("a=b", "a=b"),
        ("", ""),
        (None, ""),
        (3, "3"),
    ],
)
def test_text_cells_never_run_as_formulas(value, written):
    assert cell(value) == written


def test_csv_lines_quote_separators_and_start_with_the_bom():
    text = "".join(csv_lines(["a", "b"], [["1,5", "x;y"], ["=cmd", 'dit "oui"']]))
    assert text == '\ufeffa;b\r\n1,5;"x;y"\r\n\'=cmd;"dit ""oui"""\r\n'


def test_school_people_get_no_scope_export(client, world):
    client.force_login(world.head)
    assert client.get(reverse("reports:scope_domains_csv", args=[world.campaign.pk])).status_code == 403


def test_a_scope_export_is_recorded_in_the_security_journal(client, world):
    from paliers.audit.models import AuditEvent, EventKind

    download(client, world.animator, "scope_criteria_csv", world.campaign)
    event = AuditEvent.objects.get(kind=EventKind.EXPORT)
    assert event.user == world.animator and "criteres.csv" in event.detail and event.academy == world.creteil
