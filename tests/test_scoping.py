import pytest

from paliers.accounts.scoping import schools_for

from .factories import make_world


@pytest.fixture
def world(db):
    return make_world()


@pytest.mark.parametrize(
    ("who", "visible", "changeable"),
    [
        ("admin", {"ecole", "college", "lycee"}, {"ecole", "college", "lycee"}),
        ("other_admin", {"other"}, {"other"}),
        ("animator", {"ecole"}, set()),
        ("observer", {"ecole", "college"}, set()),
        ("head", {"ecole"}, {"ecole"}),
        ("referent", {"ecole"}, {"ecole"}),
        ("member", {"ecole"}, set()),
        ("other_head", {"other"}, {"other"}),
        ("nobody", set(), set()),
    ],
)
def test_each_role_sees_and_changes_exactly_its_scope(world, who, visible, changeable):
    names = {"ecole", "college", "lycee", "other"}
    by_pk = {getattr(world, name).pk: name for name in names}
    user = getattr(world, who)
    assert {by_pk[pk] for pk in schools_for(user).values_list("pk", flat=True)} == visible
    assert {by_pk[pk] for pk in schools_for(user, change=True).values_list("pk", flat=True)} == changeable


def test_a_revoked_membership_gives_nothing(world):
    membership = world.head.memberships.get()
    membership.revoked_at = membership.created_at
    membership.save()
    world.head.refresh_from_db()
    assert not schools_for(world.head).exists()


def test_anonymous_sees_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    assert not schools_for(AnonymousUser()).exists()


def test_roles_restrict_the_scope_to_the_memberships_of_those_roles(world):
    from paliers.accounts.models import Membership, Role

    # An animator of Fresnes who is also an observer of Seine-et-Marne acts as an animator
    # on the école of Fresnes only.
    Membership.objects.create(user=world.animator, role=Role.OBSERVER, department=world.seine_et_marne)
    world.animator.refresh_from_db()
    assert set(schools_for(world.animator)) == {world.ecole, world.lycee}
    assert set(schools_for(world.animator, roles={Role.ANIMATOR})) == {world.ecole}
    assert set(schools_for(world.animator, roles={Role.SCHOOL_HEAD})) == set()
    assert set(schools_for(world.head, change=True, roles={Role.SCHOOL_HEAD})) == {world.ecole}
