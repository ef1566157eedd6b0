#!/usr/bin/env python3
"""Seeded fuzzing of every input iop reads, run against the built binary.

    python3 Tests/fuzz/fuzz.py --iop .build/debug/iop --count 200 --seed 1
    python3 Tests/fuzz/fuzz.py --count 10000 --kinds scenario      # longer, on demand

Kinds: scenario (plan), events (replan), roster (check and publish), sheet (attendance
import), census (census import), lp (solve-lp), options (every command's numbers and dates),
service (iop serve: mutated events documents, sign-in sheets, login bodies and query values
sent to the API; every answer must be a documented status, never a 500, within the time
limit plus a margin, without a client's preferred name, and the server must stay up). Each mutant is one
small change to a bundled input: a number made extreme, a line dropped, doubled or cut,
a value emptied or nulled, a control character, a byte-order mark, a date or time made
odd. Every run must end in one of the documented exit codes, never a signal; within its
time limit plus a margin; and without any client's preferred name in what it prints to
standard error. A roster a mutant run wrote must pass `iop check`. A summary table is
printed; the exit status is 1 when any mutant broke a rule, and each failure is kept in
the work folder (its path is printed) for replay.
"""
import argparse
import http.cookiejar
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = ROOT / "Scenarios" / "riverbend-small.yaml"
# A second scenario mutated in turn: every program rule beyond the catalogue.
RULES = ROOT / "Scenarios" / "maple-evening-teens.yaml"
EVENTS = ROOT / "Scenarios" / "events" / "riverbend-thursday-absence.yaml"
ROSTER = ROOT / "Scenarios" / "rosters" / "riverbend-small-published.json"
LP = ROOT / "Scenarios" / "lp" / "small-roster.lp"
# Exit codes iop documents: 0 ok, 1 check found violations, 3 no solution, 4 outdated
# version, 64 usage, 65 invalid input, 66 unreadable, 70 solver failure, 73 unwritable,
# 75 record busy.
DOCUMENTED = {0, 1, 3, 4, 64, 65, 66, 70, 73, 75}
LIMIT = 3  # --time-limit given to every solve
MARGIN = 20  # seconds a run may take beyond its limit (loading, a loaded machine)

EXTREMES = ["0", "-1", "1e30", "-1e30", "9223372036854775807", "-9223372036854775808", "1e-300", ".nan", ".inf",
            "NaN", "", "~", "\"\"", "99999999999999999999", "0.5", "+7", "2.5e2"]
PLAUSIBLE = ["0", "1", "2", "3", "7", "12", "24", "99", "168", "1000", "1000000"]
ODD_DATES = ["2026-12-+7", "9999-12-31", "0000-01-01", "2026-02-30", "2026-13-01", "26-12-07", "2026-12-07T", "+2026-12-07"]
ODD_TIMES = ["+9:00", "24:00", "9:60", "-1:00", "09:00:00", "9", ":", "99:99"]
# A census export: an admission with its authorization, a new authorization, a discharge, an unchanged client.
CENSUS = """client_id,track,admitted,planned_discharge,payer,authorization,authorized_from,authorized_to,level_of_care,min_hours,max_hours,plan,clinician,keep_apart
c-201,adult,2026-12-09,2027-01-22,acme,A-4410,2026-12-09,2026-12-22,IOP,9,12,process:2;dbt:1,f-lee,c-105
c-107,adult,,,acme,A-99900,2026-12-09,2026-12-23,IOP,9,12,,,
c-104,adult,,2026-12-10,,,,,,,,,,
c-101,adult,,,,,,,,,,process:3;dbt:2,,
"""
CONTROL = ["\x00", "\x07", "\x1b", "\x7f", "\u2028", "\ufeff"]


def names_in(text):
    """Preferred names the mutant's scenario gives (none may appear on stderr)."""
    return set(re.findall(r"Zed-[A-Za-z]+-\d+", text))


def with_names(text):
    """The scenario with a preferred name on every client, so a leak would show."""
    counter = iter(range(1, 10_000))

    def add(match):
        return f"{match.group(0)}, preferred_name: Zed-Name-{next(counter)}"
    return re.sub(r"\{id: [ct]-\d+", add, text)


