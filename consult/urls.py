from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from consult import pages

# allauth answers its own rate limits (sign-up, login, password reset) with this view.
handler429 = "accounts.views.too_many_requests"
# 403 and 404 in the site's layout and the person's language, with a way forward.
handler403 = "consult.pages.permission_denied"
handler404 = "consult.pages.page_not_found"

urlpatterns = [
    path("", include("topics.urls")),
    path("", include("comments.urls")),
    path("", include("moderation.urls")),
    path("", include("analytics.urls")),
    path("accounts/", include("allauth.urls")),
    path("me/", include("accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accessibility/", pages.accessibility, name="accessibility"),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
