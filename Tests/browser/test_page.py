"""The clinical team's page in a real browser (headless Chromium, driven by Selenium).

A coordinator logs in, sees the week, enters a facilitator absence, reviews and publishes
the re-plan; a clinician's open page shows the new version without a reload; the
coordinator records a sign-in sheet and the at-risk list changes, and prints a day's
sheets, one session to a page. Then a review is denied (the appeal opens with its call
booked), a packet item and a discharge checklist item are marked done, and the week's
billing evidence is read. A session is locked and a client pinned from the grid. Last, on
a 60-client program, a what-if's search shows its progress on another coordinator's open
page, which stops it early. Screenshots of each page go to Tests/browser/screenshots/.

    python3 Tests/browser/test_page.py --iop .build/debug/iop
"""
import argparse, base64, io, os, re, shutil, subprocess, sys, tempfile, threading, time, unittest

from pypdf import PdfReader
from selenium import webdriver
from selenium.webdriver.common.print_page_options import PrintOptions
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SHOTS = os.path.join(ROOT, "Tests", "browser", "screenshots")
PASSWORDS = {"dana": "a long coordinator passphrase", "sam": "a long clinician passphrase",
             "lee": "another coordinator passphrase"}
IOP = None


def iop(*args, stdin=None, cwd=None):
    run = subprocess.run([IOP, *args], input=stdin, capture_output=True, text=True, cwd=cwd)
    if run.returncode != 0:
        raise AssertionError(f"iop {' '.join(args)} exited {run.returncode}: {run.stderr}")
    return run.stdout


def browser():
    options = webdriver.ChromeOptions()
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1500,1100"):
        options.add_argument(flag)
    if os.path.exists("/usr/bin/chromium"):
        options.binary_location = "/usr/bin/chromium"
    service = webdriver.ChromeService(executable_path=shutil.which("chromedriver") or "/usr/bin/chromedriver")
    return webdriver.Chrome(options=options, service=service)


def serve(record, log_path):
    """`iop serve RECORD` on a free port: the process and the site's address."""
    with open(log_path, "w") as log:
        server = subprocess.Popen([IOP, "serve", record, "--port", "0"], stdout=log, stderr=subprocess.STDOUT)
    for _ in range(300):
        with open(log_path) as log:
            found = re.search(r"http://127\.0\.0\.1:(\d+)", log.read())
        if found:
            return server, f"http://127.0.0.1:{found.group(1)}"
        time.sleep(0.1)
    server.terminate()
    raise AssertionError("iop serve did not start")


class PageTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.work = tempfile.mkdtemp(prefix="iop-browser-")
        os.symlink(os.path.join(ROOT, "Scenarios"), os.path.join(cls.work, "Scenarios"))
        record = os.path.join(cls.work, "program.sqlite")
        iop("init", record)
        iop("import", record, "Scenarios/riverbend-small.yaml", cwd=cls.work)
        iop("publish", record, "Scenarios/rosters/riverbend-small-published.json",
            "--scenario", "Scenarios/riverbend-small.yaml", cwd=cls.work)
        iop("user", "add", record, "dana", "--role", "coordinator", stdin=PASSWORDS["dana"] + "\n")
        iop("user", "add", record, "sam", "--role", "clinician", stdin=PASSWORDS["sam"] + "\n")
        cls.server, cls.site = serve(record, os.path.join(cls.work, "serve.log"))
        os.makedirs(SHOTS, exist_ok=True)
        cls.coordinator = browser()
        cls.clinician = browser()

    @classmethod
    def tearDownClass(cls):
        cls.coordinator.quit()
        cls.clinician.quit()
        cls.server.terminate()
        cls.server.wait(timeout=30)
        shutil.rmtree(cls.work, ignore_errors=True)

    def log_in(self, driver, name, site=None):
        """Logs `name` in, unless this browser's session is theirs already."""
        driver.get((site or self.site) + "/")
        WebDriverWait(driver, 30).until(lambda d: d.current_url.endswith(("/login", "/week")))
        if driver.current_url.endswith("/week") and f"Log out {name}" in self.text(driver):
            return
        driver.find_element(By.NAME, "name").send_keys(name)
        driver.find_element(By.NAME, "password").send_keys(PASSWORDS[name])
        driver.find_element(By.CSS_SELECTOR, "form.login button").click()
        WebDriverWait(driver, 30).until(lambda d: d.current_url.endswith("/week"))

    def set_value(self, driver, name, value):
        element = driver.find_element(By.NAME, name)
        driver.execute_script("arguments[0].value = arguments[1];", element, value)

    def text(self, driver):
        # Read at once by the page itself, so a page being replaced reads as empty, not stale.
        return driver.execute_script("return document.body ? document.body.innerText : '';")

    def at_risk(self, driver):
        return [item.text.split(":")[0] for item in driver.find_elements(By.CSS_SELECTOR, "ul.at-risk li")]

    def test_a_day_of_the_program(self):
        coordinator, clinician = self.coordinator, self.clinician
        # The first page is the login form: a name field and a password field.
        coordinator.get(self.site + "/")
        WebDriverWait(coordinator, 30).until(lambda d: d.current_url.endswith("/login"))
        self.assertEqual(coordinator.find_element(By.NAME, "password").get_attribute("type"), "password")
        coordinator.save_screenshot(os.path.join(SHOTS, "login.png"))
        # A wrong password is refused on the page.
        coordinator.find_element(By.NAME, "name").send_keys("dana")
        coordinator.find_element(By.NAME, "password").send_keys("not the password")
        coordinator.find_element(By.CSS_SELECTOR, "form.login button").click()
        WebDriverWait(coordinator, 30).until(lambda d: "wrong name or password" in self.text(d))

        # The week, by group name.
        self.log_in(coordinator, "dana")
        week = self.text(coordinator)
        self.assertIn("Riverbend Adult IOP, week of 2026-12-07", week)
        self.assertIn("Published version 1", week)
        for group in ("process", "dbt", "relapse"):
            self.assertIn(group, week)
        session = coordinator.find_element(By.ID, "thu-am1-process-A")
        session.find_element(By.TAG_NAME, "summary").click()
        self.assertIn("c-1", session.find_element(By.CSS_SELECTOR, "ul.members").text)
        coordinator.save_screenshot(os.path.join(SHOTS, "week.png"))
        # A facilitator's own week: the filter hides every session they do not lead.
        Select(coordinator.find_element(By.ID, "filter-facilitator")).select_by_value("f-chen")
        shown = [s for s in coordinator.find_elements(By.CSS_SELECTOR, "details.session") if s.is_displayed()]
        self.assertTrue(shown)
        self.assertTrue(all("f-chen" in s.text for s in shown))
        Select(coordinator.find_element(By.ID, "filter-facilitator")).select_by_value("")

        # A clinician watches the week; they may not change it.
        self.log_in(clinician, "sam")
        self.assertIn("Published version 1", self.text(clinician))
        self.assertNotIn("Change the week", self.text(clinician))

        # Dr. Ortiz is out Thursday and Friday: the re-plan is shown, then published.
        coordinator.find_element(By.LINK_TEXT, "Change the week").click()
        Select(coordinator.find_element(By.NAME, "kind")).select_by_value("facilitator_absence")
        Select(coordinator.find_element(By.NAME, "subject")).select_by_value("f-ortiz")
        self.set_value(coordinator, "from", "2026-12-10")
        self.set_value(coordinator, "to", "2026-12-11")
        self.set_value(coordinator, "now", "2026-12-10T07:30")
        coordinator.find_element(By.CSS_SELECTOR, "form.change button").click()
        WebDriverWait(coordinator, 60).until(lambda d: "The proposed re-plan" in self.text(d))
        proposal = self.text(coordinator)
        self.assertIn("f-ortiz absent 2026-12-10 to 2026-12-11", proposal)
        self.assertRegex(proposal, r"Changes \([1-9]\d*;")
        self.assertIn("Published version 1", self.text(clinician))  # nothing published yet
        coordinator.save_screenshot(os.path.join(SHOTS, "proposal.png"))
        coordinator.find_element(By.CSS_SELECTOR, "form[action='/week/publish'] button").click()
        WebDriverWait(coordinator, 60).until(lambda d: "Published version 2" in self.text(d))
        self.assertNotIn("f-ortiz", coordinator.find_element(By.ID, "thu-am1-process-A").text)

        # The clinician's open page shows version 2 without anyone reloading it.
        WebDriverWait(clinician, 30).until(lambda d: "Published version 2" in self.text(d))

        # Monday's first session as signed in: everyone absent. The at-risk list grows.
        coordinator.get(self.site + "/attendance?as_of=2026-12-07")
        before = self.at_risk(coordinator)
        coordinator.get(self.site + "/attendance/sheet?session=mon-am1-process-A")
        members = [row.text for row in coordinator.find_elements(By.CSS_SELECTOR, "form.sheet tbody th")]
        self.assertTrue(members)
        self.assertEqual(coordinator.find_elements(By.CSS_SELECTOR, ".error"), [])  # no error before saving
        for client in members:
            Select(coordinator.find_element(By.NAME, f"status_{client}")).select_by_value("absent_unexcused")
        coordinator.save_screenshot(os.path.join(SHOTS, "sheet.png"))
        coordinator.find_element(By.CSS_SELECTOR, "form.sheet button").click()
        WebDriverWait(coordinator, 30).until(lambda d: "/attendance?as_of=2026-12-07" in d.current_url)
        coordinator.get(self.site + "/attendance?as_of=2026-12-07")
        after = self.at_risk(coordinator)
        self.assertGreater(len(after), len(before))
        self.assertTrue(set(after) - set(before) <= set(members))
        self.assertIn("absent", self.text(coordinator))
        coordinator.save_screenshot(os.path.join(SHOTS, "attendance.png"))

        # Monday's sign-in sheets printed: one page per session, each naming its members.
        link = coordinator.find_element(By.LINK_TEXT, "Print the sign-in sheets of Mon 2026-12-07")
        coordinator.get(link.get_attribute("href"))
        sheets = coordinator.find_elements(By.CSS_SELECTOR, "section.sheet")
        self.assertGreater(len(sheets), 1)
        self.assertTrue(all(client in sheets[0].text for client in members))
        pdf = PdfReader(io.BytesIO(base64.b64decode(coordinator.print_page(PrintOptions()))))
        self.assertEqual(len(pdf.pages), len(sheets))
        first = pdf.pages[0].extract_text()
        self.assertIn("mon-am1-process-A", first)
        self.assertTrue(all(client in first for client in members))

        # Whose absence on Friday hurts most: every facilitator ranked, nothing saved.
        clinician.find_element(By.LINK_TEXT, "What if").click()
        self.set_value(clinician, "on", "2026-12-11")
        self.set_value(clinician, "now", "2026-12-10T18:00")
        clinician.find_element(By.CSS_SELECTOR, "form[action='/whatif'] button").click()
        WebDriverWait(clinician, 120).until(lambda d: "Worst first" in self.text(d))
        ranked = [row.text.split(" ")[0] for row in clinician.find_elements(By.CSS_SELECTOR, "table.ranking tbody tr")]
        self.assertEqual(sorted(ranked), ["f-chen", "f-lee", "f-ortiz", "f-patel"])
        clinician.save_screenshot(os.path.join(SHOTS, "whatif.png"))

    def test_b_authorizations_discharges_and_billing(self):
        coordinator, clinician = self.coordinator, self.clinician
        self.log_in(coordinator, "dana")
        # The review due on Monday, with the client's week and the approved units beside it.
        coordinator.find_element(By.LINK_TEXT, "Authorizations").click()
        due = coordinator.find_element(By.ID, "due").text
        self.assertIn("Concurrent review", due)
        self.assertIn("c-107", due)
        self.assertIn("acme A-99812", due)
        self.assertIn("6 days approved", due)
        self.assertEqual(coordinator.find_elements(By.ID, "appeals"), [])
        coordinator.save_screenshot(os.path.join(SHOTS, "authorizations.png"))
        # The payer denies it: an appeal opens, due in the payer's window, with the call booked.
        decision = coordinator.find_element(By.CSS_SELECTOR, "details.decision")
        decision.find_element(By.TAG_NAME, "summary").click()
        Select(decision.find_element(By.NAME, "outcome")).select_by_value("denied")
        decision.find_element(By.CSS_SELECTOR, "button.primary").click()
        WebDriverWait(coordinator, 30).until(lambda d: d.find_elements(By.CSS_SELECTOR, "p.notice"))
        notice = coordinator.find_element(By.CSS_SELECTOR, "p.notice").text
        self.assertRegex(notice, r"^A-99812: denied on 2026-12-07; appeal open, due 2027-01-06; "
                                 r"peer-to-peer call 2026-12-\d\d \d\d:\d\d-\d\d:\d\d with f-")
        appeal = coordinator.find_element(By.ID, "appeals").text
        self.assertIn("2027-01-06 (30 days left)", appeal)
        self.assertIn("treatment plan", appeal)
        self.assertEqual(coordinator.find_elements(By.ID, "due"), [])  # the denial ended the authorization
        # A packet item done leaves the list.
        coordinator.find_element(By.CSS_SELECTOR, "button[aria-label='Mark treatment plan done for A-99812']").click()
        WebDriverWait(coordinator, 30).until(lambda d: "A-99812: treatment plan, done" in self.text(d))
        self.assertNotIn("treatment plan", coordinator.find_element(By.ID, "appeals").text)
        self.assertIn("attendance report", coordinator.find_element(By.ID, "appeals").text)
        # A clinician reads the appeals but logs nothing.
        clinician.get(self.site + "/authorizations")
        self.assertIn("A-99812", clinician.find_element(By.ID, "appeals").text)
        self.assertEqual(clinician.find_elements(By.CSS_SELECTOR, "form[method='post'][action^='/authorizations']"), [])

        # c-112 leaves on Thursday: the checklist as of Wednesday, one item done there.
        coordinator.get(self.site + "/discharges?as_of=2026-12-09")
        self.assertIn("records release on file", coordinator.find_element(By.ID, "overdue").text)  # due the 8th
        coordinator.find_element(
            By.CSS_SELECTOR, "button[aria-label='Mark records release on file done for c-112']").click()
        WebDriverWait(coordinator, 30).until(
            lambda d: "c-112: records release on file, done on 2026-12-09" in self.text(d))
        self.assertNotIn("records release on file", self.text(coordinator).split("done on 2026-12-09", 1)[1])
        coordinator.save_screenshot(os.path.join(SHOTS, "discharges.png"))

        # Billing: Monday's second session signed in, everyone present; each of them has a
        # claim row with Monday's minutes, and the days still to record.
        coordinator.get(self.site + "/attendance/sheet?session=mon-am2-dbt-A")
        present = [row.text for row in coordinator.find_elements(By.CSS_SELECTOR, "form.sheet tbody th")]
        for client in present:
            Select(coordinator.find_element(By.NAME, f"status_{client}")).select_by_value("present")
        coordinator.find_element(By.CSS_SELECTOR, "form.sheet button").click()
        WebDriverWait(coordinator, 30).until(lambda d: "/attendance?as_of=2026-12-07" in d.current_url)
        coordinator.find_element(By.LINK_TEXT, "Billing").click()
        self.assertIn("Billing evidence, week of 2026-12-07", self.text(coordinator))
        rows = {row.find_element(By.TAG_NAME, "td").text: row.text
                for row in coordinator.find_elements(By.CSS_SELECTOR, "#claims tbody tr")}
        self.assertEqual(sorted(rows), sorted(present))
        for client in present:
            # Billable days of those the claim needs, and the planned days not recorded yet.
            self.assertRegex(rows[client], r"\d+ of \d+ (qualifies|may still qualify|does not qualify) (Tue|Wed)")
            self.assertIn("1 day attended", rows[client])
        coordinator.save_screenshot(os.path.join(SHOTS, "billing.png"))

    def test_c_locks_and_pins_from_the_grid(self):
        coordinator = self.coordinator
        self.log_in(coordinator, "dana")

        def session_form(session_id):
            coordinator.get(self.site + "/week")
            session = coordinator.find_element(By.ID, session_id)
            session.find_element(By.TAG_NAME, "summary").click()
            return session, session.find_element(By.CSS_SELECTOR, "form.grid-action")

        def publish(expected):
            WebDriverWait(coordinator, 60).until(lambda d: "The proposed re-plan" in self.text(d))
            self.assertIn(expected, self.text(coordinator))
            version = int(re.search(r"against published version (\d+)", self.text(coordinator)).group(1))
            coordinator.find_element(By.CSS_SELECTOR, "form[action='/week/publish'] button").click()
            WebDriverWait(coordinator, 60).until(lambda d: f"Published version {version + 1}" in self.text(d))

        # Monday's dbt kept exactly as published: the re-plan holds it, and the grid says so.
        session, form = session_form("mon-am2-dbt-A")
        members = session.find_element(By.CSS_SELECTOR, "ul.members").text
        form.find_element(By.CSS_SELECTOR, "button[value='lock']").click()
        publish("mon-am2-dbt-A locked")
        session, form = session_form("mon-am2-dbt-A")
        self.assertIn("locked", session.find_element(By.TAG_NAME, "summary").text)
        self.assertEqual(session.find_element(By.CSS_SELECTOR, "ul.members").text, members)
        self.assertEqual(form.find_elements(By.CSS_SELECTOR, "button[value='lock']"), [])  # locked already

        # A client pinned into Wednesday's dbt: the re-plan rosters them there.
        session, form = session_form("wed-am2-dbt-A")
        choice = Select(form.find_element(By.NAME, "subject"))
        client = choice.options[0].text
        self.assertNotIn(client, session.find_element(By.CSS_SELECTOR, "ul.members").text.split())
        choice.select_by_visible_text(client)
        form.find_element(By.CSS_SELECTOR, "button[value='pin']").click()
        publish(f"{client} pinned to dbt on Wed am2")
        session, _ = session_form("wed-am2-dbt-A")
        self.assertIn(client, session.find_element(By.CSS_SELECTOR, "ul.members").text.split())
        self.assertIn(f"Pinned here: {client}", session.text)
        coordinator.save_screenshot(os.path.join(SHOTS, "grid-pin.png"))

    def test_d_a_long_solve_shows_its_progress_and_stops_early(self):
        # A 60-client program of its own, where ranking fourteen absences takes a while.
        scenario, record = "Scenarios/generated-60-seed1.yaml", os.path.join(self.work, "sixty.sqlite")
        iop("plan", scenario, "--time-limit", "5", "--format", "json", "--out", "sixty.json", cwd=self.work)
        iop("init", record)
        iop("import", record, scenario, cwd=self.work)
        iop("publish", record, "sixty.json", "--scenario", scenario, cwd=self.work)
        iop("user", "add", record, "dana", "--role", "coordinator", stdin=PASSWORDS["dana"] + "\n")
        iop("user", "add", record, "lee", "--role", "coordinator", stdin=PASSWORDS["lee"] + "\n")
        server, site = serve(record, os.path.join(self.work, "sixty.log"))
        asking, watching = browser(), browser()
        try:
            self.log_in(asking, "dana", site)
            self.log_in(watching, "lee", site)
            # Dana ranks Wednesday's absences (her page waits for the answer meanwhile).
            asking.get(site + "/whatif")
            self.set_value(asking, "on", "2026-12-09")
            self.set_value(asking, "now", "2026-12-08T18:00")
            ranking = threading.Thread(
                target=lambda: asking.find_element(By.CSS_SELECTOR, "form[action='/whatif'] button").click())
            ranking.start()
            # Lee's open week shows the search running, with its stop button.
            stop = WebDriverWait(watching, 60).until(
                lambda d: d.find_element(By.ID, "solve-stop") if d.find_element(By.ID, "solve-stop").is_displayed()
                else None)
            self.assertIn("started by dana", watching.find_element(By.ID, "solve").text)
            watching.save_screenshot(os.path.join(SHOTS, "solve-progress.png"))
            stop.click()
            WebDriverWait(watching, 30).until(lambda d: "The search was stopped" in d.find_element(By.ID, "solve").text)
            # Dana's answer comes early, ranked by what the searches had found, and says so.
            ranking.join(timeout=120)
            WebDriverWait(asking, 120).until(lambda d: "Worst first" in self.text(d))
            self.assertIn("The ranking was stopped before its time limit", self.text(asking))
        finally:
            asking.quit()
            watching.quit()
            server.terminate()
            server.wait(timeout=30)

if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--iop", required=True)
    arguments, rest = parser.parse_known_args()
    IOP = os.path.abspath(arguments.iop)
    unittest.main(argv=[sys.argv[0], "-v", *rest])
