"""The web server's settings, read from sitroom/data/serve.yaml (every entry is commented
there): view refresh intervals, page sizes, the response cache and the request threads."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import yaml

from sitroom.data import data_path


@dataclass(frozen=True)
class StreamSettings:
    poll_s: float  # how often each /api/stream connection looks for new posts
    replay_changes: int  # `/api/stream?after=N` replays at most this many changes


@dataclass(frozen=True)
class PageSettings:
    chart_points: int  # the newest points of a quantity drawn on the figures page
    figures_rows: int  # the figures page lists this many (oldest first), then links on
    actor_items: int  # quotes on an actor page, mentions in /api/actors/NAME, by default
    dispute_side_items: int  # claims, posts and stances each dispute side cites by default
    disputes_per_page: int  # disputes /api/disputes lists by default
    home_posts: int  # the home page's timeline shows the newest this many posts
    indicator_points: int  # newest buckets charted on the indicators page
    indicator_quantity_points: int  # newest points of each quantity on the indicators page
    post_cards: int  # rendered timeline posts kept (one per post version)


@dataclass(frozen=True)
class ServeSettings:
    view_min_interval_s: dict[str, float]
    stream: StreamSettings
    pages: PageSettings
    response_cache_mb: float
    request_threads: int


@lru_cache(maxsize=1)
def settings() -> ServeSettings:
    data = yaml.safe_load(data_path("serve.yaml").read_text(encoding="utf-8"))
    return ServeSettings(
        view_min_interval_s=data["view_min_interval_s"],
        stream=StreamSettings(**data["stream"]),
        pages=PageSettings(**data["pages"]),
        response_cache_mb=data["response_cache_mb"],
        request_threads=data["request_threads"],
    )
