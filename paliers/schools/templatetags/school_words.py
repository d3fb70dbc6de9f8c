"""Template side of `paliers.schools.words`:

{% load school_words %}
{{ school|school_word:"the"|capfirst }}   → « Le collège »
{% school_count 7 campaign %}             → « 7 établissements »
"""

from django import template

from ..words import school_words

register = template.Library()
PHRASES = ("word", "words", "the", "this", "your", "of_the", "a", "head")


@register.filter
def school_word(subject, phrase):
    if phrase not in PHRASES:
        raise template.TemplateSyntaxError(f"school_word: « {phrase} » n’est pas l’une de {PHRASES}")
    return getattr(school_words(subject), phrase)


@register.simple_tag
def school_count(n, subject=None):
    return school_words(subject).count(n)
