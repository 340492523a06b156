"""A writer for the crash and concurrency tests: records attempts, prints each id once saved.

Usage: python writer_process.py HOME TAG COUNT
A line "ack <question_id>" on stdout means record() returned: the answer must never be lost.
With FLUOROHIP_WRITER_READY=1 it first prints "ready" (imports done, nothing saved yet).
"""

import os
import sys

from fluorohip.progress.store import ProgressStore

home, tag, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
store = ProgressStore(home)
if os.environ.get("FLUOROHIP_WRITER_READY") == "1":
    sys.stdout.write("ready\n")
    sys.stdout.flush()
for i in range(count):
    qid = f"{tag}-{i}"
    store.record(
        "00_start_here",
        qid,
        {"i": i, "pad": "x" * 50},
        i % 2 == 0,
        bank_version=1,
        objective="00.1",
    )
    sys.stdout.write(f"ack {qid}\n")
    sys.stdout.flush()
