"""LibreOffice conversion worker, run by the system Python that has `uno` (Debian python3-uno).

Not imported by nianbao: office.py starts it as `python3 lo_worker.py PROFILE_DIR`. It starts one headless
soffice, then converts files on request, one JSON object per line on stdin -> one per line on stdout.
On end of input (its parent exited or closed the pipe) it terminates soffice and exits.
"""

import ctypes
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid

import uno  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]
from com.sun.star.connection import NoConnectException  # type: ignore[import-not-found]

STARTUP_SECONDS = 60


def props(**values):
    out = []
    for key, value in values.items():
        prop = PropertyValue()
        prop.Name, prop.Value = key, value
        out.append(prop)
    return tuple(out)


def _die_with_parent():
    """In the child: the kernel kills soffice when this worker dies, however it dies (PR_SET_PDEATHSIG)."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(1, signal.SIGKILL, 0, 0, 0)


def soffice_binary():
    """soffice.bin itself, not the oosplash launcher, so that no launcher process outlives the worker."""
    launcher = os.path.realpath(subprocess.check_output(["sh", "-c", "command -v soffice"]).decode().strip())
    binary = os.path.join(os.path.dirname(launcher), "soffice.bin")
    return binary if os.access(binary, os.X_OK) else launcher


RESTART = 81  # soffice.bin asks for a restart after creating a fresh profile (oosplash would do it)


def launch(profile, pipe):
    return subprocess.Popen(
        [soffice_binary(), "--headless", "--invisible", "--nologo", "--norestore", "--nodefault", "--nolockcheck",
         "--nofirststartwizard", "-env:UserInstallation=" + uno.systemPathToFileUrl(profile),
         "--accept=pipe,name=%s;urp;StarOffice.ComponentContext" % pipe],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, preexec_fn=_die_with_parent)


def start(profile):
    pipe = "nianbao_" + uuid.uuid4().hex
    soffice = launch(profile, pipe)
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + STARTUP_SECONDS
    while True:
        try:
            ctx = resolver.resolve("uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe)
            break
        except NoConnectException:
            if soffice.poll() == RESTART:
                soffice = launch(profile, pipe)
            elif soffice.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("soffice did not start")
            time.sleep(0.1)
    desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    return soffice, desktop


def convert(desktop, request):
    # MacroExecutionMode 0 = NEVER_EXECUTE; UpdateDocMode 0 = NO_UPDATE (no links fetched).
    doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(request["src"]), "_blank", 0,
                                       props(Hidden=True, ReadOnly=True, MacroExecutionMode=0, UpdateDocMode=0))
    if doc is None:
        raise RuntimeError("LibreOffice could not open the document")
    try:
        doc.storeToURL(uno.systemPathToFileUrl(request["dst"]), props(FilterName=request["filter"], Overwrite=True))
    finally:
        doc.close(True)


def _exit_on_signal(signum, frame):
    raise SystemExit(128 + signum)


def main():
    signal.signal(signal.SIGTERM, _exit_on_signal)
    signal.signal(signal.SIGHUP, _exit_on_signal)
    profile = sys.argv[1]
    soffice, desktop = start(profile)
    sys.stdout.write(json.dumps({"ready": True}) + "\n")
    sys.stdout.flush()
    try:
        for line in sys.stdin:
            request = json.loads(line)
            try:
                convert(desktop, request)
                reply = {"ok": True}
            except Exception as exc:  # noqa: BLE001 - any UNO failure is reported to the parent, which decides
                reply = {"ok": False, "error": "%s: %s" % (type(exc).__name__, exc)}
            sys.stdout.write(json.dumps(reply) + "\n")
            sys.stdout.flush()
    finally:
        try:
            desktop.terminate()
        except Exception:  # noqa: BLE001 - the bridge may already be gone; soffice is killed below anyway
            pass
        try:
            soffice.wait(timeout=5)
        except subprocess.TimeoutExpired:
            soffice.kill()
            soffice.wait()
        shutil.rmtree(profile, ignore_errors=True)  # also when the parent died without cleaning up


if __name__ == "__main__":
    os.environ.setdefault("SAL_USE_VCLPLUGIN", "svp")
    main()
