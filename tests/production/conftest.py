"""`make prodcheck`: the production stack from deploy/, on loopback, under faults.

Not part of `make test` (pyproject's addopts ignore this folder); run with
`make prodcheck`. Needs root (nginx, a private PostgreSQL cluster run as `postgres`) and
Debian's postgresql, redis-server and nginx packages (`.ci/run` installs them).
Set PRODCHECK_KEEP=1 to keep the scratch directory (logs, configs) after the run.
"""

import os
import signal

import pytest

from .stack import Stack


@pytest.fixture(scope="session")
def stack():
    if os.geteuid() != 0:
        pytest.fail("make prodcheck runs nginx and a PostgreSQL cluster: it needs root")
    # `timeout -s INT` in the Makefile, or Ctrl-C, lands here as KeyboardInterrupt, so the
    # teardown below still stops every process; SIGTERM is turned into the same.
    previous = signal.signal(signal.SIGTERM, signal.default_int_handler)
    instance = Stack()
    try:
        try:
            instance.start()
        except BaseException:
            print(instance.report())
            raise
        yield instance
    finally:
        instance.stop()
        print(f"\nprodcheck stack: {instance.report()}")
        instance.timed("cleanup", instance.cleanup, keep=bool(os.environ.get("PRODCHECK_KEEP")))
        print(f"teardown timings (s): {instance.timings}")
        signal.signal(signal.SIGTERM, previous)


@pytest.fixture
def site(stack):
    """A fresh visitor (no cookies) at SITE_URL, through nginx."""
    return stack.https()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(autouse=True)
def report_processes_on_failure(request):
    """A failing stack test prints the tail of every process's log."""
    yield
    report = getattr(request.node, "report_call", None)
    if "stack" in request.fixturenames and report is not None and report.failed:
        print(request.getfixturevalue("stack").report())
