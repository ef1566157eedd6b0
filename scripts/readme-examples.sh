#!/usr/bin/env bash
# Runs every example the README and docs/ show, in a fresh folder, and prints each command
# (as "$ iop ...") with its real output, so the README can be checked or refreshed:
#
#   swift build -c release && bash scripts/readme-examples.sh > /tmp/examples.txt
#   swift build -c release && bash scripts/readme-examples.sh --check
#   IOP=$PWD/.build/debug/iop bash scripts/readme-examples.sh --check   # as CI runs it
#
# --check lists every output line the README or a page of docs/ shows that the tool no longer prints (solve
# times and record time stamps aside) and exits 1 if there is one. Needs python3 (it also writes the sign-in
# sheets from the planned roster).
set -u
if [ "${1:-}" = "--check" ]; then
  outputs=$(mktemp)
  bash "$0" > "$outputs"
  python3 - "$(dirname "$0")/.." "$outputs" <<'PY'
import glob, os, re, sys
# Solve times, and when and by whom a record entry was made, differ from run to run.
stamp = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"
# So do a login's CSRF token.
timeless = lambda line: re.sub(r'"csrf_token" : "[0-9a-f]+"', '"csrf_token" : "_"', re.sub(
    rf"{stamp} by \S+|by \S+ at {stamp}", "_", re.sub(r"\d+\.\d+ s\b", "_ s", line)))
printed = {timeless(line) for line in open(sys.argv[2]).read().split("\n")}
blocks, block = [], None
pages = [os.path.join(sys.argv[1], "README.md")] + sorted(glob.glob(os.path.join(sys.argv[1], "docs", "*.md")))
for line in (line for page in pages for line in open(page).read().split("\n")):
    if line.startswith("```"):
        if block is None: block = []
        else: blocks.append(block); block = None
    elif block is not None: block.append(line)
stale = [line for b in blocks if any(line.startswith("$ iop") for line in b) for line in b
         if line and line.strip() != "..." and not line.startswith("$ ") and not line.startswith("    --")
         and timeless(line) not in printed]
for line in stale: print("not printed any more:", line)
print(f"{len(stale)} stale line(s) in the examples of README.md and docs/")
sys.exit(1 if stale else 0)
PY
  status=$?; rm -f "$outputs"; exit $status
fi
root=$(cd "$(dirname "$0")/.." && pwd)
iop=${IOP:-$root/.build/release/iop}
work=$(mktemp -d)
own_postgres=""
cleanup() {
  if [ -n "$own_postgres" ]; then PGTEST_DIR="$own_postgres" bash "$root/scripts/postgres-test-server.sh" stop; fi
  rm -rf "$work"
}
trap cleanup EXIT
cd "$work" && ln -s "$root/Scenarios" Scenarios

run() { echo "\$ iop $*"; "$iop" "$@" 2>&1; }

# Planning a week, and a scenario with mistakes.
run plan Scenarios/riverbend-small.yaml
run plan Scenarios/pinecrest-understaffed.yaml
cat > bad.yaml <<'YAML'
program: {name: X, week_of: 2026-12-07, days: [mon], blocks: [{id: b, start: "10:00", end: "09:00"}], rooms: [{id: r, capacity: 0}]}
groups: [{id: g, capacity: 5}]
offerings: [{group: h, blocks: [b]}]
facilitators: [{id: f}]
clients: [{id: c, track: a}]
YAML
run validate bad.yaml

# The daily loop.
# Monday's published week, as bundled (a fresh plan may pick another equally good roster).
echo "\$ cp Scenarios/rosters/riverbend-small-published.json week.json"
cp Scenarios/rosters/riverbend-small-published.json week.json && chmod u+w week.json
# From the record (in a folder of its own, so the record examples below start afresh).
mkdir daily && (cd daily && ln -s "$root/Scenarios" Scenarios && "$iop" init riverbend.sqlite >/dev/null \
  && "$iop" import riverbend.sqlite Scenarios/riverbend-small.yaml >/dev/null \
  && "$iop" publish riverbend.sqlite ../week.json --scenario Scenarios/riverbend-small.yaml >/dev/null \
  && echo "\$ iop replan Scenarios/riverbend-small.yaml --record riverbend.sqlite --events ... --now 2026-12-10T07:30 --publish" \
  && "$iop" replan Scenarios/riverbend-small.yaml --record riverbend.sqlite \
       --events Scenarios/events/riverbend-thursday-absence.yaml --now 2026-12-10T07:30 --publish 2>published.txt \
  && cat published.txt \
  && run reminders Scenarios/riverbend-small.yaml --record riverbend.sqlite --for 2026-12-11 \
  && run reminders Scenarios/riverbend-small.yaml --record riverbend.sqlite --for 2026-12-10 --staff \
  && run export sheets Scenarios/riverbend-small.yaml --record riverbend.sqlite --day 2026-12-10 --format csv)
