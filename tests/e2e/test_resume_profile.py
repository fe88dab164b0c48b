"""Issue 15.6: an agency submits a resume; once the worker has read it, the agency's page and the
recruiter's candidate page show its work experience (with each job's description), education,
skills and languages, at desktop width and on a 390 px phone without sideways scrolling."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from recruitment.models import Role
from tests.factories import (
    PASSWORD,
    AgencyFactory,
    AgencyUserFactory,
    AssignmentFactory,
    JobFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)
SHOTS = Path("/tmp/profile-shots")
LONG_SKILL = "SupercalifragilisticexpialidociousDistributedSystemsEngineering"
RESUME = f"""Renée Dupont
renee.dupont@example.com
+33 6 12 34 56 78

Summary
Data engineer with eight years of building pipelines for retail and logistics.

Experience
Lead Data Engineer, Nexus Logistics
03/2021 - present
- Led a team of five building the company's streaming platform on Kafka and Flink
- Cut the nightly batch from six hours to forty minutes

Data Engineer, Carrefour Digital
09/2017 - 02/2021
Built the product catalogue's ingestion from 40 suppliers.

Education
Université Paris-Saclay
MSc Computer Science
2015 - 2017

Université de Lyon
BSc Mathematics
2012 - 2015

Skills
Python, SQL, Apache Kafka, Apache Flink, dbt, Airflow, Kubernetes, Terraform, {LONG_SKILL}

Languages
Français (langue maternelle), English (C1), Deutsch (B1)
""".encode()


def _shows_the_profile(page):
    resume = page.locator(".resume")
    experience = resume.locator("ol.timeline").first
    expect(experience.locator("li")).to_have_count(2, timeout=20000)
    expect(experience.locator("li").first).to_contain_text("Lead Data Engineer · Nexus Logistics")
    expect(experience.locator("li").first).to_contain_text("03/2021 – present")
    expect(experience.locator("li").first).to_contain_text("Cut the nightly batch")
    education = resume.locator("h3:text-is('Education') + ol.timeline li")
    expect(education).to_have_text(
        [
            re.compile(r"MSc Computer Science · Université Paris-Saclay\s+2015 – 2017"),
            re.compile(r"BSc Mathematics · Université de Lyon\s+2012 – 2015"),
        ]
    )
    expect(resume.locator("h3:text-is('Skills') + ul li")).to_have_count(9)
    expect(resume.locator("h3:text-is('Skills') + ul")).to_contain_text("Apache Kafka")
    expect(resume.locator("h3:text-is('Languages') + ul li")).to_have_text(
        ["Français", "English", "Deutsch"]
    )


def _screenshots(page, name):
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=SHOTS / f"{name}-{width}.png", full_page=True)
    widths = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], f"{name} scrolls sideways at 390 px: {widths}"
    skill = page.get_by_text(LONG_SKILL)
    skill_box, card_box = skill.bounding_box(), page.locator(".resume").bounding_box()
    assert skill_box["x"] + skill_box["width"] <= card_box["x"] + card_box["width"] + 0.5


def test_both_candidate_pages_show_the_parsed_profile(browser, live_server, sign_in, celery_worker):
    SHOTS.mkdir(exist_ok=True)
    recruiter = UserFactory(role=Role.RECRUITER, email="rita@employer.example")
    job = JobFactory(title="Data Engineer", coordinator=recruiter)
    agency = AgencyFactory(name="Apex Talent", country="FR")
    AssignmentFactory(job=job, agency=agency)
    agency_user = AgencyUserFactory(agency=agency, email="jack@apex.example")

    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(page, agency_user.email, PASSWORD)
    page.goto(f"{live_server.url}/agency/submit/")
    page.get_by_label(re.compile("^Job")).select_option(index=1)
    page.get_by_label(re.compile("^First name")).fill("Renée")
    page.get_by_label(re.compile("^Last name")).fill("Dupont")
    page.get_by_label(re.compile("^Email")).fill("renee.dupont@example.com")
    page.get_by_label(re.compile("^Resume")).set_input_files(
        {"name": "renee-dupont.txt", "mimeType": "text/plain", "buffer": RESUME}
    )
    page.get_by_role("button", name="Submit candidate").click()
    expect(page.get_by_role("heading", name="Outcome: New")).to_be_visible()
    _shows_the_profile(page)
    _screenshots(page, "agency-submission")

    recruiter_page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(recruiter_page, recruiter.email, PASSWORD)
    recruiter_page.goto(f"{live_server.url}/people/")
    recruiter_page.get_by_role("link", name="Renée Dupont").click()
    expect(recruiter_page.get_by_role("heading", name="Ownership")).to_be_visible()
    _shows_the_profile(recruiter_page)
    _screenshots(recruiter_page, "recruiter-candidate")
