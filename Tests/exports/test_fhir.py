"""The FHIR export read by a real FHIR library (fhir.resources from PyPI).

    python3 Tests/exports/test_fhir.py --iop .build/debug/iop

The bundled week published in a record, with Monday's attendance recorded, exports as a
Bundle that validates as FHIR (fhir.resources' R4B models, FHIR 4.3, which R4's Bundle,
Schedule, Slot, Appointment, Encounter, Group, Patient, Practitioner and Location match):
one Schedule, Slot and Appointment per session, every member, facilitator and the room an
Appointment's participant, every reference an entry of the bundle, an Encounter per
attendance, Monday's appointments fulfilled and later ones booked, and the same ids when
the week is exported again.
"""
import argparse, json, os, subprocess, sys, tempfile, unittest

from fhir.resources.R4B.bundle import Bundle

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCENARIO = "Scenarios/riverbend-small.yaml"
ROSTER = "Scenarios/rosters/riverbend-small-published.json"
IOP = None


def iop(*args):
    run = subprocess.run([IOP, *args], capture_output=True, text=True, cwd=ROOT)
    if run.returncode != 0:
        raise AssertionError(f"iop {' '.join(args)} exited {run.returncode}: {run.stderr}")
    return run.stdout


class FHIRTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        work = tempfile.mkdtemp(prefix="iop-fhir-")
        cls.record = os.path.join(work, "record.sqlite")
        iop("init", cls.record)
        iop("import", cls.record, SCENARIO)
        iop("publish", cls.record, ROSTER, "--scenario", SCENARIO)
        cls.sessions = json.load(open(os.path.join(ROOT, ROSTER)))["sessions"]
        rows, cls.attended = ["session_id,client,status,minutes,reason"], 0
        for session in (s for s in cls.sessions if s["day"] == "mon"):
            for n, client in enumerate(session["members"]):
                status = "absent_excused" if n % 4 == 0 else "present"
                cls.attended += status == "present"
                rows.append(f"{session['id']},{client},{status},,{'flu' if status != 'present' else ''}")
        sheet = os.path.join(work, "monday.csv")
        open(sheet, "w").write("\n".join(rows) + "\n")
        iop("attendance", "import", cls.record, sheet)
        cls.text = iop("export", "fhir", SCENARIO, "--record", cls.record)
        cls.bundle = Bundle.model_validate_json(cls.text)
        cls.resources = [entry.resource for entry in cls.bundle.entry]

    def of(self, kind):
        return [r for r in self.resources if r.get_resource_type() == kind]

    def test_the_bundle_validates_and_counts_match_the_week(self):
        self.assertEqual(self.bundle.type, "collection")
        for kind in ("Schedule", "Slot", "Appointment"):
            self.assertEqual(len(self.of(kind)), len(self.sessions), kind)
        self.assertEqual(len(self.of("Encounter")), self.attended)
        self.assertEqual(len(self.of("Group")), 1)
        self.assertEqual(len(self.of("Patient")), len(self.of("Group")[0].member))

    def test_every_reference_is_an_entry(self):
        urls = {entry.fullUrl for entry in self.bundle.entry}
        references = []

        def walk(value):
            if isinstance(value, dict):
                if isinstance(value.get("reference"), str):
                    references.append(value["reference"])
                for inner in value.values():
                    walk(inner)
            elif isinstance(value, list):
                for inner in value:
                    walk(inner)

        walk(json.loads(self.text))
        self.assertTrue(references)
        self.assertEqual(set(references) - urls, set())

    def test_participants_are_members_facilitators_and_room(self):
        identity = {}
        for resource in self.of("Patient") + self.of("Practitioner") + self.of("Location"):
            identity[f"urn:uuid:{resource.id}"] = resource.identifier[0].value
        by_session = {a.identifier[0].value.split("/", 1)[1]: a for a in self.of("Appointment")}
        for session in self.sessions:
            appointment = by_session[session["id"]]
            actors = {identity[p.actor.reference] for p in appointment.participant}
            self.assertEqual(actors, set(session["members"]) | set(session["facilitators"]) | {session["room"]})
            expected = "fulfilled" if session["day"] == "mon" else "booked"
            self.assertEqual(appointment.status, expected, session["id"])

    def test_ids_are_stable_and_names_absent(self):
        again = json.loads(iop("export", "fhir", SCENARIO, "--record", self.record))
        first = json.loads(self.text)
        self.assertEqual([e["fullUrl"] for e in again["entry"]], [e["fullUrl"] for e in first["entry"]])
        self.assertNotIn("flu", self.text)
        self.assertFalse([r for r in self.of("Patient") if r.name])


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--iop", required=True)
    arguments, rest = parser.parse_known_args()
    IOP = os.path.abspath(arguments.iop)
    unittest.main(argv=[sys.argv[0], "-v", *rest])
