def test_the_interface_stays_in_french_whatever_the_browser_asks(client, db):
    html = client.get("/comptes/connexion/", headers={"accept-language": "en-US,en"}).content.decode()
    assert 'lang="fr"' in html
    assert "Mot de passe" in html
    assert "Password" not in html


def test_a_wrong_login_says_why_in_french(client, db):
    response = client.post("/comptes/connexion/", {"username": "personne", "password": "faux"})
    assert response.status_code == 200
    assert "Identifiant ou mot de passe incorrect" in response.content.decode()
