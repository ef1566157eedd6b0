#!/usr/bin/env python3
"""iop plan against HiGHS and CBC on exactly our model, stage by stage.

    swift build -c release
    pip install highspy; apt-get install coinor-cbc      # the peers
    python3 Benchmarks/compare_peers.py Scenarios/cedar-grove-mixed.yaml [--time-limit 60]

`iop plan --stage-models DIR` writes each stage's model as CPLEX LP (tiers above held at
what iop reached), then plans as usual. Each peer solves every stage file with the same
time limit, single-threaded. The table shows, per stage, status, objective, bound and
seconds for each solver; the last lines give total time and the ratio of each peer's
time to iop's (above 1 means iop was faster) and whether the objectives agree.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
IOP = os.path.join(ROOT, ".build", "release", "iop")


def solve_highs(path, limit):
    try:
        import highspy
    except ImportError:
        return None
    highs = highspy.Highs()
    highs.setOptionValue("output_flag", False)
    highs.setOptionValue("time_limit", float(limit))
    highs.setOptionValue("threads", 1)
    highs.readModel(path)
    start = time.monotonic()
    highs.run()
    seconds = time.monotonic() - start
    info = highs.getInfo()
    status = highs.modelStatusToString(highs.getModelStatus()).lower()
    constant = objective_constant(path)
    objective = info.objective_function_value + constant if info.primal_solution_status else None
    return status, objective, info.mip_dual_bound + constant, seconds


def objective_constant(path):
    """The objective's constant, which GLPK writes as a comment (`constant term = N`) that
    other readers skip: a re-plan's stability tier counts changes from a constant."""
    with open(path) as handle:
        for line in handle:
            if "constant term = " in line:
                return float(line.split("constant term = ", 1)[1].split()[0])
            if line.startswith("Subject To"):
                break
    return 0.0


def solve_cbc(path, limit):
    if not shutil.which("cbc"):
        return None
    start = time.monotonic()
    out = subprocess.run(["cbc", path, "sec", str(limit), "threads", "1", "solve", "quit"],
                         capture_output=True, text=True).stdout
    seconds = time.monotonic() - start
    status = "optimal" if "Optimal solution found" in out else ("time limit" if "Stopped on time" in out else "other")
    objective = re.search(r"Objective value:\s+([-0-9.eE+]+)", out)
    bound = re.search(r"Lower bound:\s+([-0-9.eE+]+)", out)
    constant = objective_constant(path)
    return (status, float(objective.group(1)) + constant if objective else None,
            float(bound.group(1)) + constant if bound else None, seconds)


def fmt(value):
    return "-" if value is None else (f"{value:.4g}" if isinstance(value, float) else str(value))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("scenario")
    ap.add_argument("--time-limit", type=float, default=60)
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="iop-peers-")
    start = time.monotonic()
    out = subprocess.run([IOP, "plan", args.scenario, "--format", "json", "--time-limit", str(args.time_limit),
                          "--stage-models", work], capture_output=True, text=True, check=True).stdout
    iop_wall = time.monotonic() - start
    stages = json.loads(out)["solver"]["stages"]
    print(f"{os.path.basename(args.scenario)}: time limit {args.time_limit:g} s per stage for the peers, single thread")
    print("| stage | solver | status | objective | bound | seconds |")
    print("| --- | --- | --- | --- | --- | --- |")
    totals = {"iop": 0.0, "HiGHS": 0.0, "CBC": 0.0}
    agree = {"HiGHS": True, "CBC": True}
    for stage in stages:
        tier = stage["tier"]
        path = os.path.join(work, f"tier{tier}.lp")
        print(f"| tier {tier} | iop (GLPK) | {stage['stopped']} | {fmt(stage.get('objective'))} | {fmt(stage.get('bound'))} | {stage['seconds']:.2f} |")
        totals["iop"] += stage["seconds"]
        for name, solve in (("HiGHS", solve_highs), ("CBC", solve_cbc)):
            result = solve(path, args.time_limit)
            if result is None:
                print(f"| tier {tier} | {name} | not installed | - | - | - |")
                continue
            status, objective, bound, seconds = result
            totals[name] += seconds
            if objective is None or stage.get("objective") is None or abs(objective - stage["objective"]) > 1e-6 * max(1, abs(objective)):
                agree[name] = False
            print(f"| tier {tier} | {name} | {status} | {fmt(objective)} | {fmt(bound)} | {seconds:.2f} |")
    print()
    print(f"iop plan, whole process: {iop_wall:.2f} s; solver stages: {totals['iop']:.2f} s")
    for name in ("HiGHS", "CBC"):
        if totals[name] > 0:
            ratio = totals[name] / max(totals["iop"], 1e-9)
            print(f"{name}: {totals[name]:.2f} s over the same stages; {name}/iop time ratio {ratio:.2f}; "
                  f"same objectives: {'yes' if agree[name] else 'no'}")


if __name__ == "__main__":
    main()
