"""`python -m sitroom.serve --db FILE [--host H] [--port P]`: the web server on its own, in
an interpreter that imports only the web stack and the store. `sitroom serve` checks its
options and then becomes this, so the long-running server does not carry the rest of the
pipeline the command line imports (about 90 MB); the views worker it starts imports the
analysis and briefing stack for itself."""

from __future__ import annotations

import argparse

import uvicorn

from sitroom.serve.app import create_app
from sitroom.store import open_store


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m sitroom.serve", description=__doc__)
    parser.add_argument("--db", required=True, help="the record (a file, or a database URL)")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=8000, help="port to listen on")
    args = parser.parse_args(argv)
    with open_store(args.db) as store:
        app = create_app(store, views_process=True)
        uvicorn.run(app, host=args.host, port=args.port, log_level="warning")


if __name__ == "__main__":  # the views worker (a spawned process) imports this module too
    main()
