from django.apps import AppConfig


class EducationConfig(AppConfig):
    name = "fazhi.education"
    label = "education"
    verbose_name = "学法普法"
