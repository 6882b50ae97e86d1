from django.urls import path

from ansinh.accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("password/change/", views.password_change_view, name="password_change"),
    path("password/reset/", views.reset_request_view, name="reset_request"),
    path("password/reset/confirm/", views.reset_confirm_view, name="reset_confirm"),
    path("2fa/", views.two_factor_view, name="two_factor"),
]
