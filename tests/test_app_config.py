"""Voilà's settings for the workshop page (``app/config/voila.py``), read as Voilà reads them:
every page gets the cookie its shutdown request needs, idle kernels without a page are culled and
open pages' never, and the wait for a cell's reply polls again every second, so that a reply that
came in during a widget message is still found (the stall "Executing 3 of 6"); and the page's
template is the course's own, found where Voilà looks for templates. Run in a fresh process:
reading the file changes jupyter_client's class for good (and Jupyter's data path)."""

import subprocess
import sys
from pathlib import Path

CONFIG = Path(__file__).resolve().parent.parent / "app" / "config" / "voila.py"

CHECK = r'''
import asyncio, runpy
from pathlib import Path
from queue import Empty
from traitlets.config import Config
from jupyter_client.channels import AsyncZMQSocketChannel

calls = []

async def get_msg(self, timeout=None):  # a socket whose reply is found on the third poll
    calls.append(timeout)
    if timeout is not None and len(calls) < 3:
        raise Empty
    return "reply"

AsyncZMQSocketChannel.get_msg = get_msg
c = Config()
settings = runpy.run_path(CONFIG, init_globals={"get_config": lambda: c})
# no time limit: polled again every second
print(asyncio.run(AsyncZMQSocketChannel.get_msg(None)), calls)
calls.clear()
try:
    asyncio.run(AsyncZMQSocketChannel.get_msg(None, timeout=0.5))
except Empty:
    print("Empty", calls)  # a time limit: left as it is
kernels = c.MappingKernelManager
print(kernels.cull_idle_timeout, kernels.cull_interval, kernels.cull_connected)


class Handler:
    xsrf_token = property(lambda self: cookies.append("_xsrf") or "token")

cookies = []
c.VoilaConfiguration.prelaunch_hook(Handler(), None, None)
print(cookies)

from voila.paths import collect_template_paths

template = c.VoilaConfiguration.template
# the page: the first index.html.j2 along the template's paths
page = next(Path(path) for path in collect_template_paths(["voila", "nbconvert"], template)
            if Path(path, "index.html.j2").exists())
print(template, page.relative_to(Path(CONFIG).parents[2]).as_posix())
'''


def test_the_settings_poll_again_cull_pageless_kernels_give_the_cookie_and_the_template():
    out = subprocess.run([sys.executable, "-c", f"CONFIG = {str(CONFIG)!r}\n" + CHECK],
                         capture_output=True, text=True, check=True).stdout.splitlines()
    assert out == ["reply [1.0, 1.0, 1.0]", "Empty [0.5]", "120 30 False", "['_xsrf']",
                   "explorers app/jupyter/voila/templates/explorers"]