NUMBER = r"(?<![\w.-])\d+(\.\d+)?(?![\w:-])"
VALUE = r"(?:id|client|facilitator|group|room|track|session_id): ?([\w-]+)"
ODD_VALUES = ["", "~", "null", "\"\"", "x" * 300, "c-101", "f-lee"]


def replace_one(text, rng, pattern, choices, group=0):
    """One match of the pattern (its group) replaced by one of the choices; None without a match."""
    spans = [(m.start(group), m.end(group)) for m in re.finditer(pattern, text)]
    if not spans:
        return None
    a, b = rng.choice(spans)
    return text[:a] + rng.choice(choices) + text[b:]


def mutate(text, rng):
    """One small change, picked at random."""
    lines = text.split("\n")
    choice = rng.randrange(12)
    i = rng.randrange(len(lines))
    replaced = None
    if choice >= 10:  # a number made unusual but valid, so the solver sees it
        replaced = replace_one(text, rng, NUMBER, PLAUSIBLE)
    elif choice == 0:  # a number made extreme
        replaced = replace_one(text, rng, NUMBER, EXTREMES)
    elif choice == 5:  # a date made odd
        replaced = replace_one(text, rng, r"\d{4}-\d{2}-\d{2}", ODD_DATES)
    elif choice == 6:  # a time made odd
        replaced = replace_one(text, rng, r"\d{2}:\d{2}", ODD_TIMES)
    elif choice == 7:  # a value emptied or nulled
        replaced = replace_one(text, rng, VALUE, ODD_VALUES, group=1)
    if replaced is not None:
        return replaced
    if choice == 1:  # a line dropped
        return "\n".join(lines[:i] + lines[i + 1:])
    if choice == 2:  # a line doubled (duplicate keys and IDs)
        return "\n".join(lines[:i + 1] + [lines[i]] + lines[i + 1:])
    if choice == 3:  # the file cut short
        return text[:rng.randrange(len(text) + 1)]
    if choice == 4:  # a control character
        at = rng.randrange(len(text) + 1)
        return text[:at] + rng.choice(CONTROL) + text[at:]
    if choice == 8:  # two lines swapped
        j = rng.randrange(len(lines))
        lines[i], lines[j] = lines[j], lines[i]
        return "\n".join(lines)
    # A token repeated many times (a large input).
    return text + "\n" + "\n".join([lines[i]] * rng.randrange(1, 2000))


class Fuzz:
    def __init__(self, iop, work):
        self.iop = iop
        self.work = work
        self.rows = {}
        self.failures = []

    def run(self, kind, args, stdin=None, limit=LIMIT, names=(), check=None):
        """One run of iop; records its outcome and any rule it broke."""
        try:
            done = subprocess.run([self.iop] + args, cwd=self.work, input=stdin, capture_output=True,
                                  timeout=limit + MARGIN)
        except subprocess.TimeoutExpired:
            return self.fail(kind, args, "hang", f"still running after {limit + MARGIN} s")
        row = self.rows.setdefault(kind, {"runs": 0, "ok": 0, "errors": 0})
        row["runs"] += 1
        code = done.returncode
        stderr = done.stderr.decode("utf-8", "replace")
        if code < 0 or code not in DOCUMENTED:
            return self.fail(kind, args, "signal" if code < 0 or code >= 128 else "exit", f"exit {code}: {stderr[-400:]}")
        leaked = [name for name in names if name in stderr]
        if leaked:
            return self.fail(kind, args, "name", f"stderr names {leaked[:3]}")
        if len(done.stderr) > 200_000:
            return self.fail(kind, args, "size", f"{len(done.stderr)} bytes on stderr")
        if code == 0:
            row["ok"] += 1
            if check:
                verdict = subprocess.run([self.iop, "check"] + check, cwd=self.work, capture_output=True, timeout=60)
                if verdict.returncode != 0:
                    return self.fail(kind, args, "invalid", verdict.stdout.decode()[-400:])
        else:
            row["errors"] += 1
        return code

    def fail(self, kind, args, what, detail):
        keep = Path(self.work) / f"failure-{len(self.failures) + 1}"
        keep.mkdir()
        for name in os.listdir(self.work):
            path = Path(self.work) / name
            if path.is_file() and name != "iop-under-test":
                shutil.copy(path, keep / name)
        self.failures.append((kind, what, " ".join(args), detail, keep))
        self.rows.setdefault(kind, {"runs": 0, "ok": 0, "errors": 0}).setdefault(what, 0)
        self.rows[kind][what] = self.rows[kind].get(what, 0) + 1
        return None


