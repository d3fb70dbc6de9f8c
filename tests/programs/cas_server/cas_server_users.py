"""The CAS server's people, read from a JSON file at every sign-in (tests rewrite it)."""

import json
import os

from cas_server.auth import AuthUser


def people():
    with open(os.environ["USERS_FILE"], encoding="utf-8") as file:
        return json.load(file)


class JsonFileUser(AuthUser):
    def test_password(self, password):
        person = people().get(self.username)
        return person is not None and person["password"] == password

    def attributs(self):
        return people().get(self.username, {}).get("attributes", {})
