"""The whole school story as users run it: a teacher sets up the server with the `tutor server`
commands, a laptop (its own TUTOR_HOME) practises offline, enrols, runs `tutor sync --json`, and
the teacher sees the results in the dashboard in a real headless Chromium."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import httpx
import pytest
from syncsupport import TUTOR, SubprocessServer

from tutor.core.progress.encounter import finished_payload
from tutor.core.progress.learners import Learners
from tutor.core.progress.store import ProgressStore

CHROMIUM, DRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
PASSWORD = "a long password"


def tutor(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(TUTOR), *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=os.environ.copy(),
    )


def browser():  # type: ignore[no-untyped-def]
    if not (shutil.which(CHROMIUM) and shutil.which(DRIVER)):
        pytest.skip("Debian packages chromium and chromium-driver are not installed")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=412,915",  # a phone
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    # A form post or link click loads a new page; on a busy machine the next lookup can run
    # before it arrives, so lookups wait for their element (up to 10 s).
    driver.implicitly_wait(10)
    return driver


@pytest.mark.slow
def test_laptop_to_dashboard(tmp_path: Path, tutor_home: Path) -> None:
    data = tmp_path / "server"
    out = tutor("server", "--data", str(data), "add-teacher", "Ms Banda", stdin=f"{PASSWORD}\n" * 2)
    assert out.returncode == 0, out.stderr
    out = tutor("server", "--data", str(data), "class-code", "Year 3", "--teacher", "Ms Banda")
    assert out.returncode == 0, out.stderr
    code = out.stdout.strip()
    assert len(code) == 8

    # The laptop practises offline.
    store = ProgressStore()
    amina = Learners(store).create("Amina <b>Hassan</b>")
    bruno = Learners(store).create("Bruno")
    for learner, case, scores in (
        (amina.id, "chest-pain", {"history": 0.9, "examination": 0.4, "diagnosis": 1.0}),
        (amina.id, "fever", {"history": 0.7, "examination": 0.2, "management": 0.6}),
        (bruno.id, "chest-pain", {"history": 0.5, "examination": 0.3, "diagnosis": 0.0}),
    ):
        payload = finished_payload(case, scores, 420.0)
        store.write(lambda tx, p=payload, lid=learner: tx.emit("encounter.finished", p, lid))
    made = store.last_seq()
    store.close()

    with SubprocessServer(data) as server:
        out = tutor("enroll", server.url, code)
        assert out.returncode == 0, out.stderr
        out = tutor("sync", "--json")
        assert out.returncode == 0, out.stderr
        report = json.loads(out.stdout)
        assert report["all_acknowledged"] is True
        assert report["acknowledged"] == made and report["pending"] == 0

        driver = browser()
        try:
            driver.get(server.url + "/")
            driver.find_element("id", "name").send_keys("Ms Banda")
            driver.find_element("id", "password").send_keys("wrong password")
            driver.find_element("id", "login").click()
            assert driver.find_element("id", "login-error").is_displayed()
            driver.find_element("id", "name").send_keys("Ms Banda")
            driver.find_element("id", "password").send_keys(PASSWORD)
            driver.find_element("id", "login").click()
            driver.find_element("link text", "Year 3").click()
            learners = driver.find_element("id", "learners").text
            assert "Amina <b>Hassan</b>" in learners and "Bruno" in learners  # escaped
            assert "3 attempts by 2 learners." in driver.find_element("id", "summary").text
            weakest = driver.find_elements("css selector", "#weakest li")
            assert weakest[0].text.startswith("Examination: 30%")
            points = driver.find_elements("css selector", "#chart svg circle.point")
            assert len(points) >= 1
            cases = driver.find_element("id", "cases").text
            assert "chest-pain" in cases and "fever" in cases
            # The page fits a phone: no horizontal scrolling of the whole page.
            width = driver.execute_script("return document.documentElement.scrollWidth")
            assert width <= driver.execute_script("return window.innerWidth") + 1
            cookie = driver.get_cookie("tutor_session")
            assert cookie is not None
            driver.find_element("partial link text", "Amina").click()
            assert "fever" in driver.find_element("id", "cases").text
        finally:
            driver.quit()
        csv = httpx.get(
            server.url + driver_class_csv(data), cookies={"tutor_session": cookie["value"]}
        )
        assert csv.status_code == 200
        lines = csv.text.strip().splitlines()
        assert lines[0].startswith("learner,learner_id,case_id,date,duration_s,history")
        assert len(lines) == 1 + 3
        assert httpx.get(server.url + driver_class_csv(data)).status_code == 303


def driver_class_csv(data: Path) -> str:
    from tutor.server.sqlite_storage import SQLiteStorage

    storage = SQLiteStorage(data / "server.db")
    try:
        teacher = storage.teacher_by_name("Ms Banda")
        assert teacher is not None
        return f"/class/{storage.classes_of(teacher[0].id)[0].id}/results.csv"
    finally:
        storage.close()


def test_cli_errors_are_one_calm_line(tmp_path: Path) -> None:
    data = str(tmp_path / "server")
    for args, stdin, expected in (
        (("sync", "--json"), None, "not enrolled"),
        (("enroll", "ftp://x", "CODE"), None, "must start with http"),
        (("enroll", "http://127.0.0.1:9", "CODE"), None, "could not be reached"),
        (("server", "--data", data, "add-teacher", "T"), "short\nshort\n", "at least 8"),
        (("server", "--data", data, "class-code", "C", "--teacher", "Nobody"), None, "No teacher"),
    ):
        out = tutor(*args, stdin=stdin)
        assert out.returncode == 1, (args, out.stdout, out.stderr)
        assert expected in out.stderr and "Traceback" not in out.stderr
