"""The interface in French, and in English for whoever chooses it: the choice is kept, the
catalogue is complete and up to date with the sources, and English pages speak English."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from .factories import make_world
from .pages import plain


def test_the_interface_stays_in_french_whatever_the_browser_asks(client, db):
    html = client.get("/comptes/connexion/", headers={"accept-language": "en-US,en"}).content.decode()
    assert 'lang="fr"' in html
    assert "Mot de passe" in html
    assert "Password" not in html


def test_a_wrong_login_says_why_in_french(client, db):
    response = client.post("/comptes/connexion/", {"username": "personne", "password": "faux"})
    assert response.status_code == 200
    assert "Identifiant ou mot de passe incorrect" in response.content.decode()


def test_the_switch_sets_the_language_cookie_and_returns_to_the_page(client, db):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/referentiels/"})
    assert response.status_code == 302 and response["Location"] == "/referentiels/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    html = client.get("/comptes/connexion/").content.decode()
    assert 'lang="en"' in html and "Incorrect username or password" not in html
    assert "Sign in to Paliers" in html and "Se connecter à Paliers" not in html


def test_an_unknown_language_changes_nothing(client, db):
    client.post(reverse("set_language"), {"language": "xx", "next": "/"})
    assert 'lang="fr"' in client.get("/").content.decode()


def test_a_signed_in_persons_choice_follows_them_to_another_browser(client, db, django_user_model):
    w = make_world()
    client.force_login(w.head)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    w.head.refresh_from_db()
    assert w.head.language == "en"
    other_browser = client.__class__()
    other_browser.force_login(w.head)
    assert "My account" in other_browser.get(reverse("my_account")).content.decode()
    # The account's choice wins over an old cookie; back to French the same way.
    other_browser.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    assert 'lang="en"' in other_browser.get("/").content.decode()
    other_browser.post(reverse("set_language"), {"language": "fr", "next": "/"})
    assert "Mon compte" in other_browser.get(reverse("my_account")).content.decode()


# --- The catalogue ------------------------------------------------------------------------

CATALOGUE = settings.BASE_DIR / "paliers" / "locale" / "en" / "LC_MESSAGES" / "django.po"


def entries(po):
    return {(e.msgctxt, e.msgid, e.msgid_plural): e for e in po if not e.obsolete and e.msgid}


def test_every_message_of_the_sources_is_in_the_catalogue_translated(tmp_path, settings, monkeypatch):
    """makemessages over the sources, into a temporary folder, as `make messages` runs it:
    a French string added without its English translation fails here."""
    import shutil

    import polib
    from django.core.management import call_command

    # Over a copy: makemessages writes a `<template>.py` beside each template while it reads
    # it, which the tests walking `paliers/` at the same moment (xdist) would read too.
    sources = tmp_path / "sources"
    shutil.copytree(
        settings.BASE_DIR / "paliers",
        sources / "paliers",
        ignore=shutil.ignore_patterns("locale", "__pycache__", "static"),
    )
    settings.LOCALE_PATHS = [tmp_path]
    monkeypatch.chdir(sources)
    call_command(
        "makemessages",
        locale=["en"],
        no_obsolete=True,
        no_location=True,
        ignore_patterns=IGNORED,
        verbosity=0,
    )
    extracted = entries(polib.pofile(str(tmp_path / "en" / "LC_MESSAGES" / "django.po")))
    committed = entries(polib.pofile(str(CATALOGUE)))
    missing = [key[1] for key in extracted if key not in committed]
    assert not missing, (
        f"{len(missing)} message(s) absent du catalogue anglais (make messages) : {missing[:10]}"
    )
    untranslated = [key[1] for key, e in committed.items() if not e.translated() or "fuzzy" in e.flags]
    assert not untranslated, (
        f"{len(untranslated)} message(s) sans traduction ou à revoir : {untranslated[:10]}"
    )
    stale = [key[1] for key in committed if key not in extracted]
    assert not stale, (
        f"{len(stale)} message(s) du catalogue absents des sources (make messages) : {stale[:10]}"
    )


# As `make messages` runs it; and the committed catalogue's folder, which makemessages
# would otherwise find and write into.
IGNORED = ["node_modules", "var", "tests", "bench", "docs", "scripts", "paliers/locale"]


def test_the_compiled_catalogue_is_the_catalogue():
    """The .mo is committed (no gettext tools needed to deploy): it must say what the .po says."""
    import polib

    po = {
        (e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural.get(0)
        for e in polib.pofile(str(CATALOGUE))
        if e.msgid
    }
    mo = {
        (e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural.get(0)
        for e in polib.mofile(str(CATALOGUE.with_suffix(".mo")))
    }
    mo.pop((None, ""), None)
    assert po == mo, "django.mo ne correspond plus à django.po : make messages"


# --- English pages --------------------------------------------------------------------------

# Words that a French sentence can hardly do without and an English one never uses.
FRENCH_WORDS = re.compile(
    r"\b(les|des|du|une|est|sont|pour|dans|avec|aux|vous|votre|vos|pas|ou|et|au|ce|cette|qui|que|sur)\b"
    r"|[éèêàùçœ]",
    re.IGNORECASE,
)


def visible_text(html):
    """The page's text, without scripts, styles, and what is marked as French content (lang="fr")."""
    html = re.sub(r"(?s)<(script|style|svg)\b.*?</\1>", " ", html)
    html = re.sub(r'(?s)<(\w+)[^>]*\blang="fr"[^>]*>.*?</\1>', " ", html)
    text = re.sub(r"<[^>]+>", " ", html)
    return re.sub(r"\s+", " ", text)


