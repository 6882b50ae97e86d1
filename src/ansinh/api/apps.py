from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "ansinh.api"
    label = "api"
    verbose_name = "API"
