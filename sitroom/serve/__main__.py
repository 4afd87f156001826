"""`python -m sitroom.serve --db FILE [--host H] [--port P]`: the web server on its own, in
an interpreter that imports only the web stack and the store. `sitroom serve` checks its
options and then becomes this, so the long-running server does not carry the rest of the
pipeline the command line imports (about 90 MB); the views worker it starts imports the
analysis and briefing stack for itself."""

from __future__ import annotations

import argparse


def main(argv: list[str] | None = None) -> None:
    # lazy: the views worker (a spawned process) imports this module again and needs none
    # of the web stack (FastAPI, uvicorn, Jinja: ~40 MB)
    from sitroom.serve.app import run

    parser = argparse.ArgumentParser(prog="python -m sitroom.serve", description=__doc__)
    parser.add_argument("--db", required=True, help="the record (a file, or a database URL)")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=8000, help="port to listen on")
    args = parser.parse_args(argv)
    run(args.db, args.host, args.port)


if __name__ == "__main__":
    main()