def proper_names(w):
    """The names of people and places the pages show as they are: data, not interface."""
    from django.contrib.auth import get_user_model

    from paliers.schools.models import Academy, Department, District, School

    names = [
        *Academy.objects.values_list("name", flat=True),
        *Department.objects.values_list("name", flat=True),
    ]
    names += [
        *District.objects.values_list("name", flat=True),
        *School.objects.values_list("name", flat=True),
    ]
    names += [*School.objects.values_list("commune", "email").distinct()]
    names = [n for item in names for n in (item if isinstance(item, tuple) else (item,))]
    for person in get_user_model().objects.all():
        names += [person.username, person.first_name, person.last_name]
    return sorted(filter(None, names), key=len, reverse=True)


# French terms the English text keeps on purpose: institutions, the académie's words for its
# districts and school types, the frameworks' own words for their levels (README).
KEPT_IN_FRENCH = [
    "Défenseur des droits", "Libre réponse", "République française", "Annuaire de l’éducation",
    "Adresse et géolocalisation des établissements", "Français", "académie", "Académie",
    "département", "Département", "étape", "collège", "lycée", "Collège", "Lycée",
]  # fmt: skip


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


PAGES = [
    ("anonymous", lambda w: reverse("home")),
    ("anonymous", lambda w: reverse("login")),
    ("anonymous", lambda w: reverse("frameworks:list")),
    ("anonymous", lambda w: reverse("data_protection")),
    ("anonymous", lambda w: reverse("accessibility")),
    ("head", lambda w: reverse("home")),
    ("head", lambda w: reverse("my_account")),
    ("head", lambda w: reverse("directory:detail", args=[w.ecole.uai])),
    ("admin", lambda w: reverse("directory:list")),
    ("admin", lambda w: reverse("people:list")),
    ("admin", lambda w: reverse("assessments:campaigns")),
    ("admin", lambda w: reverse("accompaniment:requests")),
    ("admin", lambda w: reverse("roadmap:list")),
    ("head", lambda w: reverse("objectives:list", args=[w.ecole.uai])),
    ("head", lambda w: reverse("api_tokens:list")),
]


@pytest.mark.parametrize(("who", "url_for"), PAGES)
def test_main_pages_in_english_show_no_french_interface_text(english, db, who, url_for):
    w = make_world()
    if who != "anonymous":
        english.force_login(getattr(w, who))
    response = english.get(url_for(w))
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r'<html[^>]*lang="en"', html)
    text = visible_text(html)
    for name in [*proper_names(w), *KEPT_IN_FRENCH]:
        text = re.sub(rf"(?<![\w-]){re.escape(name)}(?![\w-])", " ", text)
    french = sorted({m.group(0) for m in FRENCH_WORDS.finditer(text)})
    context = [text[max(0, m.start() - 60) : m.end() + 60] for m in FRENCH_WORDS.finditer(text)][:5]
    assert not french, f"texte français sur {url_for(w)} en anglais : {french} — {context}"


def test_e_mails_speak_the_recipients_language_not_the_senders(db, mailoutbox):
    from django.utils import translation

    from paliers.accounts.invitations import send_invitation
    from paliers.accounts.models import Membership

    w = make_world()
    w.member.email = "membre@ac-creteil.fr"
    w.member.save()
    membership = Membership.objects.get(user=w.member)
    with translation.override("en"):  # an English-speaking administrator invites
        send_invitation(membership, w.admin)
    assert plain(mailoutbox[-1].subject) == "Paliers : vous êtes invité(e)"
    w.member.language = "en"
    w.member.save()
    send_invitation(Membership.objects.get(user=w.member), w.admin)
    assert mailoutbox[-1].subject == "Paliers: you are invited"


def test_a_campaign_reminder_goes_to_each_person_in_their_language(db, mailoutbox):
    """A school's reminder reaches its head and référent; each reads it in the language they
    chose (the task that sends it runs without a request, so without a language of its own)."""
    import datetime as dt

    from paliers.assessments.campaign_reminders import send_reminder

    from .test_api import make_api_world

    w = make_api_world()
    w.head.email, w.referent.email, w.referent.language = "dir@ac-creteil.fr", "ref@ac-creteil.fr", "en"
    w.head.save()
    w.referent.save()
    assert send_reminder(w.ecoles_campaign.pk, w.ecole.pk, dt.date(2026, 3, 16))
    by_recipient = {tuple(message.to): message for message in mailoutbox}
    assert set(by_recipient) == {("dir@ac-creteil.fr",), ("ref@ac-creteil.fr",)}
    assert plain(by_recipient[("dir@ac-creteil.fr",)].subject).startswith("Paliers : positionnement de ")
    english = by_recipient[("ref@ac-creteil.fr",)]
    assert english.subject.startswith("Paliers: ") and "positionnement" not in english.subject
    assert "Bonjour" not in english.body and english.body.startswith("Hello")


def test_after_an_english_page_the_next_work_of_the_thread_speaks_french(english, db):
    """A command or task run by the same thread after an English visitor's page (or a test
    after another) does not inherit the visitor's language."""
    from django.utils.translation import get_language, gettext

    assert english.get(reverse("login")).headers["Content-Language"] == "en"
    assert get_language() == settings.LANGUAGE_CODE
    assert gettext("Bonjour,") == "Bonjour,"
