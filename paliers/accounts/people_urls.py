from django.urls import path

from . import people

app_name = "people"
urlpatterns = [
    path("", people.people_list, name="list"),
    path("inviter/", people.people_invite, name="invite"),
    path("inviter-directions/", people.people_invite_heads, name="invite_heads"),
    path("<int:pk>/retirer/", people.people_revoke, name="revoke"),
]
