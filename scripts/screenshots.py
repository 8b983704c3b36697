"""Take the README's screenshots from a running demo (``make run``).

    python3 scripts/screenshots.py [--url http://localhost:8069]

Drives headless Chromium over the DevTools protocol (Debian's ``chromium``
and ``websocket-client``): logs in as the demo's staff and seller users and
saves each screen to ``docs/screenshots/``.
"""

import argparse
import base64
import itertools
import json
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

import websocket

ROOT = Path(__file__).resolve().parent.parent
SELLER = "Atelier Lin"
# (file, login, password, path, wait-for selector, clicks, height): each click
# is (selector, text it contains, selector to wait for afterwards).
SHOTS = [
    (
        "seller-form.png",
        "admin",
        "admin",
        "/odoo/action-marketplace_crm.action_marketplace_sellers",
        ".o_kanban_record",
        [(".o_kanban_record", SELLER, ".o_form_view .o_field_widget")],
        1100,
    ),
    (
        "dashboard.png",
        "admin",
        "admin",
        "/odoo/dashboards",
        ".o-figure",
        [
            (
                "li.o_search_panel_category_value[data-name='Marketplace']",
                "",
                "li.active[data-name='Marketplace']",
            )
        ],
        2150,
    ),
    (
        "my-shop.png",
        "seller@atelier-lin.example",
        "seller",
        "/my/seller",
        "#wrap",
        [],
        1600,
    ),
    (
        "product-page.png",
        None,
        None,
        "/shop?search=linen",
        "#products_grid",
        [("#products_grid a[href^='/shop/']", "ablecloth", "#product_detail")],
        1000,
    ),
    (
        "public-seller-page.png",
        None,
        None,
        None,  # from the product page: its link to the shop
        None,
        [("a[href^='/marketplace/seller/']", "", "#wrap")],
        1100,
    ),
]


class Browser:
    def __init__(self, width):
        self.profile = tempfile.TemporaryDirectory()
        self.process = subprocess.Popen(
            [
                "chromium",
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
                "--remote-debugging-port=9333",
                f"--user-data-dir={self.profile.name}",
                f"--window-size={width},900",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for __ in range(50):
            try:
                with urllib.request.urlopen("http://127.0.0.1:9333/json") as response:
                    pages = [p for p in json.load(response) if p["type"] == "page"]
                break
            except OSError:
                time.sleep(0.2)
        self.ws = websocket.create_connection(pages[0]["webSocketDebuggerUrl"])
        self.ids = itertools.count(1)
        self.width = width

    def send(self, method, **params):
        message_id = next(self.ids)
        self.ws.send(json.dumps({"id": message_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == message_id:
                return message.get("result", {})

    def evaluate(self, expression):
        result = self.send(
            "Runtime.evaluate",
            expression=expression,
            awaitPromise=True,
            returnByValue=True,
        )
        return result.get("result", {}).get("value")

    def open(self, url, selector, timeout=60):
        self.send("Page.navigate", url=url)
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.evaluate(f"!!document.querySelector({json.dumps(selector)})"):
                time.sleep(3)  # charts and images finish drawing
                return
            time.sleep(0.5)
        raise TimeoutError(f"{url}: {selector} not shown")

    def log_in(self, base, login, password):
        self.send("Network.clearBrowserCookies")
        self.open(f"{base}/web/login", "form")
        field = "document.querySelector('input[name=%s]').value = %s;"
        self.evaluate(
            field % ("login", json.dumps(login))
            + field % ("password", json.dumps(password))
            + "document.querySelector('form.oe_login_form').submit();"
        )
        time.sleep(4)

    def click(self, selector, text, then):
        found = self.evaluate(
            "(() => { const el = [...document.querySelectorAll("
            f"{json.dumps(selector)})]"
            f".find((e) => e.innerText.includes({json.dumps(text)}));"
            "if (el) { el.click(); return true; } return false; })()"
        )
        if not found:
            raise LookupError(f"nothing to click: {selector} {text}")
        deadline = time.time() + 60
        while not self.evaluate(f"!!document.querySelector({json.dumps(then)})"):
            if time.time() > deadline:
                raise TimeoutError(f"{then} not shown after clicking {selector}")
            time.sleep(0.5)
        time.sleep(6)

    def shoot(self, path, height):
        self.send(
            "Emulation.setDeviceMetricsOverride",
            width=self.width,
            height=height,
            deviceScaleFactor=1,
            mobile=False,
        )
        time.sleep(2)
        data = self.send("Page.captureScreenshot", format="png")["data"]
        path.write_bytes(base64.b64decode(data))

    def close(self):
        self.ws.close()
        self.process.terminate()
        self.process.wait()
        self.profile.cleanup()


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", default="http://localhost:8069")
    parser.add_argument("--width", type=int, default=1400)
    args = parser.parse_args()
    out = ROOT / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    browser = Browser(args.width)
    try:
        browser.send("Page.enable")
        browser.send("Network.enable")
        for name, login, password, path, selector, clicks, height in SHOTS:
            if login:
                browser.log_in(args.url, login, password)
            elif path:
                browser.send("Network.clearBrowserCookies")
            if path:
                browser.open(args.url + path, selector)
            for click in clicks:
                browser.click(*click)
            browser.shoot(out / name, height)
            print(f"docs/screenshots/{name}")
    finally:
        browser.close()


if __name__ == "__main__":
    main()
