#!/usr/bin/env python3
"""iop plan on many weeks of generate_varied.py, each beside HiGHS on iop's own stage models.

    swift build -c release && pip install highspy
    python3 Benchmarks/run_varied.py --seeds 1-50 --time-limit 10 [--highs] [--runs 3] [--rules]

For each seed: the week's shape (from its first line), the clients, whether every stage
was proven optimal, the whole process's seconds (the median of --runs), each stage's
outcome, and with --highs the seconds HiGHS (one thread, same limit per stage) takes on
the stage models iop wrote, and whether its objectives match. Every roster goes through
`iop check`. The last lines count the weeks proven within the limit and the median ratio
iop / HiGHS.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
IOP = os.path.join(ROOT, ".build", "release", "iop")
sys.path.insert(0, HERE)


def seeds(text):
    values = []
    for part in text.split(","):
        low, _, high = part.partition("-")
        values += range(int(low), int(high or low) + 1)
    return values


def stage_outcome(stage):
    """`t4:opt`, or `t4:time limit 2.1%` with the stage's gap when it has one."""
    if stage["stopped"] == "optimal":
        return f"t{stage['tier']}:opt"
    gap = stage.get("gap")
    return f"t{stage['tier']}:{stage['stopped']}" + (f" {100 * gap:.1f}%" if gap is not None else "")


def highs_beside(solve_highs, stages, stage_dir, limit):
    """HiGHS's seconds over the stage models iop wrote to `stage_dir`, and whether every
    stage's objective is iop's."""
    total, agree = 0.0, True
    for stage in stages:
        _, objective, _, spent = solve_highs(os.path.join(stage_dir, f"tier{stage['tier']}.lp"), limit)
        total += spent
        ours = stage.get("objective")
        if objective is None or ours is None or abs(objective - ours) > 1e-6 * max(1, abs(objective)):
            agree = False
    return total, agree


def highs_columns(solve_highs, stages, stage_dir, limit, seconds, ratios):
    """The table's HiGHS seconds and same-objectives columns ("-" without --highs); the
    ratio iop / HiGHS goes to `ratios`."""
    if not solve_highs:
        return "-", "-"
    total, agree = highs_beside(solve_highs, stages, stage_dir, limit)
    ratios.append(seconds / max(total, 1e-9))
    return f"{total:.2f}", "yes" if agree else "no"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", default="1-50")
    parser.add_argument("--clients", type=int, default=0)
    parser.add_argument("--time-limit", type=float, default=10)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--highs", action="store_true", help="also solve each stage model with HiGHS")
    parser.add_argument("--rules", action="store_true", help="weeks with the rules beyond the catalogue (generate_varied.py --rules)")
    parser.add_argument("--generator", choices=["varied", "scenario"], default="varied",
                        help="generate_varied.py (default) or the first generator, generate_scenario.py (needs --clients)")
    args = parser.parse_args()
    if args.generator == "scenario" and (not args.clients or args.rules):
        parser.error("--generator scenario needs --clients N and takes no --rules")
    work = tempfile.mkdtemp(prefix="iop-varied-")
    solve_highs = None
    if args.highs:
        from compare_peers import solve_highs
    print(f"time limit {args.time_limit:g} s, {args.runs} run(s) each, release build{', with --rules' if args.rules else ''}")
    print("| seed | shape | clients | proven | seconds | stages | HiGHS s | same objectives | check |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    proven, ratios = 0, []
    for seed in seeds(args.seeds):
        scenario = os.path.join(work, f"varied-{seed}.yaml")
        command = [sys.executable, os.path.join(HERE, f"generate_{args.generator}.py"), "--seed", str(seed)]
        if args.clients or args.generator == "scenario":
            command += ["--clients", str(args.clients)]
        if args.rules:
            command.append("--rules")
        with open(scenario, "w") as handle:
            subprocess.run(command, stdout=handle, check=True)
        with open(scenario) as handle:
            first = handle.readline()
        if args.generator == "scenario":
            shape, clients = "generate_scenario.py", str(args.clients)
        else:
            shape = first.split(": ", 1)[1].split(",")[0] if ": " in first else "-"
            clients = first.rsplit(", ", 1)[-1].split(" ")[0]
        times, plan = [], None
        stage_dir = os.path.join(work, f"stages-{seed}")
        for run in range(args.runs):
            roster = os.path.join(work, f"roster-{seed}.json")
            start = time.monotonic()
            extra = ["--stage-models", stage_dir] if run == 0 else []
            done = subprocess.run([IOP, "plan", scenario, "--format", "json", "--out", roster,
                                   "--time-limit", str(args.time_limit)] + extra, capture_output=True, text=True)
            times.append(time.monotonic() - start)
            if done.returncode == 0 and run == 0:
                with open(roster) as handle:
                    plan = json.load(handle)
        seconds = statistics.median(times)
        if plan is None:
            print(f"| {seed} | {shape} | {clients} | no roster | {seconds:.2f} | - | - | - | - |")
            continue
        stages = plan["solver"]["stages"]
        ok = plan["solver"]["status"] == "optimal"
        proven += ok
        check = subprocess.run([IOP, "check", scenario, os.path.join(work, f"roster-{seed}.json")], capture_output=True)
        summary = " ".join(stage_outcome(s) for s in stages)
        highs_text, same = highs_columns(solve_highs, stages, stage_dir, args.time_limit, seconds, ratios)
        print(f"| {seed} | {shape} | {clients} | {'yes' if ok else 'no'} | {seconds:.2f} | {summary} | {highs_text} | {same} | "
              f"{'valid' if check.returncode == 0 else 'INVALID'} |")
    print()
    print(f"proven optimal within {args.time_limit:g} s: {proven} of {len(seeds(args.seeds))}")
    if ratios:
        print(f"median ratio iop (whole process) / HiGHS (stages): {statistics.median(ratios):.2f}")


if __name__ == "__main__":
    main()
