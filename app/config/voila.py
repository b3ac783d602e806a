# Voilà's settings for the workshop page (`make app`, and the browser tests): read through --Voila.config_file_paths.
# A page load starts a kernel of about 250 MiB; it must end when its page does, or a session of reloads fills the
# machine. This file is named voila.py because Voilà looks for that name; it lives in its own folder so that it
# never shadows the voila package (app/ is the kernels' working directory).

c = get_config()  # noqa: F821 (traitlets defines it in config files)


def _issue_xsrf_cookie(handler, notebook, cwd):
    """Give the page its _xsrf cookie. Closing the page posts the kernel's shutdown request with the cookie's
    value (Voilà's widget manager, on 'beforeunload'); Voilà's own page never sets the cookie, so the server
    refused every such request (403, '_xsrf' argument missing) and the kernel lived on. Reading the token
    sets the cookie, as JupyterLab's pages do; the shutdown request stays protected against other sites."""
    handler.xsrf_token


c.VoilaConfiguration.prelaunch_hook = _issue_xsrf_cookie

# The page's template, app/jupyter/voila/templates/explorers: Voilà's own "lab" template, and a script that names
# each slider's handle after the slider's label, for screen readers (ipywidgets leaves the handles unnamed). Voilà
# looks for templates in Jupyter's data directories; JUPYTER_PATH puts app/jupyter first among them.
import os  # noqa: E402
from pathlib import Path  # noqa: E402

os.environ["JUPYTER_PATH"] = os.pathsep.join(
    [str(Path(__file__).resolve().parent.parent / "jupyter")]
    + ([os.environ["JUPYTER_PATH"]] if os.environ.get("JUPYTER_PATH") else []))
c.VoilaConfiguration.template = "explorers"

# A page closed while it still loads has no shutdown request yet (the widget manager registers it last), and a
# browser that crashes or sleeps sends none, and now and then a closing tab's request is lost: end a kernel that
# no page is connected to once it has been idle for two minutes, checking every 30 s. A kernel with an open page
# is never culled, however long it sits idle; a page cut off for longer (a laptop asleep) reloads with a new one.
c.MappingKernelManager.cull_idle_timeout = 120
c.MappingKernelManager.cull_interval = 30
c.MappingKernelManager.cull_connected = False

# The stall ("Executing 3 of 6" for good, about one load in nine on a busy machine): Voilà runs the notebook with
# nbclient, which waits for each cell's reply with a poll of the kernel's shell socket that has no time limit.
# While a cell fills an Output widget (each explorer draws into one), nbclient mirrors the outputs into the
# widget by sending messages on that same socket. When the cell's reply arrives during such a send, the socket
# holds the reply (its events read POLLIN) but its edge-triggered file descriptor has already been drained, so
# the poll is never woken: the kernel is idle, the page waits forever. A poll that gives up after a second and
# polls again reads the socket's events afresh and finds the reply; waits with a time limit are left as they are.
from queue import Empty  # noqa: E402

from jupyter_client.channels import AsyncZMQSocketChannel  # noqa: E402


def _poll_again_every_second(get_msg):
    async def get_msg_polled_again(self, timeout=None):
        if timeout is not None:
            return await get_msg(self, timeout)
        while True:
            try:
                return await get_msg(self, 1.0)
            except Empty:
                pass

    return get_msg_polled_again


AsyncZMQSocketChannel.get_msg = _poll_again_every_second(AsyncZMQSocketChannel.get_msg)
