#!/usr/bin/env python3
"""Benchmarks for iop, measured as a user runs it: the whole `iop` process.

    swift build -c release && python3 Benchmarks/run_benchmarks.py [--repeat 3] [--seeds 5] [--time-limit 60]

For each size (12, 36 over several seeds, 120, and 400 clients as four programs in one
file), it generates scenarios with Benchmarks/generate_scenario.py and runs `iop plan`;
then, on the bundled 12- and 36-client programs and the generated 120 and 400 clients,
the day's operations on the planned roster: `iop replan` after one facilitator's absence
(Wednesday 07:00, re-planned at 07:30), `iop whatif` for one facilitator's absence
tomorrow (and for each facilitator's at 36 and 120 clients), and `iop check` (the
validator). It prints median wall time, solver time, nodes, status, gap and peak memory
(max RSS of the process). Timings are medians over --repeat runs; the machine is noisy,
so read ratios, not milliseconds.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
IOP = os.path.join(ROOT, ".build", "release", "iop")
GENERATE = os.path.join(ROOT, "Benchmarks", "generate_scenario.py")


def run(args):
    """Runs iop; returns (seconds, peak RSS of that process in MiB, stdout)."""
    start = time.monotonic()
    process = subprocess.Popen([IOP] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
    out = process.stdout.read()
    err = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.monotonic() - start
    if process.returncode not in (0, 1):
        sys.exit(f"iop {' '.join(args)} failed ({process.returncode}): {err.decode()}")
    return seconds, usage.ru_maxrss / 1024, out.decode()


def measure(args, repeat):
    results = [run(args)]
    # A run that used the whole time limit is not repeated: its time is the limit.
    if '"status" : "optimal"' in results[0][2] or "--format" not in args:
        results += [run(args) for _ in range(repeat - 1)]
    seconds = statistics.median(r[0] for r in results)
    rss = max(r[1] for r in results)
    return seconds, rss, results[-1][2]


def generate(path, **options):
    args = [sys.executable, GENERATE] + [f"--{k.replace('_', '-')}={v}" for k, v in options.items()]
    with open(path, "w") as handle:
        subprocess.run(args, stdout=handle, check=True)


def solver_summary(output):
    plan = json.loads(output)
    solver = plan["solver"]
    nodes = sum(stage.get("nodes", 0) for stage in solver["stages"])
    gap = solver.get("gap")
    return solver["status"], solver["seconds"], nodes, gap, len(plan["clients"])


def row(name, clients, seconds, solve, nodes, status, gap, rss):
    gap_text = "-" if gap is None else f"{gap * 100:.2f}%"
    print(f"| {name} | {clients} | {seconds:.2f} | {solve:.2f} | {nodes} | {status} | {gap_text} | {rss:.0f} |", flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--seeds", type=int, default=5, help="generator seeds at 36 clients")
    ap.add_argument("--time-limit", type=float, default=60)
    args = ap.parse_args()
    if not os.path.exists(IOP):
        sys.exit("build first: swift build -c release")
    limit = str(args.time_limit)
    work = tempfile.mkdtemp(prefix="iop-bench-")
    print("| case | clients | wall s (median) | solver s | nodes | status | gap | peak MiB |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    cases = [("plan riverbend-small (bundled)", os.path.join(ROOT, "Scenarios", "riverbend-small.yaml")),
             ("plan cedar-grove-mixed (bundled)", os.path.join(ROOT, "Scenarios", "cedar-grove-mixed.yaml"))]
    path = os.path.join(work, "g12.yaml")
    generate(path, clients=12, seed=1)
    cases.append(("plan generated, seed 1", path))
    for seed in range(1, args.seeds + 1):
        path = os.path.join(work, f"g36-{seed}.yaml")
        generate(path, clients=36, seed=seed)
        cases.append((f"plan generated, seed {seed}", path))
    path = os.path.join(work, "g120.yaml")
    generate(path, clients=120, seed=1)
    cases.append(("plan generated, seed 1", path))
    path = os.path.join(work, "g400.yaml")
    generate(path, clients=400, seed=1, programs=4)
    cases.append(("plan generated, 4 programs in one file", path))
    for name, scenario in cases:
        repeat = args.repeat if "400" not in scenario and "g120" not in scenario else 1
        seconds, rss, out = measure(["plan", scenario, "--format", "json", "--time-limit", limit], repeat)
        status, solve, nodes, gap, clients = solver_summary(out)
        row(name, clients, seconds, solve, nodes, status, gap, rss)

    # The day's operations on a planned roster, at each size.
    weeks = [("riverbend-small", os.path.join(ROOT, "Scenarios", "riverbend-small.yaml"), False),
             ("cedar-grove-mixed", os.path.join(ROOT, "Scenarios", "cedar-grove-mixed.yaml"), True),
             ("generated 120", os.path.join(work, "g120.yaml"), True),
             ("generated 400", os.path.join(work, "g400.yaml"), False)]
    for name, scenario, each in weeks:
        operations(name, scenario, each, work, limit, args.repeat)


def first_facilitator(scenario):
    with open(scenario) as handle:
        program = yaml.safe_load(handle)
    return program["facilitators"][0]["id"]


def operations(name, scenario, each, work, limit, repeat):
    """Re-plan after one absence, what-if, and the validator on the scenario's planned week."""
    roster = os.path.join(work, f"{os.path.basename(scenario)}.roster.json")
    run(["plan", scenario, "--format", "json", "--out", roster, "--time-limit", limit])
    absent = first_facilitator(scenario)
    events = os.path.join(work, "absence.yaml")
    with open(events, "w") as handle:
        handle.write(f"events:\n  - {{at: 2026-12-09T07:00, facilitator_absence: {{facilitator: {absent}, from: 2026-12-09}}}}\n")
    seconds, rss, out = measure(["replan", scenario, "--roster", roster, "--events", events, "--now", "2026-12-09T07:30",
                                 "--format", "json", "--time-limit", limit], repeat)
    status, solve, nodes, gap, clients = solver_summary(out)
    row(f"replan {name} after one absence", clients, seconds, solve, nodes, status, gap, rss)
    seconds, rss, _ = measure(["whatif", scenario, "--roster", roster, "--absent", absent, "--on", "2026-12-10",
                               "--now", "2026-12-09T18:00", "--time-limit", limit], repeat)
    row(f"whatif {name}, one facilitator absent tomorrow", clients, seconds, float("nan"), 0, "-", None, rss)
    if each:
        with open(scenario) as handle:
            count = len(yaml.safe_load(handle)["facilitators"])
        seconds, rss, _ = measure(["whatif", scenario, "--roster", roster, "--each-facilitator", "--on", "2026-12-10",
                                   "--now", "2026-12-09T18:00", "--time-limit", limit], repeat)
        row(f"whatif {name}, each of {count} facilitators", clients, seconds, float("nan"), 0, "-", None, rss)
    seconds, rss, _ = measure(["check", scenario, roster], repeat)
    row(f"check (validator) {name}", clients, seconds, 0.0, 0, "-", None, rss)

if __name__ == "__main__":
    main()
