from django.conf import settings
from django.contrib import admin
from django.urls import include, path

# allauth answers its own rate limits (sign-up, login, password reset) with this view.
handler429 = "accounts.views.too_many_requests"

urlpatterns = [
    path("", include("topics.urls")),
    path("", include("comments.urls")),
    path("", include("moderation.urls")),
    path("", include("analytics.urls")),
    path("", include("notifications.urls")),
    path("", include("search.urls")),
    path("", include("feeds.urls")),
    path("accounts/", include("allauth.urls")),
    path("me/", include("accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