run replan Scenarios/riverbend-small.yaml --roster week.json \
    --events Scenarios/events/riverbend-thursday-absence.yaml --now 2026-12-10T07:30
"$iop" replan Scenarios/riverbend-small.yaml --roster week.json --events Scenarios/events/riverbend-thursday-absence.yaml \
    --now 2026-12-10T07:30 --format json --out thursday.json 2>/dev/null
run reminders Scenarios/riverbend-small.yaml --roster thursday.json --for 2026-12-11 --since week.json
run export ical Scenarios/riverbend-small.yaml --roster thursday.json --since week.json --facilitator f-ortiz --out ortiz.ics
echo "\$ grep -E '^(DTSTART|SUMMARY|STATUS)' ortiz.ics"; grep -E '^(DTSTART|SUMMARY|STATUS)' ortiz.ics | tr -d '\r'
run reminders Scenarios/riverbend-small.yaml --roster thursday.json --since week.json --for 2026-12-10 --staff
run export sheets Scenarios/riverbend-small.yaml --roster thursday.json --day 2026-12-10 --format csv
run export sheets Scenarios/riverbend-small.yaml --roster thursday.json --day 2026-12-10 --out thursday-sheets.html
run export schedule Scenarios/riverbend-small.yaml --roster thursday.json --client c-103 --format csv
run whatif Scenarios/riverbend-small.yaml --roster thursday.json \
    --with-events Scenarios/events/riverbend-thursday-absence.yaml --each-facilitator --on 2026-12-11 --now 2026-12-10T18:00

# The operations record. Monday and Tuesday as attended: everyone present, except c-101
# (off with flu) and c-102 (leaves every session after 45 minutes).
python3 - week.json <<'PY'
import json, sys
roster = json.load(open(sys.argv[1]))
sessions = sorted((s for s in roster["sessions"] if s["day"] in ("mon", "tue")), key=lambda s: (s["date"], s["start"], s["id"]))
rows = ["session_id,client,status,minutes,reason"]
for s in sessions:
    for c in sorted(s["members"]):
        rows.append(f"{s['id']},{c},absent_excused,,flu" if c == "c-101" else
                    f"{s['id']},{c},left_early,45,appointment" if c == "c-102" else f"{s['id']},{c},present,,")
