from django.apps import AppConfig


class EducationConfig(AppConfig):
    name = "fazhi.education"
    label = "education"
    verbose_name = "学法普法"

    def ready(self):
        from fazhi.core.nav import NavItem, register
        from fazhi.core.todo import register_provider
        from fazhi.education.permissions import EDU_READ, EVENT_READ
        from fazhi.education.todo import education_todo

        g = "学法普法"
        register(
            NavItem("学法活动", "education:sessions", roles=EDU_READ, group=g, order=120),
            NavItem("个人学时", "education:hours", roles=EDU_READ, group=g, order=121),
            NavItem("干部名册", "education:officials", roles=EDU_READ, group=g, order=122),
            NavItem("普法活动", "education:events", roles=EVENT_READ, group=g, order=123),
            NavItem("法治文化阵地", "education:venues", roles=EVENT_READ, group=g, order=124),
            NavItem("普法计划", "education:pubplans", roles=EDU_READ, group=g, order=125),
            NavItem("普法覆盖面", "education:coverage", roles=EDU_READ, group=g, order=126),
            NavItem("法规与主题目录", "education:catalogue", roles=EDU_READ, group=g, order=127),
        )
        register_provider(education_todo)
