"""What the browser tests share: the built book, a local server, Chromium with no internet.

The fixtures are made available to every test module by tests/conftest.py. BOOK_HTML and
BOOK_TOC name another build and its _toc.yml (see tests/test_book_browser.py).
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
HTML = Path(os.environ.get("BOOK_HTML", ROOT / "_build" / "html")).resolve()
TOC = Path(os.environ.get("BOOK_TOC", ROOT / "_toc.yml"))  # the _toc.yml that HTML was built from
SCREENSHOTS = HTML.parent / "screenshots"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
WAIT_MS = 20_000  # MathJax and the widget manager start asynchronously; a slow CI machine

# JavaScript errors that come from upstream packages, are harmless, and are not ours to fix.
KNOWN_JS_ERRORS = (
    # sphinx-thebe 0.3.1 writes its `const THEBE_JS_URL = ...` line twice in every page under
    # Jupyter Book; the second one throws, the first one already did the job. Live code (thebe)
    # is off in _config.yml anyway.
    "Identifier 'THEBE_JS_URL' has already been declared",
)


def toc_pages():
    """The book's pages in the lecture's order, as paths of HTML files: _toc.yml's root, then
    every chapter (and section) of every part."""
    toc = yaml.safe_load(TOC.read_text())

    def walk(entries):
        for entry in entries or []:
            if "file" in entry:
                yield entry["file"]
            yield from walk(entry.get("sections"))

    files = [toc["root"]]
    for part in toc.get("parts", [{"chapters": toc.get("chapters")}]):
        files += list(walk(part.get("chapters")))
    return [str(Path(f).with_suffix("")) + ".html" for f in files]


PAGES = toc_pages()


# -- fixtures: the built book, a local server, a browser that cannot reach the internet -------

@pytest.fixture(scope="session")
def book():
    if not (HTML / "index.html").is_file():
        pytest.fail(f"The built book is missing ({HTML / 'index.html'} does not exist). "
                    "Run `make book` first (or `make test`, which builds it).")
    return HTML


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def server(book):
    """http://127.0.0.1:<free port>/ serving the built book."""
    handler = functools.partial(_QuietHandler, directory=str(book))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="session")
def browser():
    try:
        from playwright import sync_api
    except ImportError:
        pytest.fail("The browser tests need the playwright package (the `test` extra: "
                    "`make env`). Never `playwright install`: they use Debian's Chromium.")
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.fail("The browser tests need Chromium: run `make chromium` "
                    "(or `sudo apt-get install chromium`).")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, headless=True,
                                             args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def offline(context, server):
    """Abort every request of ``context`` that is not to ``server``; ``context.blocked`` lists
    what was refused. Returns the context."""
    context.blocked = []

    def only_local(route):
        if route.request.url.startswith(server):
            route.continue_()
        else:
            context.blocked.append(route.request.url)
            route.abort()

    context.route("**/*", only_local)
    return context


@pytest.fixture(scope="session")
def offline_context(browser, server):
    """A desktop-sized browser context in which every request that is not to our server is
    aborted. ``context.blocked`` lists what was refused."""
    context = offline(browser.new_context(viewport={"width": 1280, "height": 900}), server)
    yield context
    context.close()


@pytest.fixture(scope="session")
def phone_context(browser, server):
    """A phone: 390 x 844 CSS pixels, a touch screen, two device pixels per CSS pixel, offline."""
    context = offline(browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                                          has_touch=True, device_scale_factor=2), server)
    yield context
    context.close()


def wait_for_mathjax(page):
    """Wait until MathJax 3 has typeset the page (if the page has maths); False if it never
    loaded, e.g. because it was to come from a CDN that the test blocks."""
    if page.locator(".math").count() == 0:
        return True
    try:
        page.wait_for_function("() => window.MathJax && MathJax.startup && MathJax.startup.promise",
                               timeout=WAIT_MS)
        page.evaluate("() => MathJax.startup.promise")
    except Exception:  # playwright's TimeoutError
        return False
    return True


def wait_for_widgets(page):
    """Wait until the page's sliders are drawn (if it has widgets); False if they never were."""
    if page.locator('script[type="application/vnd.jupyter.widget-view+json"]').count() == 0:
        return True
    try:
        page.wait_for_selector(".widget-slider", state="visible", timeout=WAIT_MS)
    except Exception:  # playwright's TimeoutError
        return False
    return True


def open_page(context, url):
    """A new page of ``context`` at ``url``, with its maths typeset and its widgets drawn;
    ``page.errors`` collects its JavaScript errors."""
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.goto(url, wait_until="load")
    wait_for_mathjax(page)
    wait_for_widgets(page)
    return page
