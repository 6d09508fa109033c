#!/usr/bin/env python3
"""How soon a review appended to a followed file is on screen, as a person sees it.

    python3 benches/follow.py [REVUE] [RATE] [SECONDS] [KEYS]

Starts `revue --follow` in a private tmux server on a JSON Lines file, then appends RATE
reviews a second (default 1000) for SECONDS (default 10), in bursts every 10 ms, as a
scraper writes. A poller reads the screen every 5 ms; for each thousandth review it notes
when the status bar first counts it. Prints the latency from write to screen (median, 90th
percentile, worst) and revue's CPU use over the run (user + system time of its process
over wall time: 1.0 is one core busy). KEYS are typed first (`s` sorts by helpfulness, so
that each new review is placed in the sort; `/word` plus Enter searches): the count the
status bar shows is then that of the reviews in view. The file is written under /tmp and
removed.
"""
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time

REVUE = sys.argv[1] if len(sys.argv) > 1 else "./target/release/revue"
RATE = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
SECONDS = float(sys.argv[3]) if len(sys.argv) > 3 else 10.0
KEYS = sys.argv[4] if len(sys.argv) > 4 else ""
SERVER = f"follow-bench-{os.getpid()}"
STEP = 1000


def review(i):
    return json.dumps({
        "title": f"Review {i}",
        "author": f"scraper {i % 97}",
        "rating": i % 10 + 1,
        "date": "2024-05-06",
        "helpful": i % 13,
        "not_helpful": i % 3,
        "body": "A line of a review that a scraper has just written. " * (1 + i % 5),
    }) + "\n"


def tmux(*args):
    return subprocess.run(["tmux", "-L", SERVER, *args], capture_output=True, text=True).stdout


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks


def main():
    fd, path = tempfile.mkstemp(suffix=".jsonl", dir="/tmp")
    os.close(fd)
    first = 100
    with open(path, "w") as f:
        f.write("".join(review(i) for i in range(first)))
    tmux("new-session", "-d", "-x", "160", "-y", "48", f"exec {REVUE} --follow {path}")
    try:
        while f"{first} reviews" not in tmux("capture-pane", "-p"):
            time.sleep(0.01)
        pid = int(tmux("display-message", "-p", "#{pane_pid}").strip())
        if KEYS:
            tmux("send-keys", "-l", KEYS)
            if "/" in KEYS:
                tmux("send-keys", "Enter")
            time.sleep(0.5)
        seen = {}
        done = threading.Event()

        def poll():
            # "N reviews", or "SHOWN of N reviews" when a search or filter is on: the
            # reviews in view.
            pattern = re.compile(r"(?:(\d+) of )?(\d+) reviews")
            while not done.is_set():
                screen = tmux("capture-pane", "-p")
                now = time.monotonic()
                m = pattern.search(screen.splitlines()[-2] if screen else "")
                if m:
                    n = int(m.group(1) or m.group(2))
                    for k in range(STEP, n - first + 1, STEP):
                        seen.setdefault(k, now)
                time.sleep(0.005)

        poller = threading.Thread(target=poll)
        poller.start()
        written = {}
        total = int(RATE * SECONDS)
        burst = max(1, RATE // 100)
        start = time.monotonic()
        cpu_start = cpu_seconds(pid)
        with open(path, "a") as f:
            i = 0
            while i < total:
                n = min(burst, total - i)
                f.write("".join(review(first + i + j) for j in range(n)))
                f.flush()
                now = time.monotonic()
                i += n
                for k in range(STEP, i + 1, STEP):
                    written.setdefault(k, now)
                next_burst = start + i / RATE
                time.sleep(max(0.0, next_burst - time.monotonic()))
        wall = time.monotonic() - start
        time.sleep(1.0)
        cpu = cpu_seconds(pid) - cpu_start
        done.set()
        poller.join()
        lat = sorted((seen[k] - written[k]) * 1000 for k in written if k in seen)
        missed = [k for k in written if k not in seen]
        if lat:
            p = lambda q: lat[min(len(lat) - 1, int(q * len(lat)))]
            print(f"rate {RATE}/s for {wall:.1f} s: write-to-screen latency median {p(0.5):.0f} ms, "
                  f"p90 {p(0.9):.0f} ms, worst {lat[-1]:.0f} ms over {len(lat)} checkpoints; "
                  f"revue CPU {cpu / (wall + 1.0):.2f} cores; missed {len(missed)}")
        else:
            print("no checkpoint was seen on screen")
    finally:
        tmux("kill-server")
        os.unlink(path)


if __name__ == "__main__":
    main()
