"""ASGI entry point: HTTP through Django, WebSockets through Channels."""

from __future__ import annotations

import gc
import os
import threading

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "consult.settings")
os.environ.setdefault("PYTHAINLP_OFFLINE", "1")
os.environ.setdefault("PYTHAINLP_READ_ONLY", "1")
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler  # noqa: E402

from accounts.middleware import WebSocketSecondFactorMiddleware  # noqa: E402
from comments import live  # noqa: E402
from comments.routing import websocket_urlpatterns  # noqa: E402
from consult.metrics import WebSocketMetrics  # noqa: E402
from consult.security import WebSocketOriginValidator  # noqa: E402
from moderation.routing import websocket_urlpatterns as moderation_websockets  # noqa: E402

http_app = ASGIStaticFilesHandler(django_asgi_app) if settings.SERVE_STATIC else django_asgi_app

application = live.LoopRegistrar(
    ProtocolTypeRouter(
        {
            "http": http_app,
            "websocket": WebSocketMetrics(
                WebSocketOriginValidator(
                    AllowedHostsOriginValidator(
                        AuthMiddlewareStack(
                            WebSocketSecondFactorMiddleware(
                                URLRouter(websocket_urlpatterns + moderation_websockets)
                            )
                        )
                    )
                )
            ),
        }
    )
)


def warm_up() -> None:
    """Load what the first comment would otherwise wait for: the Thai segmenter's dictionary
    (a quarter of a second; the search index and screening segment every comment). Then
    move everything loaded so far (Django, the apps, their modules: a few hundred thousand
    objects that live as long as the process) out of the garbage collector's sight: a full
    collection would otherwise walk them all, a pause of 100-200 ms in which no page gets
    its live update."""
    from analytics.text import engine

    engine()
    gc.collect()
    gc.freeze()


threading.Thread(target=warm_up, name="warm-up", daemon=True).start()
