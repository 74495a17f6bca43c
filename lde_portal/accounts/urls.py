from django.contrib.auth import views as auth_views
from django.urls import path

from . import twofactor, views

app_name = "accounts"

# Authentication: not organisation-scoped.
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("two-factor/setup/", twofactor.two_factor_setup, name="two_factor_setup"),
    path("two-factor/verify/", twofactor.two_factor_verify, name="two_factor_verify"),
    path("two-factor/", twofactor.two_factor_account, name="two_factor_account"),
    path("two-factor/recovery-codes/", twofactor.recovery_codes_generate, name="recovery_codes_generate"),
    path("two-factor/reset/", twofactor.two_factor_reset, name="two_factor_reset"),
    # Invitations to existing accounts: the invited person answers them here, logged in as themselves.
    path("invitations/", views.invitation_list, name="invitations"),
    path("invitations/<int:pk>/accept/", views.invitation_accept, name="invitation_accept"),
    path("invitations/<int:pk>/decline/", views.invitation_decline, name="invitation_decline"),
    path("password-reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("password-reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("password-reset/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("password-reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
]

# Organisation administration, mounted under /<org_slug>/ by lde_portal.urls.
org_urlpatterns = [
    path("members/", views.member_list, name="member_list"),
    path("members/<int:pk>/toggle/", views.member_toggle, name="member_toggle"),
    path("members/<int:pk>/role/", views.member_role, name="member_role"),
    path("invitations/<int:pk>/withdraw/", views.invitation_withdraw, name="invitation_withdraw"),
    path("organisation/", views.organisation_edit, name="organisation_edit"),
    path("organisation/logo/", views.organisation_logo, name="organisation_logo"),
    path("activities/", views.activity_list, name="activity_list"),
    path("activities/new/", views.activity_form, name="activity_create"),
    path("activities/<int:pk>/", views.activity_form, name="activity_edit"),
]
