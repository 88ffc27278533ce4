"""Anchor for bench/grouping_scale.py: what every `add` did first before issue #17 item 2 — replay every stored
article into an in-memory index (``storage.stories.replay_rows`` + ``StoryIndex.restore``). It needs that code:
run it with PYTHONPATH at the src of a checkout of 4ea037e (``git worktree add /tmp/old 4ea037e``) on a store made
by ``grouping_scale --build``:

    PYTHONPATH=/tmp/old/src .venv/bin/python bench/grouping_replay_anchor.py /tmp/g100000.db
"""

import json
import resource
import sys
import time

from sqlalchemy import create_engine

from crosswire.storage import stories as story_db
from crosswire.stories.clusters import StoryIndex

db = sys.argv[1]
engine = create_engine(f"sqlite:///{db}")
start, cpu = time.perf_counter(), time.process_time()
with engine.connect() as conn:
    rows = story_db.replay_rows(conn)
index = StoryIndex()
for signals, story_id in rows:
    index.restore(signals, story_id)  # type: ignore[attr-defined]  # the old code's method
print(json.dumps({"store": len(rows), "replay_s": round(time.perf_counter() - start, 1), "cpu_s": round(time.process_time() - cpu, 1),
                  "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024), "stories": len(index.stories)}))
