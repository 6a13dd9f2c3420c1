"""Load over loopback: closed-loop with Debian's wrk, open-loop with a small generator."""

import asyncio
import subprocess
import time
from urllib.parse import quote

from .report import latency_sample, parse_wrk
from .site import BROWSER_HEADERS


def wrk(url, seconds, threads=2, connections=32):
    argv = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds:g}s", "--latency"]
    argv += ["--timeout", "10s"]
    for name, value in BROWSER_HEADERS.items():
        argv += ["-H", f"{name}: {value}"]
    result = subprocess.run(  # noqa: S603 - our own command line
        [*argv, url], capture_output=True, text=True, timeout=seconds + 60, check=False
    )
    if result.returncode:
        raise RuntimeError(f"wrk failed: {result.stderr or result.stdout}")
    return parse_wrk(result.stdout)


def sequential(fetch, path, count, before=None):
    """``count`` single requests one after another, ``before()`` run ahead of each (not
    timed): a Sample with req/s = 1 / mean latency of one client."""
    latencies, bad = [], 0
    for _ in range(count):
        if before:
            before()
        started = time.perf_counter()
        status, _, _ = fetch(path)
        latencies.append((time.perf_counter() - started) * 1000)
        bad += not 200 <= status < 400
    sample = latency_sample(latencies, sum(latencies) / 1000, bad=bad)
    return sample


async def _one(port, path, scheduled, timeout):
    """Status of one GET and its latency counted from when it was due to be sent (so a
    slow server cannot hide its delay by slowing the sender: no coordinated omission)."""
    headers = "".join(f"{k}: {v}\r\n" for k, v in BROWSER_HEADERS.items())
    target = quote(path, safe="/?#[]@!$&'()*+,;=:%~")
    request = f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\n{headers}Connection: close\r\n\r\n"
    try:
        async with asyncio.timeout(timeout):
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(request.encode("ascii"))
            await writer.drain()
            status_line = await reader.readline()
            while await reader.read(65536):
                pass
            writer.close()
        status = int(status_line.split()[1])
    except (OSError, TimeoutError, IndexError, ValueError):
        status = 0
    return status, (time.monotonic() - scheduled) * 1000


async def _open_loop(port, paths, rate, seconds, timeout):
    started = time.monotonic()
    total = int(rate * seconds)
    tasks = []
    for index in range(total):
        scheduled = started + index / rate
        delay = scheduled - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        path = paths[index % len(paths)]
        tasks.append(asyncio.create_task(_one(port, path, scheduled, timeout)))
    results = await asyncio.gather(*tasks)
    return results, time.monotonic() - started


def open_loop(port, paths, rate, seconds, timeout=10.0):
    """Requests at a fixed arrival rate whatever the server's speed, cycling ``paths``:
    (Sample over every request, [(status, latency ms)])."""
    results, elapsed = asyncio.run(_open_loop(port, paths, rate, seconds, timeout))
    latencies = [ms for _, ms in results]  # failures count with their time to failure
    bad = sum(1 for status, _ in results if status and not 200 <= status < 400)
    errors = sum(1 for status, _ in results if not status)
    sample = latency_sample(latencies, elapsed, bad=bad, errors=errors)
    return sample, results
