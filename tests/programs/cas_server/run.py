"""Start the test CAS server: migrate its database, accept the services on 127.0.0.1,
localhost and testserver (every attribute released), serve on 127.0.0.1:PORT."""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
os.environ["DJANGO_SETTINGS_MODULE"] = "settings"

import django

django.setup()

from cas_server.models import ReplaceAttributName, ServicePattern  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.core.servers.basehttp import run  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402

call_command("migrate", verbosity=0)
pattern, _ = ServicePattern.objects.get_or_create(
    name="paliers", defaults={"pos": 1, "pattern": r"^http://(127\.0\.0\.1|localhost|testserver)(:\d+)?/.*$"}
)
ReplaceAttributName.objects.get_or_create(name="*", service_pattern=pattern)
print("ready", flush=True)
run("127.0.0.1", int(os.environ["PORT"]), get_wsgi_application(), threading=True)
