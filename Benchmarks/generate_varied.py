#!/usr/bin/env python3
"""Seeded IOP weeks of other shapes than generate_scenario.py's, for proving the solver on
programs nobody tuned it for.

    python3 Benchmarks/generate_varied.py --seed 7 > week.yaml
    python3 Benchmarks/generate_varied.py --seed 7 --clients 60 > week.yaml

What the seed varies (the same arguments always give the same file):
- the program's time of day: morning, evening (after work), after school (adolescents
  only) or a five-day hospital day program of longer days;
- 3 to 5 days a week, and blocks of 45, 60, 90 or 120 minutes (three one-hour blocks
  make a billable day need every block);
- 1 to 4 tracks (adult, dual diagnosis, young adult, older adult, adolescent), each with
  its own groups, kept apart;
- 1 to 4 payers with weekly minimums of 6, 9, 12 or 16 hours, some with maximum =
  minimum, and authorizations that end mid-week;
- credentials held by one person only (the CADC for relapse prevention, the nurse for
  medication education), groups led by two staff (family), rooms small enough that
  seats bind in some blocks;
- mid-week facilitator absences and days off, clients available some days only, admissions
  on Tuesday or Wednesday, discharges on Thursday, keep-apart pairs.
--clients sets the census (default: 24 to 40, from the seed).

--rules adds the rules a program may set beyond the catalogue, from a second random
stream so the week is otherwise the same: relapse prevention led by a CADC or a licensed
clinician (requires_any), a staffing ratio on adolescent groups or program-wide
(two_facilitators_over), at most 2-3 days a week for evening and after-school clients,
PHP clients who come every day of a day program (levels_of_care), court dates and
appointments (client absent), a skills lab a client may take twice a day (once_a_day:
false), an accessible room with clients who need it, and a room kept for family groups.
"""
import argparse
import datetime
import math
import random

DAYS = ["mon", "tue", "wed", "thu", "fri"]
WEEK_OF = datetime.date(2026, 12, 7)


def flow(d):
    return "{" + ", ".join(f"{k}: {v}" for k, v in d.items()) + "}"


def date(offset):
    return (WEEK_OF + datetime.timedelta(days=offset)).isoformat()


def clock(minutes):
    return f'"{minutes // 60:02d}:{minutes % 60:02d}"'


SHAPES = {
    # name: (first start, block minutes choices, day lengths in minutes, tracks allowed)
    "morning": (9 * 60, [45, 60, 90], 180, ["adult", "dual-dx", "young-adult", "older-adult"]),
    "evening": (17 * 60 + 30, [45, 60], 180, ["adult", "dual-dx", "young-adult"]),
    "after-school": (15 * 60 + 30, [45, 60, 90], 150, ["adolescent"]),
    "day-program": (9 * 60, [90, 120], 330, ["adult", "dual-dx", "older-adult"]),
}

# Payers: name, weekly minimum, whether the maximum equals the minimum.
PAYERS = [("acme", 9, False), ("bluepeak", 12, True), ("cedar", 6, False), ("dunmore", 16, False)]


