"""The iCalendar export read by a real calendar library (icalendar from PyPI).

    python3 Tests/exports/test_ical.py --iop .build/debug/iop

A facilitator's feed of the bundled week parses, holds one event per session they lead,
and after a re-plan (Dr. Ortiz out Thursday and Friday) every session still theirs keeps its
UID while the sessions taken from them come back cancelled.
"""
import argparse, json, os, subprocess, sys, tempfile, unittest

import icalendar

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
IOP = None


def iop(*args):
    run = subprocess.run([IOP, *args], capture_output=True, text=True, cwd=ROOT)
    if run.returncode != 0:
        raise AssertionError(f"iop {' '.join(args)} exited {run.returncode}: {run.stderr}")
    return run.stdout


class ICalTests(unittest.TestCase):
    def test_feeds_parse_and_keep_their_uids(self):
        work = tempfile.mkdtemp(prefix="iop-ical-")
        week = "Scenarios/rosters/riverbend-small-published.json"
        replanned = os.path.join(work, "thursday.json")
        iop("replan", "Scenarios/riverbend-small.yaml", "--roster", week, "--events",
            "Scenarios/events/riverbend-thursday-absence.yaml", "--now", "2026-12-10T07:30", "--format", "json",
            "--out", replanned)
        before = icalendar.Calendar.from_ical(iop("export", "ical", "Scenarios/riverbend-small.yaml", "--roster", week,
                                                  "--facilitator", "f-ortiz"))
        after = icalendar.Calendar.from_ical(iop("export", "ical", "Scenarios/riverbend-small.yaml", "--roster", replanned,
                                                 "--since", week, "--facilitator", "f-ortiz"))
        sessions = json.load(open(os.path.join(ROOT, week)))["sessions"]
        led = [s for s in sessions if "f-ortiz" in s["facilitators"]]
        events = [e for e in before.walk("VEVENT")]
        self.assertEqual(len(events), len(led))
        self.assertTrue(all(e.decoded("dtstart").tzinfo is not None for e in events))
        uids_before = {str(e["uid"]) for e in events}
        confirmed = {str(e["uid"]) for e in after.walk("VEVENT") if str(e["status"]) == "CONFIRMED"}
        cancelled = {str(e["uid"]) for e in after.walk("VEVENT") if str(e["status"]) == "CANCELLED"}
        self.assertTrue(cancelled, "the sessions of Thursday and Friday are cancelled in f-ortiz's feed")
        self.assertEqual(confirmed | cancelled, uids_before)
        self.assertFalse(confirmed & cancelled)
        thursday = [e for e in after.walk("VEVENT") if e.decoded("dtstart").date().isoformat() >= "2026-12-10"]
        self.assertTrue(all(str(e["status"]) == "CANCELLED" for e in thursday))

    def test_a_client_feed_names_no_other_client(self):
        feed = iop("export", "ical", "Scenarios/riverbend-small.yaml", "--roster",
                   "Scenarios/rosters/riverbend-small-published.json", "--client", "c-101")
        calendar = icalendar.Calendar.from_ical(feed)
        self.assertTrue(list(calendar.walk("VEVENT")))
        others = {f"c-{n}" for n in range(102, 113)}
        self.assertFalse([c for c in others if c in feed])


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--iop", required=True)
    arguments, rest = parser.parse_known_args()
    IOP = os.path.abspath(arguments.iop)
    unittest.main(argv=[sys.argv[0], "-v", *rest])
