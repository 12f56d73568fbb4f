"""The web console (issue 16) in headless Chromium, driven by Selenium through Debian's chromedriver.

Our pages run no script (CSP), so a real action needs a driver that types and clicks. Called by
ops/browser-check with the demo server's address and tokens in the environment:
  BASE, BUTLER_TOKEN, MANAGER_TOKEN, OTHER_BUTLER (employee no. of another butler of the
  manager's project), TOMORROW (YYYY-MM-DD, the server's tomorrow), OUT (screenshot dir),
  PROFILE (a scratch dir for Chromium's profile).
1. A butler at a phone viewport (390x844): signs in through /login, records a visit from a house
   card on /me, sees `已记录 #N` and the quota (走访 x/7) one up; .data/console-me.png.
2. A manager at a desktop viewport (1280x900): signs in, opens /project/report
   (console-report.png), assigns a grid on /project to another butler from tomorrow
   (console-project.png) and sees `已指派`. A /project page that answers 404 (not built yet)
   is reported as not yet available, not as a failure.
Prints one line per check; exits 1 on any failure.
"""
import os
import re
import sys
import urllib.error
import urllib.parse
import urllib.request

from selenium import webdriver
from selenium.common.exceptions import NoSuchElementException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

BASE = os.environ["BASE"]
OUT = os.environ["OUT"]
FAILURES = []


def fail(message):
    FAILURES.append(message)
    print(f"console check FAILED: {message}", file=sys.stderr)


def browser(width, height, profile):
    options = webdriver.ChromeOptions()
    options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                f"--user-data-dir={profile}", f"--window-size={width},{height}"):
        options.add_argument(arg)
    # Debian's chromedriver, named explicitly: Selenium Manager would otherwise try to download one.
    service = Service(executable_path=os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver"))
    driver = webdriver.Chrome(options=options, service=service)
    driver.set_page_load_timeout(30)
    # The viewport (not the window) is what a phone has: set it through the DevTools protocol.
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600})
    return driver


def submitted(driver, button):
    """Presses a form's button and waits for the page the server answers with (a 303 to a new page)."""
    old = driver.find_element(By.TAG_NAME, "html")
    button.click()
    WebDriverWait(driver, 30).until(lambda d: not is_attached(old))


def is_attached(element):
    try:
        element.tag_name
        return True
    except WebDriverException:
        return False


def sign_in(driver, token):
    """Types the token into the sign-in form and presses 登录, as a person would."""
    driver.get(BASE + "/login")
    field = driver.find_element(By.CSS_SELECTOR, "form[action='/login'] input[name=token]")
    field.send_keys(token)
    submitted(driver, driver.find_element(By.XPATH, "//form[@action='/login']//button[normalize-space()='登录']"))


def status_of(path, token):
    """The HTTP status of a GET as the signed-in user (the browser does not expose it)."""
    request = urllib.request.Request(BASE + path, headers={"Cookie": f"butler_token={token}"})
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def quota_visits(text):
    match = re.search(r"走访 (\d+)/(\d+)", text)
    return (int(match.group(1)), int(match.group(2))) if match else None


