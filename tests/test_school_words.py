"""The words for a school (paliers.schools.words): a collège is « le collège », never « l’école »."""

import pytest
from django.template import Context, Template, TemplateSyntaxError

from paliers.schools.models import School, SchoolKind
from paliers.schools.words import school_words


@pytest.mark.parametrize(
    ("kind", "the", "this", "of_the", "seven"),
    [
        (SchoolKind.MATERNELLE, "l’école", "cette école", "de l’école", "7 écoles"),
        (SchoolKind.ELEMENTAIRE, "l’école", "cette école", "de l’école", "7 écoles"),
        (SchoolKind.PRIMAIRE, "l’école", "cette école", "de l’école", "7 écoles"),
        (SchoolKind.COLLEGE, "le collège", "ce collège", "du collège", "7 collèges"),
        (SchoolKind.LGT, "le lycée", "ce lycée", "du lycée", "7 lycées"),
        (SchoolKind.LP, "le lycée", "ce lycée", "du lycée", "7 lycées"),
        (SchoolKind.LPO, "le lycée", "ce lycée", "du lycée", "7 lycées"),
        (SchoolKind.AGRICOLE, "le lycée", "ce lycée", "du lycée", "7 lycées"),
        (SchoolKind.EREA, "l’établissement", "cet établissement", "de l’établissement", "7 établissements"),
        (SchoolKind.OTHER, "l’établissement", "cet établissement", "de l’établissement", "7 établissements"),
    ],
)
def test_every_kind_has_its_words(kind, the, this, of_the, seven):
    words = school_words(School(kind=kind))
    assert (str(words.the), str(words.this), str(words.of_the), words.count(7)) == (the, this, of_the, seven)
    assert school_words(kind) is words


def test_singular_and_plural_follow_django_plural_rules():
    college = school_words(SchoolKind.COLLEGE)
    assert [college.count(n) for n in (0, 1, 2)] == ["0 collège", "1 collège", "2 collèges"]


def test_groups_audiences_and_mixes():
    class Campaign:
        school_group = "etablissements"

    class Framework:
        audience = "ecole"

    assert str(school_words(Campaign()).the) == "l’établissement"
    assert school_words(Campaign()).count(7) == "7 établissements"
    assert str(school_words(Framework()).this) == "cette école"
    assert str(school_words("ecoles").your) == "votre école"
    schools = [School(kind=SchoolKind.COLLEGE), School(kind=SchoolKind.COLLEGE)]
    assert str(school_words(schools).your) == "votre collège"
    secondary = [School(kind=SchoolKind.COLLEGE), School(kind=SchoolKind.LGT)]
    assert str(school_words(secondary).your) == "votre établissement"
    mixed = [School(kind=SchoolKind.COLLEGE), School(kind=SchoolKind.ELEMENTAIRE)]
    assert str(school_words(mixed).the) == "l’école ou l’établissement"
    assert school_words(None).count(2) == "2 écoles et établissements"
    assert str(school_words("inconnu").word) == "école ou établissement"


def test_heads_are_named_by_the_school():
    assert str(school_words(SchoolKind.ELEMENTAIRE).head) == "directeur ou directrice d’école"
    assert str(school_words(SchoolKind.COLLEGE).head) == "chef d’établissement"


def test_template_filter_and_tag():
    template = Template(
        '{% load school_words %}{{ school|school_word:"the"|capfirst }} ; {% school_count n school %}'
    )
    rendered = template.render(Context({"school": School(kind=SchoolKind.COLLEGE), "n": 3}))
    assert rendered == "Le collège ; 3 collèges"
    with pytest.raises(TemplateSyntaxError):
        Template('{% load school_words %}{{ school|school_word:"le" }}').render(Context({"school": None}))


def test_french_source_messages_take_the_french_plural_rule():
    """0 and 1 are singular in French (« 0 critère renseigné »), whatever gettext's default."""
    from django.utils.translation import ngettext

    assert [ngettext("%d critère", "%d critères", n) % n for n in (0, 1, 2)] == [
        "0 critère",
        "1 critère",
        "2 critères",
    ]
    template = Template(
        "{% load i18n %}{% blocktranslate count n=n %}{{ n }} an"
        "{% plural %}{{ n }} ans{% endblocktranslate %}"
    )
    assert template.render(Context({"n": 0})) == "0 an"
