#!/usr/bin/env python3
"""Time commands against each other in one alternating loop (A B C A B C ...).

Usage:
    python3 bench/ab.py [--runs N] [--warmup K] [--same] CMD [CMD ...]

Each CMD is one shell command (quote it). The machine's speed drifts over minutes, so two
builds, or a build and a baseline (oxlint, rg), are compared fairly only when their runs
interleave: this runs every command once per round, `--runs` rounds after `--warmup`
untimed ones, and prints per command the median wall time, the median CPU time (user +
system of the command and its children) and the largest peak RSS, with the ratio of each
median to the first command's.

`--same` first runs every command once with its stdout kept, and exits 1 unless all print
the same findings: a JSON report's `findings` compared as sorted lists, any other output
byte for byte. Use it to check that a faster build finds exactly what the old one found.

`--instructions` instead runs every command once under `valgrind --tool=callgrind` (with
`RAYON_NUM_THREADS=1`) and prints the user-space instructions each executed, with the ratio to
the first: an exact count that no drift of the machine's speed touches (it leaves the kernel's
work out: reads, opens and path lookups). The commands must start with the program to run.

Python 3.11 standard library only; a measurement, not a test.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time


def run(cmd, capture=False):
    """Wall seconds, CPU seconds and peak RSS (KiB) of one run, and its stdout if asked."""
    out = subprocess.PIPE if capture else subprocess.DEVNULL
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, shell=True, stdout=out, stderr=subprocess.DEVNULL)
    data = proc.stdout.read() if capture else b""
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    if proc.stdout:
        proc.stdout.close()
    code = os.waitstatus_to_exitcode(status)
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, code, data


def findings(data):
    """What a run found, in a form two runs can be compared by."""
    try:
        doc = json.loads(data)
    except ValueError:
        return data
    if isinstance(doc, dict) and isinstance(doc.get("findings"), list):
        return sorted(json.dumps(f, sort_keys=True) for f in doc["findings"])
    return doc


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--warmup", type=int, default=1)
    ap.add_argument("--same", action="store_true")
    ap.add_argument("--instructions", action="store_true")
    ap.add_argument("cmds", nargs="+")
    args = ap.parse_args()
    if args.instructions:
        return count_instructions(args.cmds)
    if args.same:
        outs = []
        for cmd in args.cmds:
            *_, code, data = run(cmd, capture=True)
            outs.append(findings(data))
            n = len(outs[-1]) if isinstance(outs[-1], list) else "?"
            print(f"same: exit {code}, {n} findings: {cmd}", file=sys.stderr)
        if any(o != outs[0] for o in outs[1:]):
            print("same: the commands' findings DIFFER", file=sys.stderr)
            return 1
        print("same: identical findings", file=sys.stderr)
    walls = [[] for _ in args.cmds]
    cpus = [[] for _ in args.cmds]
    rss = [0 for _ in args.cmds]
    for r in range(args.warmup + args.runs):
        for i, cmd in enumerate(args.cmds):
            wall, cpu, maxrss, _, _ = run(cmd)
            if r >= args.warmup:
                walls[i].append(wall)
                cpus[i].append(cpu)
                rss[i] = max(rss[i], maxrss)
    w0 = statistics.median(walls[0])
    c0 = statistics.median(cpus[0])
    for i, cmd in enumerate(args.cmds):
        w = statistics.median(walls[i])
        c = statistics.median(cpus[i])
        print(
            f"{w * 1000:8.1f} ms wall ({w / w0:5.3f}x)  {c * 1000:8.1f} ms cpu ({c / c0:5.3f}x)"
            f"  {rss[i]:>8} KiB  min {min(walls[i]) * 1000:7.1f}  {cmd}"
        )
    return 0


def count_instructions(cmds):
    """Each command once under callgrind: its instructions, and the ratio to the first's."""
    import re
    import tempfile

    counts = []
    with tempfile.TemporaryDirectory() as tmp:
        for i, cmd in enumerate(cmds):
            out = os.path.join(tmp, f"cg.{i}")
            wrapped = (
                f"RAYON_NUM_THREADS=1 valgrind --tool=callgrind --callgrind-out-file={out} {cmd}"
            )
            proc = subprocess.run(
                wrapped, shell=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
            )
            found = re.findall(r"Collected : (\d+)", proc.stderr)
            if not found:
                print(f"instructions: no count for {cmd} (is valgrind installed?)", file=sys.stderr)
                return 2
            counts.append(int(found[-1]))
    for n, cmd in zip(counts, cmds):
        print(f"{n / 1e6:12.1f} M instructions ({n / counts[0]:6.4f}x)  {cmd}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