def emit(args):
    rng = random.Random(args.seed)
    rules = random.Random(args.seed * 7919 + 1) if args.rules else None
    shape = rng.choice(list(SHAPES))
    first, lengths, day_minutes, allowed = SHAPES[shape]
    length = rng.choice(lengths)
    n_blocks = max(2, round(day_minutes / (length + 15)))
    n_days = 5 if shape == "day-program" else rng.choice([3, 4, 4, 5]) if shape == "morning" else rng.choice([3, 4])
    days = DAYS[:n_days]
    blocks = []
    start = first
    for b in range(n_blocks):
        blocks.append((f"b{b + 1}", start, start + length))
        start += length + 15
    day_hours = n_blocks * length / 60
    clients_total = args.clients or rng.randint(24, 40)
    tracks = rng.sample(allowed, k=min(len(allowed), rng.randint(1, 4)))
    payers = rng.sample(PAYERS, k=rng.randint(1, 4))
    # A billable day needs most of the day: every block when blocks are an hour or less.
    billable = round(day_hours if length <= 60 else min(3.0, day_hours), 2)
    min_days = min(3, n_days)
    weekly_floor = min(p[1] for p in payers)

    shares = [rng.uniform(0.5, 1.5) for _ in tracks]
    counts = [max(4, int(clients_total * s / sum(shares))) for s in shares]
    counts[0] += clients_total - sum(counts)
    counts[0] = max(4, counts[0])

    groups, offerings, facilitators, clients, rooms = [], [], [], [], []
    # Rooms: a small one where seats bind, the rest of ordinary size.
    n_rooms = max(2, sum(math.ceil(c / 10) for c in counts))
    for r in range(n_rooms):
        capacity = rng.choice([6, 8]) if r == n_rooms - 1 else rng.choice([10, 12])
        room = {"id": f"room{r + 1}", "capacity": capacity}
        if rules and r == 0:
            room["accessible"] = "true"
        rooms.append(room)

    def sections(n, capacity, share):
        return max(1, math.ceil(n * share / capacity))

    plan_of = {}
    for track, count in zip(tracks, counts):
        teen = track == "adolescent"
        cap = 8 if teen else 10
        gs = [(f"process-{track}", "psychotherapy", cap, "[licensed]", 1, 1.0)]
        if track == "dual-dx":
            gs.append((f"relapse-{track}", "relapse-prevention", 10, "[cadc]", 1, 0.6))
        gs.append((f"skills-{track}", "skills", cap + 2, "[dbt-trained]", 1, 0.8))
        gs.append((f"psychoed-{track}", "psychoeducation", 12, "[]", 1, 0.6))
        if teen or rng.random() < 0.3:
            gs.append((f"family-{track}", "family", 8, "[licensed]", 2, 0.3))
        if rng.random() < 0.4:
            gs.append((f"med-ed-{track}", "psychoeducation", 12, "[nurse]", 1, 0.4))
        plan = {}
        for index, (gid, kind, capacity, requires, staff, share) in enumerate(gs):
            entry = {"id": gid, "kind": kind, "capacity": capacity, "requires": requires, "tracks": f"[{track}]"}
            if staff > 1:
                entry["facilitators_per_section"] = staff
            if rules:
                if kind == "relapse-prevention":
                    entry["requires"], entry["requires_any"] = "[]", "[cadc, licensed]"
                if teen and staff == 1 and kind != "psychotherapy":
                    entry["two_facilitators_over"] = 6
                if kind == "skills" and rules.random() < 0.3:
                    entry["once_a_day"] = "false"
            groups.append("  - " + flow(entry))
            # Process groups run every day in the first block; the others on some days, in
            # the later blocks (two groups of a track may share a block on different days).
            if index == 0:
                on_days, on_blocks = days, [blocks[0][0]]
            else:
                k = max(1, min(len(days), round(len(days) * rng.uniform(0.4, 0.9))))
                on_days = sorted(rng.sample(days, k), key=DAYS.index)
                on_blocks = [blocks[1 + (index - 1) % (len(blocks) - 1)][0]] if len(blocks) > 1 else [blocks[0][0]]
                if rng.random() < 0.3 and len(blocks) > 2:
                    on_blocks = [b[0] for b in blocks[1:]]
            n_sections = sections(count, capacity, share if index else 1.0)
            offerings.append("  - " + flow({"group": gid, "days": "[" + ", ".join(on_days) + "]",
                                            "blocks": "[" + ", ".join(on_blocks) + "]", "sections": n_sections}))
            if index == 0:
                plan[gid] = min(len(days), 3)
            elif rng.random() < 0.7:
                plan[gid] = rng.choice([1, 1, 2]) if staff == 1 else 1
        plan_of[track] = plan

    # Staff: enough licensed clinicians for the process sections; a CADC and a nurse held
    # by one person each; DBT training spread; some days off and a mid-week absence.
    n_staff = max(4, math.ceil(clients_total * rng.uniform(0.16, 0.24)))
    process_sections = sum(int(o.split("sections: ")[1].rstrip("}")) for o in offerings if "process-" in o)
    for i in range(n_staff):
        creds = []
        if i < max(2, process_sections) or rng.random() < 0.4:
            creds.append("licensed")
        if i % 3 == 1 or i == n_staff - 1:
            creds.append("dbt-trained")
        if i == 1:
            creds.append("cadc")
        if i == n_staff - 1:
            creds.append("nurse")
        if not creds:
            creds.append("bht")
        f = {"id": f"f-{i + 1:02d}", "credentials": "[" + ", ".join(creds) + "]",
             "max_sessions": flow({"per_day": rng.choice([2, 3]), "per_week": rng.choice([8, 10, 12])})}
        if rng.random() < 0.2 and len(days) > 3:
            off = rng.choice(days)
            f["available"] = flow({day: "all" for day in days if day != off})
        if rng.random() < 0.15:
            f["absent"] = f"[{date(rng.randrange(1, len(days)))}]"
        facilitators.append("  - " + flow(f))

    if rules and rules.random() < 0.3:
        # A room kept for the family groups, when there are any.
        family = [g.split("id: ")[1].split(",")[0] for g in groups if "family-" in g]
        if family and len(rooms) > 2:
            rooms[1]["only_for"] = "[" + ", ".join(family) + "]"
    names = []
    n = 0
    for track, count in zip(tracks, counts):
        for _ in range(count):
            n += 1
            cid = f"c-{n:03d}"
            names.append(cid)
            c = {"id": cid, "track": track}
            payer, minimum, exact = rng.choice(payers)
            if track == "adolescent":
                minimum = min(minimum, 6)
            # A week cannot give more than the days times the day's hours.
            minimum = min(minimum, day_hours * len(days))
            maximum = minimum if exact else min(19, day_hours * len(days))
            ends = date(6)
            if rng.random() < 0.08:
                ends = date(rng.randrange(2, len(days)))
            c["authorization"] = flow({"payer": payer, "number": f"{payer[0].upper()}-{1000 + n}", "from": date(-7), "to": ends,
                                       "min_hours_per_week": f"{minimum:g}", "max_hours_per_week": f"{max(minimum, maximum):g}"})
            if rng.random() < 0.25 and len(days) > 3:
                some = sorted(rng.sample(days, len(days) - 1), key=DAYS.index)
                c["available"] = flow({day: "all" for day in some})
            if rng.random() < 0.06:
                c["admitted"] = date(rng.choice([1, 2]))
            elif rng.random() < 0.05:
                c["discharge_planned"] = date(min(3, len(days) - 1))
            c["plan"] = flow(plan_of[track])
            if rules:
                if shape == "day-program" and rules.random() < 0.4:
                    c["authorization"] = c["authorization"][:-1] + ", level_of_care: PHP}"
                if shape in ("evening", "after-school") and rules.random() < 0.5:
                    c["max_days_per_week"] = max(min_days, rules.choice([2, 3]))
                if rules.random() < 0.08:
                    c["absent"] = f"[{date(rules.randrange(0, len(days)))}]"
                if rules.random() < 0.06:
                    c["needs_accessible_room"] = "true"
            clients.append(c)
    # A few keep-apart pairs within a track.
    for _ in range(rng.randint(0, 3)):
        a = rng.choice(clients)
        peers = [c for c in clients if c["track"] == a["track"] and c is not a]
        if peers:
            b = rng.choice(peers)
            a["keep_apart"] = f"[{b['id']}]"

    print(f"# Varied week, seed {args.seed}: {shape} program, {len(days)} days, {n_blocks} blocks of {length} min, "
          f"{len(tracks)} track(s), {len(payers)} payer(s), {clients_total} clients.")
    print("program:")
    print(f"  name: Varied IOP (seed {args.seed}, {shape})")
    print(f"  week_of: {date(0)}")
    print(f"  days: [{', '.join(days)}]")
    print("  blocks:")
    for bid, a, b in blocks:
        print(f"    - {{id: {bid}, start: {clock(a)}, end: {clock(b)}}}")
    print(f"  rooms: [{', '.join(flow(r) for r in rooms)}]")
    extra = ""
    if rules:
        if shape == "day-program":
            extra += f", levels_of_care: {{PHP: {{min_days_per_week: {len(days)}}}}}"
        if rules.random() < 0.25:
            extra += ", two_facilitators_over: 10"
    print(f"  policy: {{min_participants: 2, billable_day_min_hours: {billable:g}, min_days_per_week: {min_days}, "
          f"min_hours_per_week: {min(weekly_floor, day_hours * len(days)):g}, max_hours_per_week: 19{extra}}}")
    tracks_line = ", ".join(f"{{id: {t}, min_hours_per_week: 6}}" if t == "adolescent" else f"{{id: {t}}}" for t in tracks)
    print(f"  tracks: [{tracks_line}]")
    print("groups:")
    print("\n".join(groups))
    print("offerings:")
    print("\n".join(offerings))
    print("facilitators:")
    print("\n".join(facilitators))
    print("clients:")
    for c in clients:
        print("  - " + flow(c))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--clients", type=int, default=0, help="the census (default: 24 to 40, from the seed)")
    parser.add_argument("--rules", action="store_true", help="add the rules beyond the catalogue (see above)")
    emit(parser.parse_args())


if __name__ == "__main__":
    main()
