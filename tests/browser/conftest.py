"""Fixtures for the real-browser tests: a JupyterLab server, a Voilà server and one headless
Chromium.

Sliders only exist in a browser, so these tests run the course the way its users meet it: Debian's
Chromium driven through the ``playwright`` package (never ``playwright install``: the project uses
the system's browser, it downloads none), talking to a server on
``127.0.0.1`` with a token. The servers serve a temporary copy of the notebooks, and are stopped,
with their kernels, when their tests end, also on failure.

Where Chromium is missing every test here is skipped with one line saying so; ``.ci/run`` installs
it. ``pytest -m "not browser"`` leaves these tests out.
"""

import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from .browser_pages import ROOT, TIMINGS

# Debian's headless build of Chromium (package 'chromium-headless-shell'): the same engine without
# the browser's windows, about a tenth less processor time over these tests than the full browser,
# which stands in where the shell is missing; HEBB_CHROMIUM names another
HEADLESS_SHELL, FULL_BROWSER = Path("/usr/bin/chromium-headless-shell"), Path("/usr/bin/chromium")
CHROMIUM = Path(os.environ.get(
    "HEBB_CHROMIUM", HEADLESS_SHELL if HEADLESS_SHELL.exists() else FULL_BROWSER))
# Headless, and quiet on the network: without the background-networking flags Chromium keeps trying
# to reach its update and sync services, which a closed network refuses.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
# s; JupyterLab imports its extensions first, slow on a busy 2-core machine
SERVER_START_TIMEOUT = 120

# JupyterLab settings for the tests, over the course's own (config/lab, as `make lab` gives them):
# every cell stays in the page (no windowing, so that a cell below the fold can be read).
LAB_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": '{"windowingMode": "none"}',
}


def pytest_configure(config):
    config.addinivalue_line("markers",
                            "browser: drives a real browser (Chromium) against a running server")


