from django.contrib.auth.decorators import login_not_required
from django.urls import path

from . import cas, oidc, views

urlpatterns = [
    path("connexion/", login_not_required(views.LoginView.as_view()), name="login"),
    path("deconnexion/", views.LogoutView.as_view(), name="logout"),
    path("deconnexion/terminee/", views.signed_out, name="signed_out"),
    path("connexion/oidc/retour/", login_not_required(oidc.oidc_callback), name="oidc_callback"),
    path("connexion/oidc/<slug:slug>/", login_not_required(oidc.OidcStartView.as_view()), name="oidc_start"),
    path("connexion/cas/", login_not_required(cas.CasLoginView.as_view()), name="cas_login"),
]

# The académie's settings, beside the people pages.
settings_urlpatterns = [
    path("", views.sign_in_settings, name="sign_in_settings"),
    path("regles/ajouter/", views.admission_rule_add, name="admission_rule_add"),
    path("regles/<int:pk>/supprimer/", views.admission_rule_delete, name="admission_rule_delete"),
]
