"""The social-security card's pages (namespace `welfare_card`), all under `/social/card/`: the citizen's at
the top, the service point's under `scan/`, the officer's under `manage/`, the public keys at `keys.json`."""

from django.urls import path

from ansinh.welfare import card_views as views

app_name = "welfare_card"

urlpatterns = [
    path("social/card/", views.home, name="home"),
    path("social/card/get/", views.get_card, name="get"),
    path("social/card/lost/", views.lost, name="lost"),
    path("social/card/pdf/", views.card_pdf, name="pdf"),
    path("social/card/keys.json", views.keys, name="keys"),
    # service points
    path("social/card/scan/", views.scan, name="scan"),
    path("social/card/scan/pay/", views.pay, name="pay"),
    path("social/card/scan/receipts/<int:payment_id>/", views.receipt, name="receipt"),
    # officers
    path("social/card/manage/", views.manage, name="manage"),
    path("social/card/manage/<int:person_id>/", views.manage_person, name="manage_person"),
    path("social/card/manage/<int:person_id>/issue/", views.manage_issue, name="manage_issue"),
    path(
        "social/card/manage/<int:person_id>/cards/<int:card_id>/revoke/",
        views.manage_revoke,
        name="manage_revoke",
    ),
]
