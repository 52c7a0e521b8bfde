"""Screenshots of the admin at a laptop's width, in Vietnamese, Lao and English.

Against a running server with the demo loaded (`make run`, or `manage.py runserver`
on another port after `load_demo --examples` and `ensure_demo_login`):

    .venv/bin/python docs/admin_screenshots.py http://127.0.0.1:8000 docs/screenshots

writes admin-<page>-<language>-1280.png for the index, the lists of distributions,
visits and programmes, and a programme's form (the first screen of each; --full for
whole pages), and prints any sideways overflow it finds. It signs in as the demo
clerk (user `demo`, or --user/--password). The browser is Debian's chromium, as in
tests/browser/.
"""

import argparse
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
]
PAGES = {
    "index": "/admin/",
    "distributions": "/admin/programs/giftdistribution/",
    "visits": "/admin/exchanges/delegationvisit/",
    "programmes": "/admin/programs/jointprogram/",
}
LANGUAGES = ("vi", "lo", "en")
OVERFLOW = "document.documentElement.scrollWidth - window.innerWidth"


def arguments():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base_url")
    parser.add_argument("folder", type=Path)
    parser.add_argument("--user", default="demo")
    parser.add_argument("--password", default="demo-cooperation")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=800)
    parser.add_argument("--full", action="store_true", help="whole pages")
    return parser.parse_args()


def sign_in(page, base_url, user, password):
    page.goto(f"{base_url}/admin/login/")
    page.fill("#id_username", user)
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    page.wait_for_url(f"{base_url}/admin/")


def first_programme_path(page, base_url):
    """The change form of the first programme in the list."""
    page.goto(f"{base_url}{PAGES['programmes']}")
    link = page.locator("#result_list tbody tr a").first
    return link.get_attribute("href")


def main():
    args = arguments()
    base_url = args.base_url.rstrip("/")
    args.folder.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        for language in LANGUAGES:
            context = browser.new_context(
                locale=language,
                extra_http_headers={"Accept-Language": language},
                viewport={"width": args.width, "height": args.height},
            )
            page = context.new_page()
            sign_in(page, base_url, args.user, args.password)
            pages = {**PAGES, "programme": first_programme_path(page, base_url)}
            for name, path in pages.items():
                page.goto(f"{base_url}{path}")
                target = args.folder / f"admin-{name}-{language}-{args.width}.png"
                page.screenshot(path=str(target), full_page=args.full)
                print(f"{target}  sideways overflow: {page.evaluate(OVERFLOW)} px")
            context.close()
        browser.close()


if __name__ == "__main__":
    main()
