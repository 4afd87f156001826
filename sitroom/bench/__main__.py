"""Benchmarks: `python -m sitroom.bench read|enrich|live|fuzz|load|scale|analyse`. They print figures; they assert nothing."""

from __future__ import annotations

import importlib
import sys

BENCHES = {
    "read": "sitroom.bench.read",
    "enrich": "sitroom.bench.enrich",
    "live": "sitroom.bench.live",
    "fuzz": "sitroom.bench.fuzz",
    "load": "sitroom.bench.load",
    "scale": "sitroom.bench.scale",
    "analyse": "sitroom.bench.analyse",
}


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in BENCHES:
        print(f"usage: python -m sitroom.bench {{{'|'.join(BENCHES)}}} [options]", file=sys.stderr)
        return 2
    module = importlib.import_module(BENCHES[argv[0]])
    return int(module.main(argv[1:]) or 0)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
