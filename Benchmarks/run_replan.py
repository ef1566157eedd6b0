#!/usr/bin/env python3
"""iop replan after one event, from mid-week, on weeks of generate_varied.py, beside HiGHS.

    swift build -c release && pip install highspy
    python3 Benchmarks/run_replan.py --seeds 1-50 [--events absence,admission] [--highs] [--runs 3]

For each seed the week is planned (--plan-limit, default 10 s) and that roster is taken
as published. Then, at 06:00 on the program's third day (the first two are history), one
event arrives and `iop replan` rebuilds the rest of the week (--time-limit):
- absence: the facilitator with the most sessions that day is out that day;
- admission: a new client, a copy of the week's first client's record, starts that day.
Each row gives the whole re-plan process's seconds (the median of --runs), whether every
stage was proven optimal, each stage's outcome, and with --highs the seconds HiGHS (one
thread, same limit per stage) takes on the stage models the re-plan wrote and whether its
objectives match. Every new roster goes through `iop check` with the event. The last
lines count the re-plans proven within --target seconds (default 2) and the median ratio
iop / HiGHS.
"""
import argparse
import copy
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
IOP = os.path.join(ROOT, ".build", "release", "iop")
sys.path.insert(0, HERE)

from run_varied import highs_columns, seeds, stage_outcome  # noqa: E402


def event_for(kind, scenario, roster, day):
    """The events file's body for one event of `kind` on `day` (YYYY-MM-DD), or None."""
    at = f"{day}T06:00"
    if kind == "absence":
        counts = Counter(f for s in roster["sessions"] if s["date"] == day for f in s.get("facilitators", []))
        if not counts:
            return None
        facilitator = counts.most_common(1)[0][0]
        return {"events": [{"at": at, "facilitator_absence": {"facilitator": facilitator, "from": day, "to": day}}]}
    client = copy.deepcopy(scenario["clients"][0])
    client["id"] = "c-900"
    for key in ("admitted", "keep_apart", "available"):
        client.pop(key, None)
    if "authorization" in client:
        client["authorization"]["number"] = "NEW-900"
    return {"events": [{"at": at, "admission": client}]}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", default="1-50")
    parser.add_argument("--events", default="absence,admission")
    parser.add_argument("--plan-limit", type=float, default=10)
    parser.add_argument("--time-limit", type=float, default=10)
    parser.add_argument("--target", type=float, default=2)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--highs", action="store_true", help="also solve each stage model with HiGHS")
    args = parser.parse_args()
    kinds = args.events.split(",")
    work = tempfile.mkdtemp(prefix="iop-replan-")
    solve_highs = None
    if args.highs:
        from compare_peers import solve_highs
    print(f"re-plan limit {args.time_limit:g} s (plan {args.plan_limit:g} s), {args.runs} run(s) each, release build")
    print("| seed | shape | clients | event | proven | seconds | stages | HiGHS s | same objectives | check |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    count, proven, in_target, ratios = 0, 0, 0, []
    for seed in seeds(args.seeds):
        path = os.path.join(work, f"varied-{seed}.yaml")
        with open(path, "w") as handle:
            subprocess.run([sys.executable, os.path.join(HERE, "generate_varied.py"), "--seed", str(seed)],
                           stdout=handle, check=True)
        with open(path) as handle:
            first = handle.readline()
            scenario = yaml.safe_load(first + handle.read())
        shape = first.split(": ", 1)[1].split(",")[0] if ": " in first else "-"
        clients = len(scenario["clients"])
        published = os.path.join(work, f"published-{seed}.json")
        planned = subprocess.run([IOP, "plan", path, "--format", "json", "--out", published,
                                  "--time-limit", str(args.plan_limit)], capture_output=True, text=True)
        if planned.returncode != 0:
            print(f"| {seed} | {shape} | {clients} | - | no published roster | - | - | - | - | - |")
            continue
        with open(published) as handle:
            roster = json.load(handle)
        day = sorted({s["date"] for s in roster["sessions"]})[2:3]
        for kind in kinds:
            body = event_for(kind, scenario, roster, day[0]) if day else None
            if body is None:
                print(f"| {seed} | {shape} | {clients} | {kind} | no such event | - | - | - | - | - |")
                continue
            events = os.path.join(work, f"events-{seed}-{kind}.yaml")
            with open(events, "w") as handle:
                yaml.safe_dump(body, handle, sort_keys=False)
            stage_dir = os.path.join(work, f"stages-{seed}-{kind}")
            new = os.path.join(work, f"replan-{seed}-{kind}.json")
            times, result = [], None
            for run in range(args.runs):
                extra = ["--stage-models", stage_dir] if run == 0 else []
                start = time.monotonic()
                done = subprocess.run([IOP, "replan", path, "--roster", published, "--events", events,
                                       "--now", f"{day[0]}T06:00", "--format", "json", "--out", new,
                                       "--time-limit", str(args.time_limit)] + extra, capture_output=True, text=True)
                times.append(time.monotonic() - start)
                if done.returncode == 0 and run == 0:
                    with open(new) as handle:
                        result = json.load(handle)
            seconds = statistics.median(times)
            count += 1
            if result is None:
                print(f"| {seed} | {shape} | {clients} | {kind} | no roster | {seconds:.2f} | - | - | - | - |")
                continue
            stages = result["solver"]["stages"]
            ok = result["solver"]["status"] == "optimal"
            proven += ok
            in_target += ok and seconds <= args.target
            check = subprocess.run([IOP, "check", path, new, "--events", events], capture_output=True)
            summary = " ".join(stage_outcome(s) for s in stages)
            highs_text, same = highs_columns(solve_highs, stages, stage_dir, args.time_limit, seconds, ratios)
            print(f"| {seed} | {shape} | {clients} | {kind} | {'yes' if ok else 'no'} | {seconds:.2f} | "
                  f"{summary} | {highs_text} | {same} | {'valid' if check.returncode == 0 else 'INVALID'} |",
                  flush=True)
    print()
    print(f"re-plans proven optimal: {proven} of {count}; within {args.target:g} s: {in_target} of {count}")
    if ratios:
        print(f"median ratio iop (whole process) / HiGHS (stages): {statistics.median(ratios):.2f}")


if __name__ == "__main__":
    main()
