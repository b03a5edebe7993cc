#!/usr/bin/env python3
"""Names the processes that carry a test run's mark (ETALASE_TEST_RUN=<mark> in their
environment): every process scripts/test started, and every child of one, inherits it.

usage: leftovers.py MARK [PID_TO_SKIP ...]   prints "pid command" per live process
"""
import os
import sys

mark = ("ETALASE_TEST_RUN=" + sys.argv[1]).encode()
skip = {os.getpid(), os.getppid(), *(int(p) for p in sys.argv[2:])}
for pid in filter(str.isdigit, os.listdir("/proc")):
    if int(pid) in skip:
        continue
    try:
        with open(f"/proc/{pid}/environ", "rb") as f:
            env = f.read().split(b"\0")
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            cmd = f.read().replace(b"\0", b" ").decode(errors="replace").strip()
        with open(f"/proc/{pid}/stat", "rb") as f:
            state = f.read().rsplit(b")", 1)[1].split()[0]
    except OSError:
        continue
    # A zombie has already ended; it only waits for its parent to collect it.
    if mark in env and state != b"Z":
        print(f"{pid} {cmd[:160]}")