def butler_part(profile):
    driver = browser(390, 844, profile)
    try:
        sign_in(driver, os.environ["BUTLER_TOKEN"])
        if urllib.parse.urlparse(driver.current_url).path != "/me":
            fail(f"the butler's sign-in went to {driver.current_url}, not /me: "
                 f"{driver.find_element(By.TAG_NAME, 'body').text[:300]}")
            return
        body = driver.find_element(By.TAG_NAME, "body").text
        before = quota_visits(body)
        if before is None:
            fail("/me shows no quota line 走访 x/7")
        forms = driver.find_elements(By.CSS_SELECTOR, "form[action='/me/touchpoints']")
        if not forms:
            fail("/me has no house card with a record form")
            return
        form = forms[0]
        house = form.find_element(By.NAME, "house").get_attribute("value")
        Select(form.find_element(By.NAME, "kind")).select_by_visible_text("走访")
        form.find_element(By.NAME, "note").send_keys("浏览器检查：上门走访")
        submitted(driver, form.find_element(By.XPATH, ".//button[normalize-space()='记录']"))
        body = driver.find_element(By.TAG_NAME, "body").text
        recorded = re.search(r"已记录 #(\d+)", body)
        if not recorded:
            fail(f"after 记录 the page does not say 已记录 #N (at {driver.current_url})")
        after = quota_visits(body)
        if before and after and after[0] != before[0] + 1:
            fail(f"the quota went from 走访 {before[0]}/{before[1]} to {after[0]}/{after[1]}, not up by one")
        driver.save_screenshot(os.path.join(OUT, "console-me.png"))
        if recorded and before and after and after[0] == before[0] + 1:
            print(f"console check passed: the butler signed in at 390x844, recorded a visit at {house} "
                  f"(已记录 #{recorded.group(1)}), 走访 {before[0]}/{before[1]} → {after[0]}/{after[1]}; "
                  f"screenshot .data/console-me.png")
    finally:
        driver.quit()


def manager_part(profile):
    token = os.environ["MANAGER_TOKEN"]
    statuses = {path: status_of(path, token) for path in ("/project", "/project/report")}
    if all(code == 404 for code in statuses.values()):
        print("console check: /project and /project/report are not yet available (404): manager part skipped")
        return
    driver = browser(1280, 900, profile)
    try:
        sign_in(driver, token)
        if statuses["/project/report"] == 404:
            print("console check: /project/report is not yet available (404): skipped")
        else:
            driver.get(BASE + "/project/report")
            driver.save_screenshot(os.path.join(OUT, "console-report.png"))
            if statuses["/project/report"] != 200:
                fail(f"/project/report answered {statuses['/project/report']}")
            else:
                print("console check passed: /project/report opened at 1280x900; screenshot .data/console-report.png")
        if statuses["/project"] == 404:
            print("console check: /project is not yet available (404): the assignment skipped")
            return
        driver.get(BASE + "/project")
        forms = driver.find_elements(By.CSS_SELECTOR, "form[action^='/project/grids/'][action$='/assign']")
        if not forms:
            fail("/project has no grid assignment form (POST /project/grids/{code}/assign)")
            return
        form = forms[0]
        grid = form.get_attribute("action").split("/")[-2]
        other = os.environ["OTHER_BUTLER"]
        butler = form.find_element(By.NAME, "butler")
        if butler.tag_name == "select":
            choice = Select(butler)
            matches = [o for o in choice.options if o.get_attribute("value") == other or other in o.text]
            if not matches:
                fail(f"the assignment form's butler list has no {other}")
                return
            choice.select_by_value(matches[0].get_attribute("value"))
        else:
            butler.clear()
            butler.send_keys(other)
        day = form.find_element(By.NAME, "from")
        if day.get_attribute("type") == "date":
            # A date input takes the digits in the locale's order; set the value as the form would send it.
            driver.execute_script("arguments[0].value = arguments[1]", day, os.environ["TOMORROW"])
        else:
            day.clear()
            day.send_keys(os.environ["TOMORROW"])
        submitted(driver, form.find_element(By.XPATH, ".//button[normalize-space()='指派']"))
        body = driver.find_element(By.TAG_NAME, "body").text
        driver.save_screenshot(os.path.join(OUT, "console-project.png"))
        if "已指派" not in body:
            fail(f"after 指派 the page does not say 已指派 (at {driver.current_url}): {body[:300]}")
        else:
            print(f"console check passed: the manager assigned grid {grid} to {other} from {os.environ['TOMORROW']} "
                  f"(已指派); screenshot .data/console-project.png")
    finally:
        driver.quit()


def main():
    profile = os.environ["PROFILE"]
    try:
        butler_part(os.path.join(profile, "butler"))
        manager_part(os.path.join(profile, "manager"))
    except (WebDriverException, NoSuchElementException) as error:
        fail(f"the browser: {error.msg if hasattr(error, 'msg') else error}")
    sys.exit(1 if FAILURES else 0)


if __name__ == "__main__":
    main()
