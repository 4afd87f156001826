"""The web server's settings, read from sitroom/data/serve.yaml (every entry is commented
there): view refresh intervals, page sizes, the response cache and the request threads."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import yaml

from sitroom.data import data_path


@dataclass(frozen=True)
class ServeSettings:
    view_min_interval_s: dict[str, float] = field(default_factory=dict)
    stream_poll_s: float = 0.5
    stream_replay_changes: int = 500
    chart_points: int = 200
    figures_page_rows: int = 500
    home_posts: int = 300
    indicator_quantity_points: int = 12
    response_cache_mb: float = 64
    request_threads: int = 8
    post_cards: int = 4096


@lru_cache(maxsize=1)
def settings() -> ServeSettings:
    data = yaml.safe_load(data_path("serve.yaml").read_text(encoding="utf-8"))
    known = set(ServeSettings.__dataclass_fields__)
    return ServeSettings(**{k: v for k, v in data.items() if k in known})
