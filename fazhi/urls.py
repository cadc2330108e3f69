from django.urls import include, path

urlpatterns = [
    path("", include("fazhi.core.urls")),
    path("accounts/", include("fazhi.accounts.urls")),
    path("audit/", include("fazhi.audit.urls")),
    path("organization/", include("fazhi.organization.urls")),
    path("education/", include("fazhi.education.urls")),
    path("decisions/", include("fazhi.decisions.urls")),
    path("disclosure/", include("fazhi.disclosure.urls")),
    path("enforcement/", include("fazhi.enforcement.urls")),
    path("evidence/", include("fazhi.evidence.urls")),
    path("mediation/", include("fazhi.mediation.urls")),
    path("oversight/", include("fazhi.oversight.urls")),
    path("imports/", include("fazhi.imports.urls")),
    path("reports/", include("fazhi.reports.urls")),
    path("public/", include("fazhi.portal.urls")),
    path("api/", include("fazhi.api.urls")),
    path("help/", include("fazhi.help.urls")),
    path("", include("fazhi.field.urls")),
]

handler403 = "fazhi.core.views.error_403"
handler404 = "fazhi.core.views.error_404"
handler500 = "fazhi.core.views.error_500"