open("monday-tuesday.csv", "w").write("\n".join(rows) + "\n")
first = sessions[0]
stranger = next(c for c in ("c-103", "c-104", "c-105", "c-106", "c-108") if c not in first["members"])
open("bad.csv", "w").write(f"session_id,client,status,minutes,reason\n{first['id']},c-999,present,,\n{first['id']},{stranger},late,,\n")
PY
run init riverbend.sqlite
run import riverbend.sqlite Scenarios/riverbend-small.yaml
run publish riverbend.sqlite week.json --scenario Scenarios/riverbend-small.yaml
run attendance import riverbend.sqlite bad.csv
run attendance import riverbend.sqlite monday-tuesday.csv
run attendance report riverbend.sqlite --as-of 2026-12-09
run attendance report riverbend.sqlite --as-of 2026-12-09 --format csv
run attendance makeup riverbend.sqlite Scenarios/riverbend-small.yaml --as-of 2026-12-09T07:00
run payer riverbend.sqlite
run payer riverbend.sqlite acme --appeal-days 14 --procedure S9480
run auth due riverbend.sqlite --as-of 2026-12-09 --within 7d
run auth due riverbend.sqlite --as-of 2026-12-09 --within 7d --format csv
run auth decide riverbend.sqlite A-99812 --on 2026-12-09 --denied --scenario Scenarios/riverbend-small.yaml
run auth appeals riverbend.sqlite --done "attendance report" --number A-99812
run discharges riverbend.sqlite --as-of 2026-12-11 --done "records release on file" --client c-112
run billing riverbend.sqlite
run billing riverbend.sqlite --format csv
run export fhir Scenarios/riverbend-small.yaml --record riverbend.sqlite --out week-fhir.json
echo "\$ grep -o '\"resourceType\" : \"[A-Za-z]*\"' week-fhir.json | sort | uniq -c"
grep -o '"resourceType" : "[A-Za-z]*"' week-fhir.json | sort | uniq -c
run attendance makeup riverbend.sqlite Scenarios/riverbend-small.yaml --as-of 2026-12-09T07:00 --apply
run roster list riverbend.sqlite
run roster diff riverbend.sqlite 1 2
run roster revert riverbend.sqlite 1 --scenario Scenarios/riverbend-small.yaml
run roster show riverbend.sqlite 2
cat > census.csv <<'CSV'
client_id,track,admitted,planned_discharge,payer,authorization,authorized_from,authorized_to,level_of_care,min_hours,max_hours,plan,clinician,keep_apart
c-201,adult,2026-12-10,2027-01-22,acme,A-4410,2026-12-10,2026-12-23,IOP,9,12,process:2;dbt:1,f-lee,c-105
c-104,adult,,2026-12-10,,,,,,,,,,
c-105,adult,,,,,,,,,,process:3;relapse:2,,
CSV
echo "\$ cat census.csv"; cat census.csv
run census import riverbend.sqlite census.csv --scenario Scenarios/riverbend-small.yaml --as-of 2026-12-10T07:00
run events riverbend.sqlite
run replan Scenarios/riverbend-small.yaml --record riverbend.sqlite --now 2026-12-10T07:00 --publish
run week start riverbend.sqlite --scenario Scenarios/riverbend-small.yaml --week 2026-12-14 --out next-week.yaml
echo "\$ grep -A4 'id: c-201' next-week.yaml"; grep -A4 'id: c-201' next-week.yaml
run roster publish riverbend.sqlite 4 --scenario next-week.yaml
run events riverbend.sqlite

# Solving any LP file.
run solve-lp Scenarios/lp/small-roster.lp
printf 'Minimize\n obj: x + y\nSubject To\n c1: x + y >=\nEnd\n' > bad.lp
run solve-lp bad.lp
echo "\$ echo \$?"; "$iop" solve-lp bad.lp >/dev/null 2>&1; echo $?

# The service (docs/service.md): a record with its week's scenario, a published roster and a user.
run init served.sqlite
run import served.sqlite Scenarios/riverbend-small.yaml
run publish served.sqlite Scenarios/rosters/riverbend-small-published.json --scenario Scenarios/riverbend-small.yaml
printf 'a long coordinator passphrase\n' > password.txt
echo "\$ iop user add served.sqlite dana --role coordinator < password.txt"
"$iop" user add served.sqlite dana --role coordinator < password.txt 2>&1
echo "\$ iop serve served.sqlite &"
"$iop" serve served.sqlite --port 0 > serve.log 2>&1 &
server=$!
for _ in $(seq 600); do grep -q "on http" serve.log 2>/dev/null && break; sleep 0.1; done
port=$(sed -n 's|.*http://127.0.0.1:\([0-9]*\).*|\1|p' serve.log | head -n 1)
sed "s|127.0.0.1:$port|127.0.0.1:8080|" serve.log
# Each request as the docs show it (port 8080), sent to the port the server took.
site="http://127.0.0.1:$port"
echo "\$ curl -s http://127.0.0.1:8080/health"; curl -s "$site/health"; echo
echo "\$ curl -s http://127.0.0.1:8080/api/week"; curl -s "$site/api/week"; echo
echo "\$ curl -s -c cookies.txt -d '{\"name\": \"dana\", \"password\": \"a long coordinator passphrase\"}' http://127.0.0.1:8080/api/login"
curl -s -c cookies.txt -d '{"name": "dana", "password": "a long coordinator passphrase"}' "$site/api/login" | tee login.json; echo
TOKEN=$(python3 -c 'import json; print(json.load(open("login.json"))["csrf_token"])')
echo "\$ curl -s -b cookies.txt --data-binary @Scenarios/events/riverbend-thursday-absence.yaml 'http://127.0.0.1:8080/api/events?now=2026-12-10T07:30&publish=true'"
curl -s -b cookies.txt --data-binary @Scenarios/events/riverbend-thursday-absence.yaml "$site/api/events?now=2026-12-10T07:30&publish=true"; echo
echo "\$ curl -s -b cookies.txt -H \"X-CSRF-Token: \$TOKEN\" --data-binary @Scenarios/events/riverbend-thursday-absence.yaml 'http://127.0.0.1:8080/api/events?now=2026-12-10T07:30&publish=true' | grep -A3 -E '\"(events|published_version)\"'"
curl -s -b cookies.txt -H "X-CSRF-Token: $TOKEN" --data-binary @Scenarios/events/riverbend-thursday-absence.yaml \
  "$site/api/events?now=2026-12-10T07:30&publish=true" | grep -A3 -E '"(events|published_version)"'
