"""Reading a page as the tests compare it."""


def page_html(response):
    """The page's HTML with its no-break spaces read as ordinary ones.

    Every page leaves with French typography (`core/typography.py`, tested on its own): a
    no-break space before « : ; ! ? » and inside « ». The tests look for the sentences of the
    code and of the catalogue, written with ordinary spaces; a reader sees the same words.
    """
    return response.content.decode().replace("\u00a0", " ")


def plain(text):
    """An e-mail's subject or text with its no-break spaces read as ordinary ones (every
    e-mail is set as the pages are: `core/mail.py`)."""
    return text.replace("\u00a0", " ")
