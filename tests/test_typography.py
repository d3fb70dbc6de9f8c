"""French typography of the pages (paliers/core/typography.py): no line break before « : ; ! ? »
or inside guillemets, in running text only — never in markup, a form's value or a script."""

import re
from pathlib import Path

from django.urls import reverse

import paliers
from paliers.core.typography import NBSP, typeset, typeset_text

PALIERS = Path(paliers.__file__).parent
# Django's senders imported (settings.py only names a backend).
SENDS_MAIL = re.compile(r"from django\.core(\.mail import| import mail\b)|import django\.core\.mail\b")


def test_the_spaces_before_the_marks_and_inside_guillemets_do_not_break():
    html = "<p>Niveau : 2 ; « à compléter ». Pourquoi ? Oui !</p>"
    assert typeset(html) == (
        f"<p>Niveau{NBSP}: 2{NBSP}; «{NBSP}à compléter{NBSP}». Pourquoi{NBSP}? Oui{NBSP}!</p>"
    )
    # Across an element's end, and the template's line breaks inside guillemets.
    assert typeset("<strong>Niveau</strong> : 2") == f"<strong>Niveau</strong>{NBSP}: 2"
    assert typeset("<p>«\n    texte\n  »</p>") == f"<p>«{NBSP}texte{NBSP}»</p>"
    # A question quoted, and guillemets around nothing but a space: each space set once.
    assert typeset("« Pourquoi ? »") == f"«{NBSP}Pourquoi{NBSP}?{NBSP}»"
    assert typeset("<p>« »</p>") == f"<p>«{NBSP}»</p>"
    # A percentage's space, not a word's before « % ».
    assert typeset("<td>75 %</td> taux %") == f"<td>75{NBSP}%</td> taux %"
    # The spaces of a run, however many, become one no-break space.
    assert typeset("<dt>Statut</dt>\n  <dd>  : soumis</dd>") == f"<dt>Statut</dt>\n  <dd>{NBSP}: soumis</dd>"


def test_markup_values_code_and_what_is_not_french_punctuation_stay():
    untouched = [
        '<a href="/?a=1&amp;b=2" title="x : y">Lien</a>',  # attributes
        '<input name="q" value="x : y">',  # a form's value goes back as typed
        "<textarea>a : b ? c</textarea>",  # so does a textarea's
        "<script>var a = b ? c : d;</script><style>a::before { content: ' : '; }</style>",
        "<pre>x : y</pre><code>a ? b : c</code><!-- a : b -->",
        "<p>http://exemple.fr à 10:30, a ?b, 1 &amp; 2</p>",  # no space, or none after
    ]
    for html in untouched:
        assert typeset(html) == html, html


def test_every_page_is_set_but_its_form_values_are_not(client, db):
    page = client.get(reverse("home")).content.decode()
    assert f"Accessibilité{NBSP}: " in page  # the footer of every page
    refused = client.post(reverse("login"), {"username": "x : y ?", "password": "faux"})
    html = refused.content.decode()
    assert 'value="x : y ?"' in html  # sent back as typed
    api = client.get("/api/v1/openapi.json")
    assert api["Content-Type"].startswith("application/json") and NBSP.encode() not in api.content


def test_a_plain_text_is_set_whatever_it_holds():
    """An e-mail's text (core/mail.py): the same rules, and no markup to skip."""
    text = "Votre identifiant : x\n« Objectif » à 75 % ? Moins de 5 < 10 ; voir http://exemple.fr à 10:30"
    assert typeset_text(text) == (
        f"Votre identifiant{NBSP}: x\n«{NBSP}Objectif{NBSP}» à 75{NBSP}%{NBSP}? "
        f"Moins de 5 < 10{NBSP}; voir http://exemple.fr à 10:30"
    )
    assert typeset_text("") == ""


def test_every_e_mail_leaves_through_core_mail():
    """No module sends mail by Django's functions but core/mail.py, which sets the text: an
    e-mail written tomorrow is set too (Django's password reset form is routed there)."""
    senders = [
        path.relative_to(PALIERS.parent)
        for path in PALIERS.rglob("*.py")
        if SENDS_MAIL.search(path.read_text(encoding="utf-8")) and path != PALIERS / "core" / "mail.py"
    ]
    assert senders == []
