"""Browser journeys: a live portal on loopback driven by Debian's chromium.

The portal runs as a child process on the same test configuration, database
and Solr core as the test process, so data created with factories is what the
browser sees.
"""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
CHROMIUM = os.environ.get("LDECO_CHROMIUM", "/usr/bin/chromium")
# Without the background-networking flags chromium keeps dialling out, which a
# closed network refuses many times a second.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def live_server(request):
    """Base URL of a portal served by `ckan run` on a free loopback port."""
    test_ini = Path(request.config.getoption("ckan_ini")).resolve()
    port = _free_port()
    ckan = Path(sys.executable).with_name("ckan")
    ARTIFACTS.mkdir(exist_ok=True)
    # The test configuration with CSRF protection on, for core and extensions,
    # as the real portal runs: every form a journey submits must carry its token.
    ini = ARTIFACTS / "live-server.ini"
    logging = test_ini.read_text(encoding="utf-8").split("[loggers]", 1)[1]
    ini.write_text(f"[app:main]\nuse = config:{test_ini}\nWTF_CSRF_ENABLED = true\n"
                   f"ckan.csrf_protection.ignore_extensions = false\n\n[loggers]{logging}", encoding="utf-8")
    log = open(ARTIFACTS / "live-server.log", "w")
    base = f"http://127.0.0.1:{port}"
    # the portal's own links and redirects must point at itself
    env = {**os.environ, "CKAN_SITE_URL": base}
    proc = subprocess.Popen(
        [str(ckan), "-c", str(ini), "run", "--host", "127.0.0.1", "--port", str(port),
         "--disable-reloader", "--threaded"],
        stdout=log, stderr=subprocess.STDOUT, start_new_session=True, env=env,
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            if requests.get(f"{base}/api/3/action/status_show", timeout=2).ok:
                break
        except requests.ConnectionError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"the live portal did not start; see {ARTIFACTS / 'live-server.log'}")
        time.sleep(0.5)
    yield base
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(timeout=20)
    log.close()


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        pytest.fail(f"chromium not found at {CHROMIUM}: `make test` installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def new_page(browser):
    """Make pages, each in a fresh context (its own cookies, one person each)
    that reaches loopback only; every context is closed after the test."""
    contexts = []

    def make(width: int = 1280, height: int = 900):
        context = browser.new_context(viewport={"width": width, "height": height})
        context.route("**/*", lambda route: route.continue_()
                      if route.request.url.startswith(("http://127.0.0.1", "data:", "blob:")) else route.abort())
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


def shot(page, name: str) -> Path:
    """Keep a screenshot as a test artefact, to be looked at."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def login(page, base: str, name: str, password: str) -> None:
    """Sign in through the portal's own form, as a person would."""
    page.goto(f"{base}/user/login")
    page.fill("#field-login", name)
    page.fill("#field-password", password)
    page.press("#field-password", "Enter")
    page.wait_for_load_state()
