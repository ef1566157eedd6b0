#!/usr/bin/env python3
"""Load on `iop serve`: users reading the week while re-plans run, on one program.

    swift build -c release --product iop
    python3 Benchmarks/load_service.py --iop .build/release/iop --readers 20 --replanners 2 --seconds 30

Builds a record of the bundled 36-client program (Scenarios/cedar-grove-mixed.yaml) with its
plan published, starts the server, logs in `--readers` clinicians and `--replanners`
coordinators (each a session of its own), and for `--seconds`: each reader reads the
published week (GET /api/week) again and again; each coordinator asks for a re-plan after a
facilitator's absence (POST /api/events, not published). One solve of a program runs at a
time, so a re-plan asked for while another runs is answered 409 (busy) by design: those are
counted apart from errors. Prints the readers' latency (p50, p95, max), their request rate,
and the re-plans done, busy and failed with their durations.
"""
import argparse, http.cookiejar, json, os, re, shutil, statistics, subprocess, sys, tempfile, threading, time
import urllib.error, urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCENARIO = os.path.join(ROOT, "Scenarios", "cedar-grove-mixed.yaml")


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


class Client:
    def __init__(self, site, name, password):
        self.site = site
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        status, body = self.send("POST", "/api/login", json.dumps({"name": name, "password": password}).encode(), token="")
        if status != 200:
            raise SystemExit(f"login of {name} failed: {status} {body[:200]}")
        self.token = json.loads(body)["csrf_token"]

    def send(self, method, path, body=None, token=None):
        request = urllib.request.Request(self.site + path, data=body, method=method,
                                         headers={"X-CSRF-Token": self.token if token is None else token})
        try:
            with self.opener.open(request, timeout=600) as answer:
                return answer.status, answer.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--iop", default=os.path.join(ROOT, ".build", "release", "iop"))
    parser.add_argument("--readers", type=int, default=20)
    parser.add_argument("--replanners", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--time-limit", type=float, default=10, help="each re-plan's limit (iop serve --time-limit)")
    arguments = parser.parse_args()
    iop = os.path.abspath(arguments.iop)
    work = tempfile.mkdtemp(prefix="iop-load-")
    record = os.path.join(work, "program.sqlite")
    week = os.path.join(work, "week.json")

    def run(*args, stdin=None):
        done = subprocess.run([iop, *args], input=stdin, capture_output=True, text=True, cwd=ROOT)
        if done.returncode != 0:
            raise SystemExit(f"iop {' '.join(args)}: {done.stderr}")

    run("init", record)
    run("import", record, SCENARIO)
    run("plan", SCENARIO, "--format", "json", "--out", week, "--time-limit", "60")
    run("publish", record, week, "--scenario", SCENARIO)
    password = "a long load-test passphrase"
    names = [f"reader{n}" for n in range(arguments.readers)] + [f"coordinator{n}" for n in range(arguments.replanners)]
    for name in names:
        run("user", "add", record, name, "--role", "clinician" if name.startswith("reader") else "coordinator",
            stdin=password + "\n")
    log = open(os.path.join(work, "serve.log"), "w+")
    server = subprocess.Popen([iop, "serve", record, "--port", "0", "--time-limit", str(arguments.time_limit)],
                              stdout=log, stderr=subprocess.STDOUT)
    try:
        for _ in range(600):
            log.seek(0)
            found = re.search(r"http://127\.0\.0\.1:(\d+)", log.read())
            if found:
                break
            time.sleep(0.1)
        else:
            raise SystemExit("iop serve did not start")
        site = f"http://127.0.0.1:{found.group(1)}"
        clients = {name: Client(site, name, password) for name in names}
        facilitators = re.findall(r"^  - \{?id: (f-[\w-]+)", open(SCENARIO).read(), re.M)
        reads, read_errors, replans, busy, failed = [], [0], [], [0], [0]
        stop = time.monotonic() + arguments.seconds
        lock = threading.Lock()

        def reader(client):
            while time.monotonic() < stop:
                start = time.monotonic()
                status, _ = client.send("GET", "/api/week")
                with lock:
                    (reads.append(time.monotonic() - start) if status == 200 else read_errors.__setitem__(0, read_errors[0] + 1))

        def replanner(client, n):
            while time.monotonic() < stop:
                absent = facilitators[n % len(facilitators)]
                n += 1
                events = f"events:\n  - at: 2026-12-09T07:00\n    facilitator_absence: {{facilitator: {absent}, from: 2026-12-09}}\n"
                start = time.monotonic()
                status, _ = client.send("POST", "/api/events?now=2026-12-09T07:00", events.encode())
                with lock:
                    if status == 200:
                        replans.append(time.monotonic() - start)
                    elif status == 409:
                        busy[0] += 1
                    else:
                        failed[0] += 1
                if status == 409:
                    time.sleep(0.2)

        threads = [threading.Thread(target=reader, args=(clients[name],)) for name in names if name.startswith("reader")]
        threads += [threading.Thread(target=replanner, args=(clients[name], n))
                    for n, name in enumerate(n for n in names if n.startswith("coordinator"))]
        began = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - began
    finally:
        server.terminate()
        server.wait(timeout=60)
    print(f"iop serve, {os.path.basename(SCENARIO)} (36 clients), {arguments.readers} readers and "
          f"{arguments.replanners} coordinators for {elapsed:.0f} s, re-plan limit {arguments.time_limit:g} s")
    print(f"GET /api/week: {len(reads)} answered ({len(reads) / elapsed:.1f}/s), {read_errors[0]} errors; "
          f"p50 {percentile(reads, 0.5) * 1000:.0f} ms, p95 {percentile(reads, 0.95) * 1000:.0f} ms, "
          f"max {max(reads, default=float('nan')) * 1000:.0f} ms")
    print(f"POST /api/events: {len(replans)} re-planned, {busy[0]} told busy (one solve at a time), {failed[0]} failed; "
          f"p50 {percentile(replans, 0.5):.2f} s, max {max(replans, default=float('nan')):.2f} s")
    shutil.rmtree(work, ignore_errors=True)
    sys.exit(1 if read_errors[0] or failed[0] else 0)


if __name__ == "__main__":
    main()
