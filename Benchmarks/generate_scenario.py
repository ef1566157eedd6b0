#!/usr/bin/env python3
"""Deterministic, seeded IOP scenario generator (realistic numbers from shared/domain.md).

    python3 Benchmarks/generate_scenario.py --clients 36 --seed 1 > week.yaml

One program (or several independent ones with --programs, each with its own rooms, staff
and groups) of adult, dual-diagnosis and adolescent clients. Adults and dual-diagnosis
clients attend mornings (process group, then skills / relapse prevention / psychoeducation,
mindfulness after lunch); adolescents come after school. Sections per offering follow the
census; staff numbers follow --staff (facilitators per 10 clients); --partial is the share
of clients available only some days. The same arguments always give the same file.
"""
import argparse
import contextlib
import os
import math
import random

DAYS = ["mon", "tue", "wed", "thu", "fri"]


def flow(d):
    return "{" + ", ".join(f"{k}: {v}" for k, v in d.items()) + "}"


def program_block(rng, prefix, n_clients, shares, staff_per_10, partial):
    counts = {t: int(round(n_clients * s)) for t, s in shares.items()}
    counts["adult"] += n_clients - sum(counts.values())
    p = prefix
    groups, offerings, facilitators, clients, rooms = [], [], [], [], []

    def sections(n, cap, sessions_each, days):
        # seats needed per offering day, with 25% slack for availability patterns
        return max(1, math.ceil(n * sessions_each * 1.25 / (cap * days)))

    a, d, t = counts.get("adult", 0), counts.get("dual-dx", 0), counts.get("adolescent", 0)
    morning = a + d
    if a:
        groups.append(f"  - {{id: {p}process-adult, kind: psychotherapy, capacity: 10, requires: [licensed], tracks: [{p}adult]}}")
        offerings.append(f"  - {{group: {p}process-adult, days: all, blocks: [am1], sections: {sections(a, 10, 3, 5)}}}")
    if d:
        groups.append(f"  - {{id: {p}process-dd, kind: psychotherapy, capacity: 10, requires: [licensed, addiction], tracks: [{p}dual-dx]}}")
        offerings.append(f"  - {{group: {p}process-dd, days: all, blocks: [am1], sections: {sections(d, 10, 3, 5)}}}")
        groups.append(f"  - {{id: {p}relapse, kind: relapse-prevention, capacity: 10, requires: [addiction], tracks: [{p}dual-dx]}}")
        offerings.append(f"  - {{group: {p}relapse, days: all, blocks: [am2], sections: {sections(d, 10, 2.5, 5)}}}")
    if morning:
        tr = ", ".join(x for x, n in ((f"{p}adult", a), (f"{p}dual-dx", d)) if n)
        groups.append(f"  - {{id: {p}dbt, kind: skills, capacity: 12, requires: [dbt-trained], tracks: [{tr}]}}")
        offerings.append(f"  - {{group: {p}dbt, days: [mon, wed, fri], blocks: [am2], sections: {sections(morning, 12, 1.5, 3)}}}")
        groups.append(f"  - {{id: {p}psychoed, kind: psychoeducation, capacity: 12, tracks: [{tr}]}}")
        offerings.append(f"  - {{group: {p}psychoed, days: [tue, thu], blocks: [am2], sections: {sections(morning, 12, 1, 2)}}}")
        groups.append(f"  - {{id: {p}mindfulness, kind: skills, capacity: 12, tracks: [{tr}]}}")
        offerings.append(f"  - {{group: {p}mindfulness, days: [mon, tue, wed, thu], blocks: [pm1], sections: {sections(morning, 12, 0.5, 4)}}}")
    if t:
        groups.append(f"  - {{id: {p}process-teen, kind: psychotherapy, capacity: 8, requires: [licensed], tracks: [{p}adolescent]}}")
        offerings.append(f"  - {{group: {p}process-teen, days: [mon, tue, wed, thu], blocks: [ev1], sections: {sections(t, 8, 3, 4)}}}")
        groups.append(f"  - {{id: {p}skills-teen, kind: skills, capacity: 10, requires: [dbt-trained], tracks: [{p}adolescent]}}")
        offerings.append(f"  - {{group: {p}skills-teen, days: [mon, tue, thu], blocks: [ev2], sections: {sections(t, 10, 2, 3)}}}")
        groups.append(f"  - {{id: {p}family, kind: family, capacity: 8, requires: [licensed], tracks: [{p}adolescent]}}")
        offerings.append(f"  - {{group: {p}family, days: [wed], blocks: [ev2], sections: {sections(t, 8, 0.5, 1)}}}")

    # Rooms: enough for the busiest block, with capacities 10-12. Several programs each keep
    # to their own rooms (their groups name them) and staff (their offerings name them),
    # so they share nothing.
    busiest = max([sum(int(o.split("sections: ")[1].rstrip("}")) for o in offerings if f"blocks: [{b}]" in o)
                   for b in ("am1", "am2", "pm1", "ev1", "ev2")] + [1])
    for r in range(busiest):
        rooms.append(f"{{id: {p}room{r + 1}, capacity: {rng.choice([10, 12, 12])}}}")

    if prefix:
        own = "[" + ", ".join(f"{p}room{r + 1}" for r in range(len(rooms))) + "]"
        groups = [g[:-1] + f", rooms: {own}}}" for g in groups]
    n_staff = max(3, math.ceil((a + d + t) * staff_per_10 / 10))
    for i in range(n_staff):
        creds = []
        if i % 2 == 0 or i < 2:
            creds.append("licensed")
        if i % 3 == 1 or i == 0:
            creds.append("dbt-trained")
        if d and i % 4 in (2, 3):
            creds.append("addiction")
        if not creds:
            creds.append("bht")
        f = {"id": f"{p}f-{i + 1:02d}", "credentials": "[" + ", ".join(creds) + "]",
             "max_sessions": flow({"per_day": 3, "per_week": 12})}
        if rng.random() < 0.2:
            off = rng.choice(DAYS)
            f["available"] = flow({day: "all" for day in DAYS if day != off})
        if rng.random() < 0.1:
            f["absent"] = f"[2026-12-{7 + rng.randrange(5):02d}]"
        facilitators.append("  - " + flow(f))

    if prefix:
        # Each program's groups are led by its own staff.
        staff = "[" + ", ".join(f"{p}f-{i + 1:02d}" for i in range(n_staff)) + "]"
        offerings = [o[:-1] + f", facilitators: {staff}}}" for o in offerings]

    n = 0
    for track, count in (("adult", a), ("dual-dx", d), ("adolescent", t)):
        for _ in range(count):
            n += 1
            c = {"id": f"{p}c-{n:04d}", "track": f"{p}{track}"}
            if rng.random() < partial:
                days = sorted(rng.sample(DAYS if track != "adolescent" else DAYS[:4], 3), key=DAYS.index)
                c["available"] = flow({day: "all" for day in days})
            if track == "adult":
                plan = {f"{p}process-adult": 3}
                plan.update(rng.choice([{f"{p}dbt": 2}, {f"{p}dbt": 1, f"{p}psychoed": 1}, {f"{p}psychoed": 2}, {f"{p}dbt": 2, f"{p}mindfulness": 1}]))
            elif track == "dual-dx":
                plan = {f"{p}process-dd": 3, f"{p}relapse": rng.choice([2, 3])}
                if rng.random() < 0.4:
                    plan[f"{p}dbt"] = 1
            else:
                plan = {f"{p}process-teen": 3, f"{p}skills-teen": 2}
                if rng.random() < 0.3:
                    plan[f"{p}family"] = 1
            c["plan"] = flow(plan)
            if rng.random() < 0.05:
                c["admitted"] = f"2026-12-{8 + rng.randrange(2):02d}"
            clients.append("  - " + flow(c))
    tracks = [f"{{id: {p}{tr}" + (", min_hours_per_week: 6}" if tr == "adolescent" else "}") for tr, cnt in counts.items() if cnt]
    return groups, offerings, facilitators, clients, rooms, tracks


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--clients", type=int, default=36)
    ap.add_argument("--programs", type=int, default=1, help="independent programs sharing nothing")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--staff", type=float, default=2.2, help="facilitators per 10 clients")
    ap.add_argument("--partial", type=float, default=0.25, help="share of clients available 3 days only")
    ap.add_argument("--adolescents", type=float, default=0.2, help="share of adolescents")
    ap.add_argument("--dual", type=float, default=0.3, help="share of dual-diagnosis clients")
    ap.add_argument("--out-dir", help="write one scenario file per program into this folder instead of one file to stdout")
    args = ap.parse_args()
    if args.out_dir:
        os.makedirs(args.out_dir, exist_ok=True)
        per = [args.clients // args.programs + (1 if i < args.clients % args.programs else 0) for i in range(args.programs)]
        for k, n in enumerate(per):
            path = os.path.join(args.out_dir, f"program-{k + 1}.yaml")
            with open(path, "w") as handle, contextlib.redirect_stdout(handle):
                emit(argparse.Namespace(**{**vars(args), "clients": n, "programs": 1, "seed": args.seed * 100 + k}))
        return
    emit(args)


def emit(args):
    rng = random.Random(args.seed)
    shares = {"adult": 1 - args.adolescents - args.dual, "dual-dx": args.dual, "adolescent": args.adolescents}
    parts = [[] for _ in range(6)]
    per = [args.clients // args.programs + (1 if i < args.clients % args.programs else 0) for i in range(args.programs)]
    for k, n in enumerate(per):
        prefix = f"p{k + 1}-" if args.programs > 1 else ""
        for bucket, items in zip(parts, program_block(rng, prefix, n, shares, args.staff, args.partial)):
            bucket.extend(items)
    groups, offerings, facilitators, clients, rooms, tracks = parts
    print(f"# Generated by Benchmarks/generate_scenario.py --clients {args.clients} --programs {args.programs} "
          f"--seed {args.seed} --staff {args.staff} --partial {args.partial} --adolescents {args.adolescents} --dual {args.dual}")
    print(f"""program:
  name: Generated IOP ({args.clients} clients, seed {args.seed})
  week_of: 2026-12-07
  days: [mon, tue, wed, thu, fri]
  blocks:
    - {{id: am1, start: "09:00", end: "10:30"}}
    - {{id: am2, start: "10:45", end: "12:15"}}
    - {{id: pm1, start: "13:00", end: "14:00"}}
    - {{id: ev1, start: "15:30", end: "17:00"}}
    - {{id: ev2, start: "17:15", end: "18:45"}}
  rooms: [{", ".join(rooms)}]
  policy: {{min_participants: 3, billable_day_min_hours: 3, min_days_per_week: 3}}
  tracks: [{", ".join(tracks)}]""")
    for title, items in (("groups", groups), ("offerings", offerings), ("facilitators", facilitators), ("clients", clients)):
        print(f"{title}:")
        print("\n".join(items))


if __name__ == "__main__":
    main()
