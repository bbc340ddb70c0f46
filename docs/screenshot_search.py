"""Take docs/serve-search.png: the search page of `glossary serve` in headless Chromium.

    python docs/screenshot_search.py [QUERY]

Builds the seeds into a temporary termbase, starts `glossary serve` on a free port, types the
query (default: xieshang) into the search box as a user would, and saves the page once the
answers are shown. Needs Debian's chromium, chromium-driver and fonts-noto-cjk, and the test
extra (Selenium).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    query = sys.argv[1] if len(sys.argv) > 1 else "xieshang"
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "termbase.sqlite3"
        subprocess.run([sys.executable, "-m", "glossary.cli", "build", str(ROOT / "seeds"), "--db", str(db),
                        "--out", str(Path(folder) / "glossary.xlsx")], check=True, stdout=subprocess.DEVNULL)
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        server = subprocess.Popen([sys.executable, "-m", "glossary.cli", "serve", "--db", str(db), "--port", str(port)],
                                  stdout=subprocess.DEVNULL, env=dict(os.environ, PYTHONUNBUFFERED="1"))
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(100):
                try:
                    urllib.request.urlopen(base + "/", timeout=5).read()
                    break
                except OSError:
                    time.sleep(0.2)
            options = webdriver.ChromeOptions()
            options.binary_location = "/usr/bin/chromium"
            for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1200,900",
                             "--lang=en-US", "--hide-scrollbars"):
                options.add_argument(argument)
            driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
            try:
                driver.get(base + "/")
                driver.find_element(By.ID, "q").send_keys(query)
                WebDriverWait(driver, 15).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#results li"))
                time.sleep(0.5)
                out = ROOT / "docs" / "serve-search.png"
                driver.save_screenshot(str(out))
                print(f"wrote {out}")
            finally:
                driver.quit()
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
