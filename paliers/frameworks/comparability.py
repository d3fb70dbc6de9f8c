"""Which domains of two frameworks a crosswalk makes comparable.

A figure of a domain (level reached, progress score, average of a scope) is comparable
from one version to the next only when the two domains measure mostly the same thing. The
rule, read from the crosswalk's links and nothing else:

1. one to one: every link that reaches the target domain comes from one source domain,
   and every link that leaves that source domain reaches the target domain (a domain
   split in two, or two merged into one, is not the same domain any more);
2. mostly the same criteria: more than half of the criteria of each of the two domains
   have a correspondence other than « partiel » (equal, or one covering the other).

Any other domain of the target is « non comparable », with the reason in French.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from .models import Criterion, LinkType


@dataclass(frozen=True)
class Correspondence:
    target: str  # domain code in the target framework
    target_title: str
    sources: tuple  # ((code, title), …) of the source domains linked to it
    comparable: bool
    reason: str  # why not, or what makes it comparable

    @property
    def source(self):
        """The one source domain's code when comparable."""
        return self.sources[0][0] if self.comparable else None


def correspondences(links, source_domains, target_domains):
    """[Correspondence] for each target domain, in order.

    links: [(source criterion code, target criterion code, link type)];
    source_domains, target_domains: [(domain code, title, [criterion codes])] in order."""
    domain_of = {}
    for side, domains in (("source", source_domains), ("target", target_domains)):
        for code, __, criteria in domains:
            domain_of.update({(side, criterion): code for criterion in criteria})
    titles = {code: title for code, title, __ in source_domains}
    reaches, leaves = {}, {}  # target domain → source domains; source domain → target domains
    covered = set()  # (side, criterion) with a link that is not partial
    for source, target, link_type in links:
        source_domain, target_domain = domain_of[("source", source)], domain_of[("target", target)]
        reaches.setdefault(target_domain, set()).add(source_domain)
        leaves.setdefault(source_domain, set()).add(target_domain)
        if link_type != LinkType.PARTIAL:
            covered |= {("source", source), ("target", target)}
    criteria_of = {("source", code): criteria for code, __, criteria in source_domains}
    criteria_of |= {("target", code): criteria for code, __, criteria in target_domains}
    found = []
    for code, title, criteria in target_domains:
        sources = tuple((s, titles[s]) for s, __, __ in source_domains if s in reaches.get(code, ()))
        comparable, reason = False, ""
        if not sources:
            reason = _("aucun de ses critères n’a de correspondance dans la version précédente")
        elif len(sources) > 1:
            reason = _("il rassemble des critères de plusieurs domaines : %(domains)s") % {
                "domains": ", ".join(t for __, t in sources)
            }
        elif len(leaves[sources[0][0]]) > 1:
            others = [t for c, t, __ in target_domains if c in leaves[sources[0][0]] and c != code]
            reason = _("le domaine « %(domain)s » est réparti aussi dans : %(domains)s") % {
                "domain": sources[0][1],
                "domains": ", ".join(others),
            }
        else:
            source_criteria = criteria_of[("source", sources[0][0])]
            kept = sum(("source", c) in covered for c in source_criteria)
            new = sum(("target", c) in covered for c in criteria)
            counts = {"kept": kept, "source_total": len(source_criteria), "new": new, "total": len(criteria)}
            comparable = 2 * kept > len(source_criteria) and 2 * new > len(criteria)
            if comparable:
                reason = (
                    _(
                        "%(kept)s critère(s) sur %(source_total)s de la version précédente et %(new)s sur "
                        "%(total)s de celle-ci ont une correspondance : les deux domaines mesurent pour "
                        "l’essentiel la même chose"
                    )
                    % counts
                )
            else:
                reason = (
                    _(
                        "%(kept)s critère(s) sur %(source_total)s de la version précédente et %(new)s sur "
                        "%(total)s de celle-ci ont une correspondance : pas plus de la moitié de l’un des "
                        "deux domaines"
                    )
                    % counts
                )
        found.append(Correspondence(code, title, sources, comparable, reason))
    return found


def spec_domains(spec):
    """[(domain code, title, [criterion codes])] of a framework not loaded yet."""
    return [(d.code, d.title, [c.code for c in d.all_criteria()]) for d in spec.domains]


def loaded_domains(framework):
    """[(domain code, title, [criterion codes])] of a loaded framework."""
    domains = {}
    # Rows, not values_list: the domain shows its title in the reader's language (languages.py).
    for criterion in (
        Criterion.objects.filter(framework=framework)
        .select_related("domain")
        .only("code", "domain__code", "domain__title", "domain__translations")
        .order_by("domain__position", "position")
    ):
        domains.setdefault((criterion.domain.code, criterion.domain.title), []).append(criterion.code)
    return [(code, title, criteria) for (code, title), criteria in domains.items()]


def crosswalk_correspondences(crosswalk):
    links = crosswalk.links.values_list("source__code", "target__code", "type")
    return correspondences(list(links), loaded_domains(crosswalk.source), loaded_domains(crosswalk.target))


def comparable_domains(crosswalk):
    """{target domain code: source domain code} of the comparable domains."""
    return {c.target: c.source for c in crosswalk_correspondences(crosswalk) if c.comparable}
