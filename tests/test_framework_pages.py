import pytest
from django.urls import reverse

from paliers.frameworks.loading import export_yaml

from .pages import page_html


def test_the_list_is_public_and_shows_every_framework(client, shipped_frameworks):
    response = client.get(reverse("frameworks:list"))
    assert response.status_code == 200
    for framework in shipped_frameworks.values():
        assert framework.get_absolute_url() in page_html(response)


def test_a_framework_page_shows_levels_domains_components_criteria_and_notes(client, shipped_frameworks):
    framework = shipped_frameworks["creteil-etablissements-revise"]
    response = client.get(framework.get_absolute_url())
    assert response.status_code == 200
    html = page_html(response)
    assert html.count('<th scope="col">Palier') == 3
    assert "Commission numérique" in html  # a component, as a row header
    assert "Numérique intégré au conseil pédagogique" in html  # footnote [1], as a note
    criteria = framework.criteria.all()
    assert all(criterion.code in html for criterion in criteria)


def test_numea_page_shows_parts_and_the_description_of_each_etape(client, shipped_frameworks):
    framework = shipped_frameworks["numea-etablissement"]
    html = page_html(client.get(framework.get_absolute_url()))
    assert "Le numérique pédagogique et éducatif" in html
    assert html.count("Ce que signifie chaque étape dans ce domaine") == 6
    for domain in framework.domains.all():
        for text in domain.level_descriptions.values():
            assert text.replace("'", "&#x27;") in html


def test_the_yaml_download_loads_again(client, shipped_frameworks):
    framework = shipped_frameworks["creteil-jalons"]
    response = client.get(reverse("frameworks:yaml", args=[framework.slug, framework.version]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="creteil-jalons-2014.yaml"'
    assert response.content.decode() == export_yaml(framework)


@pytest.mark.parametrize("name", ["frameworks:detail", "frameworks:yaml"])
def test_unknown_framework_is_404(client, db, name):
    assert client.get(reverse(name, args=["inconnu", "1"])).status_code == 404


def test_home_lists_frameworks(client, shipped_frameworks):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "Paliers de maturité numérique des écoles" in page_html(response)
