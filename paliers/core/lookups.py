"""Lookups that survive numbers no database column can hold.

A form or a query string may carry « 99999999999999999999 » where an id is expected:
Django turns it into an int, and SQLite cannot bind an int beyond 64 bits (OverflowError:
a server error). Django already guards `exact`, `gt`… on integer fields (they match
nothing); these lookups do the same for `in` on integer fields and `exact` and `in` on
relations (`department_id=…`, `district__in=…`): a value no 64-bit column can hold matches
no row, so it is left out rather than sent. Registered in `CoreConfig.ready`.
"""

from django.core.exceptions import EmptyResultSet
from django.db.models.fields.related_lookups import RelatedExact, RelatedIn
from django.db.models.lookups import In

INT64 = range(-(2**63), 2**63)


def _fits(value):
    return not isinstance(value, int) or isinstance(value, bool) or value in INT64


class _BoundedIn:
    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value() and isinstance(self.rhs, list | tuple | set | frozenset):
            self.rhs = [value for value in self.rhs if _fits(value)]
        return super().process_rhs(compiler, connection)


class BoundedIn(_BoundedIn, In):
    pass


class BoundedRelatedIn(_BoundedIn, RelatedIn):
    pass


class BoundedRelatedExact(RelatedExact):
    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value() and not _fits(self.rhs):
            raise EmptyResultSet
        return super().process_rhs(compiler, connection)
