"""JupyterLab at a projector (``make present``) and as ``make lab`` opens it, at 1280×720, in a
real browser.

The server starts with the settings the make targets give it (``config/lab``, and
``config/present`` as user settings for ``make present``) and nothing of the tests' own: the page
shows no pop-up or toast (Jupyter's news question), and for ``make present`` notebook 00 in the
Simple Interface, the file browser closed and the larger text. Screenshots go to ``/tmp/shots``.
"""

import os
import re
import secrets
import shutil
import sys
from pathlib import Path

import pytest

from .browser_pages import ROOT
from .conftest import free_port, notebook_copy, Server

SHOTS = Path("/tmp/shots")
OVERLAYS = ".Toastify__toast, .jp-Notification-Toast, .jp-Dialog"
NEWS = "official Jupyter news"


def start_lab(tmp, default_url, user_settings=None):
    """JupyterLab as the make targets start it: ``--LabApp.app_settings_dir=config/lab``, the
    default page and, for ``make present``, a copy of ``config/present`` as user settings (else an
    empty folder), on a free port with a token, workspaces in ``tmp``."""
    notebooks = notebook_copy(tmp)
    if user_settings:
        shutil.copytree(ROOT / "config" / user_settings, tmp / "user-settings")
    port, token = free_port(), secrets.token_hex(16)
    command = [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={notebooks}",
               "--ServerApp.ip=127.0.0.1",
               f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
               f"--IdentityProvider.token={token}",
               "--ServerApp.open_browser=False", f"--LabApp.default_url={default_url}",
               f"--LabApp.app_settings_dir={ROOT / 'config' / 'lab'}",
               f"--LabApp.user_settings_dir={tmp / 'user-settings'}",
               f"--LabApp.workspaces_dir={tmp / 'workspaces'}"]
    if os.geteuid() == 0:
        command.append("--allow-root")
    server = Server(command, notebooks, port, token, "/api/status", tmp / "lab.log")
    server.notebooks = notebooks
    return server


def makefile_flags(target):
    """The settings that the Makefile's ``target`` gives JupyterLab: its app settings folder
    (``config/...``), the folder it copies to user settings (or ``None``) and its default page."""
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = re.search(rf"^{target}:.*?\n((?:\t.*\n)+)", text, re.M).group(1)
    app_settings = re.search(r"--LabApp\.app_settings_dir=\$\(CURDIR\)/(config/\w+)",
                             recipe).group(1)
    copied = re.search(r"cp -r config/(\w+) \$\(VENV\)/present-settings", recipe)
    default_url = re.search(r"--LabApp\.default_url=(\S+)", recipe).group(1)
    return app_settings, copied and copied.group(1), default_url


@pytest.fixture(scope="module")
def present(tmp_path_factory):
    app_settings, user_settings, default_url = makefile_flags("present")
    assert app_settings == "config/lab" and user_settings == "present"
    server = start_lab(tmp_path_factory.mktemp("present"), default_url, user_settings)
    yield server
    server.stop()


# JupyterLab's announcements (its plugin @jupyterlab/apputils-extension:announcements) ask about
# the news, or not, once their own settings section has loaded and the page is restored
ANNOUNCEMENTS = "/api/config/jupyterlabapputilsextensionannouncements"


def open_lab(page, url):
    """Open JupyterLab at ``url`` and return once it shows the notebook, its kernel is idle (a
    server stopped while a kernel starts may wait for it) and it has decided whether to ask about
    Jupyter's news, its question shown if so (a second later)."""
    with page.expect_response(lambda response: ANNOUNCEMENTS in response.url):
        page.goto(url)
    page.wait_for_selector(".jp-Notebook .jp-Cell")
    page.wait_for_function("() => /\\| Idle/.test("
                           "document.querySelector('#jp-main-statusbar').textContent)",
                           polling=250)
    page.wait_for_timeout(1000)


def overlays(page):
    """Pop-ups, toasts and dialogs on the page, and whether any of them asks about Jupyter's
    news."""
    return page.locator(OVERLAYS).count(), NEWS in page.locator("body").inner_text()


@pytest.fixture
def screen(browser):
    """A page at a projector's 1280×720 whose requests stay on this machine."""
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    context.route(lambda url: not url.startswith(("http://127.0.0.1", "ws://127.0.0.1",
                                                  "data:", "blob:")),
                  lambda route: route.abort())
    page = context.new_page()
    page.set_default_timeout(120_000)
    yield page
    context.close()


def test_make_present_opens_notebook_00_simple_without_file_browser_or_pop_up_in_larger_text(
        present, screen):
    page = screen
    open_lab(page, present.url("/"))  # the address `make present` prints
    assert "/doc/tree/00_start_here.ipynb" in page.url
    assert page.evaluate("() => document.querySelector('#main').dataset.shellMode") \
        == "single-document"
    assert page.locator("#jp-left-stack").is_hidden(), "the file browser is open"
    assert overlays(page) == (0, False)
    size = page.evaluate("() => parseFloat(getComputedStyle(document.querySelector("
                         "'.jp-RenderedMarkdown p')).fontSize)")
    assert size >= 17, f"the notebook's text is {size} px"
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SHOTS / "present_1280x720.png")


def test_make_lab_asks_nothing_about_news_and_keeps_widgets_in_the_main_shell(tmp_path, screen):
    app_settings, user_settings, default_url = makefile_flags("lab")
    assert app_settings == "config/lab" and user_settings is None \
        and default_url == "/lab/tree/00_start_here.ipynb"
    server = start_lab(tmp_path, default_url)
    try:
        page = screen
        open_lab(page, server.url("/"))
        assert overlays(page) == (0, False)
        # the widgets' messages go to the kernel's main shell, not to a subshell thread beside it
        kernels = page.request.get(server.url(
            "/lab/api/settings/@jupyterlab/apputils-extension:kernels-settings")).json()
        # (the server applies config/lab's overrides to the settings' defaults)
        assert kernels["schema"]["properties"]["commsOverSubshells"]["default"] == "disabled"
        assert "commsOverSubshells" not in kernels["settings"]
        page.screenshot(path=SHOTS / "lab_1280x720.png")
    finally:
        server.stop()
