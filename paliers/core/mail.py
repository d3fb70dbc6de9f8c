"""Every e-mail leaves through `send`: its subject and text set as the pages are (French
spaces kept together: core.typography). A mail client wraps a plain text at its own width,
and would otherwise start a line with « : » or end one with « « »."""

from django.core.mail import send_mail

from .typography import typeset_text


def send(subject, body, recipients):
    """Send a plain-text e-mail from DEFAULT_FROM_EMAIL; returns how many went out."""
    return send_mail(typeset_text(subject), typeset_text(body), None, recipients)