kill "$server"; wait "$server" 2>/dev/null
run roster list served.sqlite

# The record in PostgreSQL (docs/record.md): on the tests' server (port 54329), started here
# unless CI has it running already.
if [ -z "${IOP_TEST_POSTGRES:-}" ]; then
  own_postgres="/tmp/iop-examples-postgres-$$"
  IOP_TEST_POSTGRES=$(PGTEST_DIR="$own_postgres" bash "$root/scripts/postgres-test-server.sh" start)
fi
pg="postgres://postgres@127.0.0.1:54329/riverbend"
psql "$IOP_TEST_POSTGRES" -q -c "DROP DATABASE IF EXISTS riverbend" -c "CREATE DATABASE riverbend" 2>&1
echo "\$ createdb -h 127.0.0.1 -p 54329 -U postgres riverbend"
run init "$pg"
run init "$pg"
run import "$pg" Scenarios/riverbend-small.yaml
run publish "$pg" week.json --scenario Scenarios/riverbend-small.yaml
echo "\$ iop user add $pg dana --role coordinator < password.txt"
"$iop" user add "$pg" dana --role coordinator < password.txt 2>&1
# Two servers on the one record: a re-plan published through the first is the week the second serves.
"$iop" serve "$pg" --port 0 > first.log 2>&1 &
first=$!
"$iop" serve "$pg" --port 0 > second.log 2>&1 &
second=$!
# Up to 60 s for both to listen: the machine may be busy with another build.
for _ in $(seq 600); do [ "$(grep -l "on http" first.log second.log 2>/dev/null | wc -l)" = 2 ] && break; sleep 0.1; done
port1=$(sed -n 's|.*http://127.0.0.1:\([0-9]*\).*|\1|p' first.log | head -n 1)
port2=$(sed -n 's|.*http://127.0.0.1:\([0-9]*\).*|\1|p' second.log | head -n 1)
echo "\$ iop serve $pg --port 8080 &"; sed "s|127.0.0.1:$port1|127.0.0.1:8080|" first.log
echo "\$ iop serve $pg --port 8081 &"; sed "s|127.0.0.1:$port2|127.0.0.1:8081|" second.log
login='{"name": "dana", "password": "a long coordinator passphrase"}'
curl -s -c first.txt -d "$login" "http://127.0.0.1:$port1/api/login" > first.json
curl -s -c second.txt -d "$login" "http://127.0.0.1:$port2/api/login" > /dev/null
TOKEN=$(python3 -c 'import json; print(json.load(open("first.json"))["csrf_token"])')
echo "\$ curl -s -b first.txt -H \"X-CSRF-Token: \$TOKEN\" --data-binary @Scenarios/events/riverbend-thursday-absence.yaml 'http://127.0.0.1:8080/api/events?now=2026-12-10T07:30&publish=true' | grep '\"published_version\"'"
curl -s -b first.txt -H "X-CSRF-Token: $TOKEN" --data-binary @Scenarios/events/riverbend-thursday-absence.yaml \
  "http://127.0.0.1:$port1/api/events?now=2026-12-10T07:30&publish=true" | grep '"published_version"'
echo "\$ curl -s -N --max-time 1 -b second.txt http://127.0.0.1:8081/api/updates"
curl -s -N --max-time 1 -b second.txt "http://127.0.0.1:$port2/api/updates"
kill "$first" "$second"; wait "$first" "$second" 2>/dev/null
run roster list "$pg"
