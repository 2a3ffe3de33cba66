"""The worker process of `phone_pool`: one JSON ``[key, region]`` per line in, one
JSON `check_number` result per line out. Imported by nothing: run it with
``python -m leadtriage.normalize.phone_worker``."""

from __future__ import annotations

import json
import sys

from leadtriage.normalize.phone import check_number


def serve() -> None:
    out = sys.stdout
    for line in sys.stdin:
        key, region = json.loads(line)
        out.write(json.dumps(check_number(key, region)) + "\n")


if __name__ == "__main__":
    serve()