# Statuses the API documents (docs/openapi.yaml); a 500 or a dropped connection is a failure.
ANSWERS = {200, 201, 202, 204, 400, 401, 403, 404, 409, 413, 422, 503}


class Server:
    """iop serve on a copy of the record, logged in as a coordinator."""

    def __init__(self, fuzz, record):
        self.fuzz = fuzz
        served = Path(fuzz.work, "served.sqlite")
        shutil.copy(record, served)
        subprocess.run([fuzz.iop, "user", "add", str(served), "dana", "--role", "coordinator"],
                       input=b"a long coordinator passphrase\n", capture_output=True, check=True)
        self.log = open(Path(fuzz.work, "serve.log"), "w+")
        self.process = subprocess.Popen([fuzz.iop, "serve", str(served), "--port", "0", "--time-limit", str(LIMIT)],
                                        stdout=self.log, stderr=subprocess.STDOUT)
        for _ in range(600):
            self.log.seek(0)
            found = re.search(r"http://127\.0\.0\.1:(\d+)", self.log.read())
            if found:
                break
            time.sleep(0.1)
        else:
            raise SystemExit("iop serve did not start")
        self.site = f"http://127.0.0.1:{found.group(1)}"
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        status, body = self.send("POST", "/api/login", json.dumps({"name": "dana", "password": "a long coordinator passphrase"}).encode())
        self.token = json.loads(body)["csrf_token"]

    def send(self, method, path, body=None):
        request = urllib.request.Request(self.site + path, data=body, method=method,
                                         headers={"X-CSRF-Token": getattr(self, "token", "")})
        try:
            with self.opener.open(request, timeout=LIMIT + MARGIN) as answer:
                return answer.status, answer.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8", "replace")

    def run(self, method, path, body, names):
        """One request; records its outcome and any rule it broke."""
        kind = "service"
        row = self.fuzz.rows.setdefault(kind, {"runs": 0, "ok": 0, "errors": 0})
        row["runs"] += 1
        what = f"{method} {path}"
        if body is not None:
            Path(self.fuzz.work, "request.txt").write_bytes(body)
        try:
            status, text = self.send(method, path, body)
        except Exception as error:  # a dropped connection, a timeout
            return self.fuzz.fail(kind, [what], "hang" if "timed out" in str(error) else "exit", str(error))
        if self.process.poll() is not None:
            return self.fuzz.fail(kind, [what], "signal", f"the server exited with {self.process.returncode}")
        if status not in ANSWERS:
            return self.fuzz.fail(kind, [what], "exit", f"status {status}: {text[-400:]}")
        self.log.seek(0)
        leaked = [name for name in names if name in text or name in self.log.read()]
        if leaked:
            return self.fuzz.fail(kind, [what], "name", f"names {leaked[:3]}")
        row["ok" if status < 300 else "errors"] += 1
        return status

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=60)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--iop", default=str(ROOT / ".build" / "debug" / "iop"))
    parser.add_argument("--count", type=int, default=100, help="mutants of each kind")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--kinds", default="scenario,events,roster,sheet,census,lp,options,service")
    arguments = parser.parse_args()
    rng = random.Random(arguments.seed)
    work = tempfile.mkdtemp(prefix="iop-fuzz-")
    os.chmod(work, 0o700)
    # A copy of the binary, so a rebuild during a long run does not pull it away.
    binary = os.path.join(work, "iop-under-test")
    shutil.copy2(arguments.iop, binary)
    fuzz = Fuzz(binary, work)
    base = with_names(SCENARIO.read_text())
    rules = with_names(RULES.read_text())
    names = names_in(base) | names_in(rules)
    Path(work, "base.yaml").write_text(base)
    events = EVENTS.read_text()
    roster = ROSTER.read_text()
    record = Path(work, "base.sqlite")
    subprocess.run([fuzz.iop, "init", str(record)], capture_output=True, check=True)
    subprocess.run([fuzz.iop, "import", str(record), "base.yaml"], cwd=work, capture_output=True, check=True)
    Path(work, "week.json").write_text(roster)
    subprocess.run([fuzz.iop, "publish", str(record), "week.json", "--scenario", "base.yaml"], cwd=work, capture_output=True, check=True)
    sessions = json.loads(roster)["sessions"]
    sheet = "session_id,client,status,minutes,reason\n" + "\n".join(
        f"{s['id']},{c},present,," for s in sessions if s["day"] == "mon" for c in s["members"])
    kinds = arguments.kinds.split(",")
    server = Server(fuzz, record) if "service" in kinds else None

    for n in range(arguments.count):
        if "scenario" in kinds:
            text = mutate(base if n % 2 == 0 else rules, rng)
            Path(work, "m.yaml").write_text(text, errors="surrogatepass")
            for leftover in ("out.json",):
                Path(work, leftover).unlink(missing_ok=True)
            fuzz.run("scenario", ["plan", "m.yaml", "--time-limit", str(LIMIT), "--format", "json", "--out", "out.json"],
                     names=names | names_in(text), check=["m.yaml", "out.json"])
        if "events" in kinds:
            Path(work, "e.yaml").write_text(mutate(events, rng))
            Path(work, "out.json").unlink(missing_ok=True)
            fuzz.run("events", ["replan", "base.yaml", "--roster", "week.json", "--events", "e.yaml", "--now", "2026-12-10T07:30",
                                "--time-limit", str(LIMIT), "--format", "json", "--out", "out.json"],
                     names=names, check=["base.yaml", "out.json", "--events", "e.yaml"])
        if "roster" in kinds:
            Path(work, "r.json").write_text(mutate(roster, rng))
            fuzz.run("roster", ["check", "base.yaml", "r.json"], names=names)
            copy = Path(work, "r.sqlite")
            shutil.copy(record, copy)
            fuzz.run("roster", ["publish", str(copy), "r.json", "--scenario", "base.yaml"], names=names)
        if "sheet" in kinds:
            Path(work, "s.csv").write_text(mutate(sheet, rng))
            copy = Path(work, "s.sqlite")
            shutil.copy(record, copy)
            fuzz.run("sheet", ["attendance", "import", str(copy), "s.csv"], names=names)
        if "census" in kinds:
            Path(work, "census.csv").write_text(mutate(CENSUS, rng), errors="surrogatepass")
            copy = Path(work, "c.sqlite")
            shutil.copy(record, copy)
            fuzz.run("census", ["census", "import", str(copy), "census.csv", "--scenario", "base.yaml", "--as-of", "2026-12-09T07:00"],
                     names=names)
        if "lp" in kinds:
            Path(work, "m.lp").write_text(mutate(LP.read_text(), rng))
            fuzz.run("lp", ["solve-lp", "m.lp", "--time-limit", str(LIMIT)])
        if "options" in kinds:
            value = rng.choice(EXTREMES + ODD_DATES + ODD_TIMES + ["7", "7d", "2026-12-09", "2026-12-09T07:00"])
            copy = Path(work, "o.sqlite")
            shutil.copy(record, copy)
            command = rng.choice([
                ["plan", "base.yaml", "--time-limit", value],
                ["plan", "base.yaml", "--gap", value, "--time-limit", str(LIMIT)],
                ["replan", "base.yaml", "--roster", "week.json", "--events", str(EVENTS), "--now", value, "--time-limit", str(LIMIT)],
                ["auth", "due", str(copy), "--as-of", "2026-12-09", "--within", value],
                ["auth", "due", str(copy), "--as-of", value],
                ["auth", "decide", str(copy), "A-99812", "--on", "2026-12-09", "--denied", "--appeal-days", value],
                ["auth", "decide", str(copy), "A-99812", "--on", "2026-12-09", "--step-down", "--min-hours", value, "--max-hours", "12"],
                ["payer", str(copy), "acme", "--review-every", value],
                ["payer", str(copy), "acme", "--day-min-hours", value],
                ["attendance", "report", str(copy), "--as-of", value],
                ["reminders", "base.yaml", "--roster", "week.json", "--for", value],
                ["whatif", "base.yaml", "--roster", "week.json", "--absent", "f-lee", "--on", value, "--now", "2026-12-09T07:00",
                 "--time-limit", str(LIMIT)],
                ["week", "start", str(copy), "--scenario", "base.yaml", "--week", value, "--out", "w.yaml", "--time-limit", str(LIMIT)],
                ["lock", str(copy), "--scenario", "base.yaml", "--session", rng.choice([s["id"] for s in sessions] + [value]),
                 "--as-of", value],
            ])
            limit = LIMIT
            if command[0] == "plan" and command[2] == "--time-limit":
                try:
                    limit = max(LIMIT, min(float(value), 60))
                except ValueError:
                    pass
            fuzz.run("options", command, names=names, limit=limit)
        if server:
            value = rng.choice(EXTREMES + ODD_DATES + ODD_TIMES + ["2026-12-09", "2026-12-10T07:30"])
            login = json.dumps({"name": "dana", "password": "a long coordinator passphrase"})
            method, path, body = rng.choice([
                ("POST", "/api/events?now=2026-12-10T07:30", mutate(events, rng).encode("utf-8", "surrogatepass")),
                ("POST", f"/api/events?now={urllib.request.quote(value)}", events.encode()),
                ("POST", "/api/attendance", mutate(sheet, rng).encode("utf-8", "surrogatepass")),
                ("POST", "/api/login", mutate(login, rng).encode("utf-8", "surrogatepass")),
                ("GET", f"/api/attendance/report?as_of={urllib.request.quote(value)}", None),
                ("GET", f"/api/whatif/absences?on={urllib.request.quote(value)}&now=2026-12-09T18:00", None),
                ("POST", f"/api/attendance/makeup?as_of={urllib.request.quote(value)}", None),
                ("GET", f"/api/reviews/due?as_of={urllib.request.quote(value)}&within={urllib.request.quote(value)}", None),
                ("GET", f"/api/discharges?as_of={urllib.request.quote(value)}", None),
                ("GET", f"/api/export/sheets?day={urllib.request.quote(value)}&format=csv", None),
                ("POST", "/api/reviews/decisions", mutate(json.dumps(
                    {"number": "A-99812", "on": "2026-12-09", "outcome": "step_down", "min_hours": 6, "max_hours": 9}),
                    rng).encode("utf-8", "surrogatepass")),
                ("POST", "/api/appeals/items", mutate(json.dumps({"number": "A-99812", "item": "treatment plan"}),
                                                      rng).encode("utf-8", "surrogatepass")),
                ("POST", "/api/discharges/items", mutate(json.dumps(
                    {"client": "c-112", "item": "records release on file", "on": "2026-12-11"}), rng)
                 .encode("utf-8", "surrogatepass")),
                ("POST", "/api/payers", mutate(json.dumps({"payer": "acme", "appeal_days": 14, "min_days": 3}), rng)
                 .encode("utf-8", "surrogatepass")),
            ])
            server.run(method, path, body, names)
            if path == "/api/login":  # a mutated login may have ended the session: log in again
                server.token = json.loads(server.send("POST", "/api/login", login.encode())[1]).get("csrf_token", "")

    if server:
        server.stop()
    print(f"mutants per kind: {arguments.count}, seed {arguments.seed}")
    print("kind      runs    ok  errors  signal  hang  exit  name  size  invalid")
    for kind, row in fuzz.rows.items():
        print(f"{kind:<9}{row['runs']:>5}{row['ok']:>6}{row['errors']:>8}" + "".join(
            f"{row.get(what, 0):>{width}}" for what, width in [("signal", 8), ("hang", 6), ("exit", 6), ("name", 6), ("size", 6), ("invalid", 9)]))
    for kind, what, args, detail, keep in fuzz.failures[:20]:
        print(f"FAIL {kind} {what}: iop {args}\n     {detail.strip()[:400]}\n     kept in {keep}")
    if not fuzz.failures:
        shutil.rmtree(work)
    sys.exit(1 if fuzz.failures else 0)


if __name__ == "__main__":
    main()
