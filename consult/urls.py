from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from consult import ops, pages
from consult.security import CSP_REPORT_PATH, admin_login, csp_report

# allauth answers its own rate limits (sign-up, login, password reset) with this view.
handler429 = "accounts.views.too_many_requests"
# 403 and 404 in the site's layout and the person's language, with a way forward.
handler403 = "consult.pages.permission_denied"
handler404 = "consult.pages.page_not_found"
# A database that cannot be reached answers 503 "try again", not 500.
handler500 = "consult.ops.server_error"

urlpatterns = [
    path("healthz", ops.healthz, name="healthz"),
    path("readyz", ops.readyz, name="readyz"),
    path("metrics", ops.metrics_view, name="metrics"),
    path(CSP_REPORT_PATH.strip("/") + "/", csp_report, name="csp_report"),
    path("", include("topics.urls")),
    path("", include("comments.urls")),
    path("", include("moderation.urls")),
    path("", include("analytics.urls")),
    path("", include("opendata.urls")),
    path("api/v1/", include("api.urls")),
    path("", include("reports.urls")),
    path("records/", include("records.urls")),
    path("", include("notifications.urls")),
    path("", include("search.urls")),
    path("", include("feeds.urls")),
    path("", include("submissions.urls")),
    path("accounts/", include("allauth.urls")),
    path("me/", include("accounts.urls")),
    path("me/tokens/", include("api.token_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    # The admin has no sign-in of its own: allauth's (rate limited, with the second factor).
    path("admin/login/", admin_login, name="admin_login_redirect"),
    path("accessibility/", pages.accessibility, name="accessibility"),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
