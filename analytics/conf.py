"""Analytics settings: Django settings of the same name win over the environment's defaults.

- ``ANALYTICS_MIN_VOTES`` (7): votes a participant needs to be placed in an opinion group.
- ``ANALYTICS_OPINION_DEBOUNCE_SECONDS`` (10): the opinion map is recomputed at most once per
  this many seconds per consultation while votes arrive.
- ``ANALYTICS_AUTO_RUN_NEW_COMMENTS`` (50): a full run starts by itself once this many
  comments were published since the last run (0 switches automatic runs off).
- ``ANALYTICS_MAP_MAX_POINTS`` (1500): participants drawn on a map (a seeded sample beyond).
- ``ANALYTICS_RUN_HEARTBEAT_SECONDS`` (10): how often a running analysis tells it is alive.
- ``ANALYTICS_RUN_STALE_SECONDS`` (120): a running analysis silent this long is marked failed
  (its worker was killed or lost); a new run can then start.
"""

from __future__ import annotations

from django.conf import settings

from consult.env import env_int

_DEFAULTS = {
    "ANALYTICS_MIN_VOTES": env_int("ANALYTICS_MIN_VOTES", 7, minimum=1),
    "ANALYTICS_OPINION_DEBOUNCE_SECONDS": env_int(
        "ANALYTICS_OPINION_DEBOUNCE_SECONDS", 10, minimum=0
    ),
    "ANALYTICS_AUTO_RUN_NEW_COMMENTS": env_int("ANALYTICS_AUTO_RUN_NEW_COMMENTS", 50, minimum=0),
    "ANALYTICS_MAP_MAX_POINTS": env_int("ANALYTICS_MAP_MAX_POINTS", 1500, minimum=50),
    "ANALYTICS_RUN_HEARTBEAT_SECONDS": env_int("ANALYTICS_RUN_HEARTBEAT_SECONDS", 10, minimum=1),
    "ANALYTICS_RUN_STALE_SECONDS": env_int("ANALYTICS_RUN_STALE_SECONDS", 120, minimum=5),
}


def get(name: str) -> int:
    return int(getattr(settings, name, _DEFAULTS[name]))
