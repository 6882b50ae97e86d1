"""Helpers for tests that start real processes (the ASGI server, a Celery worker)."""

import subprocess


def stop(process: subprocess.Popen, *, grace: float = 15) -> None:
    """Terminates a child process, killing it if it does not exit within `grace` seconds."""
    process.terminate()
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)