def pytest_collection_modifyitems(config, items):
    """Mark the tests that drive the browser; skip them, with one line saying why, where it cannot
    start."""
    here = Path(__file__).parent
    reason = None
    if not CHROMIUM.exists():
        reason = (f"{CHROMIUM} is missing: install Debian's 'chromium-headless-shell' package "
                  f"(.ci/run does) to run the browser tests")
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            reason = ("the 'playwright' package is missing: `make test` installs it from "
                      "requirements-test-lock.txt")
    for item in items:
        if here in Path(str(item.fspath)).parents \
                and "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)
            if reason:
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.failed_call = report.failed
    return report


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on now (the kernel picks it for a socket bound
    to port 0)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """A Jupyter server started in the background; ``url(path)`` adds the token."""

    def __init__(self, command, cwd, port, token, ready_path, log):
        self.port, self.token, self.log_path = port, token, log
        self.base = f"http://127.0.0.1:{port}"
        env = {**os.environ, "JUPYTER_PLATFORM_DIRS": "1", "PYTHONUNBUFFERED": "1",
               "JUPYTER_RUNTIME_DIR": str(Path(log).parent / "runtime")}
        self._log = open(log, "wb")
        self.process = subprocess.Popen(command, cwd=cwd, env=env, stdout=self._log,
                                        stderr=subprocess.STDOUT,
                                        stdin=subprocess.DEVNULL, start_new_session=True)
        self._wait_until_ready(ready_path)

    def url(self, path):
        return f"{self.base}{path}{'&' if '?' in path else '?'}token={self.token}"

    def _wait_until_ready(self, path):
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self.stop()
                pytest.fail(f"the server exited with "
                            f"status {self.process.returncode}:\n{self.log()}")
            try:
                if path is None:  # listening is enough (Voilà's pages would each start a kernel)
                    socket.create_connection(("127.0.0.1", self.port), timeout=5).close()
                    return
                with urllib.request.urlopen(self.url(path), timeout=5) as response:
                    if response.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.5)
        self.stop()
        pytest.fail(f"the server did not answer within {SERVER_START_TIMEOUT} s:\n{self.log()}")

    def shutdown_kernels(self):
        """End every notebook session (and its kernel) through the server's REST API."""
        import json

        with urllib.request.urlopen(self.url("/api/sessions"), timeout=10) as response:
            sessions = json.load(response)
        for session in sessions:
            request = urllib.request.Request(self.url(f"/api/sessions/{session['id']}"),
                                             method="DELETE")
            urllib.request.urlopen(request, timeout=30).close()

    def kernels(self):
        """The kernels the server runs now: its child processes that run ipykernel."""
        import psutil

        found = []
        for process in psutil.Process(self.process.pid).children(recursive=True):
            try:
                if "ipykernel_launcher" in " ".join(process.cmdline()):
                    found.append(process)
            except psutil.NoSuchProcess:
                pass
        return found

    def log(self):
        self._log.flush()
        return Path(self.log_path).read_text(errors="replace")[-4000:]

    def stop(self):
        """Stop the server and every process it started (its kernels), by their ids; SIGKILL what
        lingers."""
        import psutil

        try:
            children = psutil.Process(self.process.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            children = []
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # the server shuts its kernels down
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        _, alive = psutil.wait_procs(children, timeout=10)
        for process in alive:
            try:
                process.kill()
            except psutil.NoSuchProcess:
                pass
        self._log.close()


def notebook_copy(tmp):
    """A temporary copy of the course's notebooks (the tests never touch the committed files)."""
    target = tmp / "notebooks"
    target.mkdir()
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        shutil.copy2(path, target / path.name)
    return target


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """JupyterLab on 127.0.0.1, a free port and a fresh token, serving a copy of the notebooks,
    with the course's settings (``config/lab``) and :data:`LAB_SETTINGS`."""
    tmp = tmp_path_factory.mktemp("lab")
    notebooks = notebook_copy(tmp)
    settings = tmp / "settings"
    for name, text in LAB_SETTINGS.items():
        (settings / name).parent.mkdir(parents=True, exist_ok=True)
        (settings / name).write_text(text)
    port, token = free_port(), secrets.token_hex(16)
    command = [
        sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={notebooks}",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        "--ServerApp.open_browser=False", "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        "--LabApp.extension_manager=readonly",
        f"--LabApp.app_settings_dir={ROOT / 'config' / 'lab'}",
        f"--LabApp.user_settings_dir={settings}", f"--LabApp.workspaces_dir={tmp / 'workspaces'}",
    ]
    if os.geteuid() == 0:
        command.append("--allow-root")  # containers and CI run as root
    server = Server(command, notebooks, port, token, "/api/status", tmp / "lab.log")
    server.notebooks = notebooks
    yield server
    server.stop()


def start_voila(tmp, *settings):
    """Voilà serving a copy of ``app/`` in ``tmp`` as ``make app`` does (its settings from
    ``app/config``, then ``settings``, e.g. ``"--MappingKernelManager.cull_interval=1"``), on a
    free port with a fresh token. Also used by ``benchmarks/voila_session.py``."""
    app = tmp / "app"
    shutil.copytree(ROOT / "app", app)
    port, token = free_port(), secrets.token_hex(16)
    command = [sys.executable, "-m", "voila", str(app / "explorers.ipynb"), "--no-browser",
               "--Voila.ip=127.0.0.1",
               f"--Voila.config_file_paths={app / 'config'}", f"--Voila.port={port}",
               "--Voila.port_retries=0",
               f"--Voila.token={token}", f"--Voila.connection_dir_root={tmp}", *settings]
    return Server(command, app, port, token, None, tmp / "voila.log")


@pytest.fixture(scope="package")
def browser():
    """One headless Chromium for all browser tests (closed after the last), with a fresh profile
    (Playwright makes a temporary one)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                              args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def new_context(browser):
    """A browser context (own cookies and storage) whose requests stay on this machine."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    # the pages ask for fonts and scripts on public CDNs; this machine has no route there, and a
    # request that hangs instead of failing would hold up the page's load event: answer every
    # non-local request at once
    context.route(lambda url: not url.startswith(("http://127.0.0.1", "ws://127.0.0.1",
                                                  "data:", "blob:")),
                  lambda route: route.abort())
    return context


@contextlib.contextmanager
def recording_page(browser):
    """A new page (own context: no cookies or storage from another page) that records the page's
    own errors in ``page.errors``; its context is closed at the end."""
    context = new_context(browser)
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    try:
        yield page
    finally:
        context.close()


@pytest.fixture
def page(browser, request, tmp_path):
    """A page of the test's own (:func:`recording_page`). When the test fails, a screenshot of the
    page is saved and its path printed."""
    with recording_page(browser) as page:
        yield page
        if getattr(request.node, "failed_call", False):
            page.screenshot(path=tmp_path / "failure.png", full_page=True)
            print(f"screenshot of the page: {tmp_path / 'failure.png'}")


@pytest.fixture
def timings():
    """``timings(label, seconds)`` records how long a slider move took to show its answer (printed
    at the end)."""

    def record(label, seconds):
        TIMINGS.setdefault(label, []).append(seconds)

    return record
