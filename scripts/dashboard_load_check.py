"""The dashboard stays up and correct while `tamas ingest` loads 2,000 articles
(issue 6; figures in docs/analysts.md).

1. Generates N distinct articles in a temporary folder by recombining the seed
   articles' paragraphs (each gets a unique closing line, so none is a duplicate).
2. Ingests the seeds into a fresh warehouse and starts `tamas dashboard` on it.
3. Starts `tamas ingest` of the N articles into the same warehouse and, until it ends,
   polls the dashboard every 0.5 s: /healthz (a read-only query of v_calls, dim_article,
   ingest_run), the calls page's data callback (POST /_dash-update-component), and /.
4. Prints the figures: polls, errors, latency, states seen (each must be a complete
   state: the seeds' or the final one, never a half-loaded one).

usage: .venv/bin/python scripts/dashboard_load_check.py [N] [--keep DIR]
"""

from __future__ import annotations

import json
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TAMAS = [sys.executable, "-m", "flows.cli"]


def generate(folder: Path, n: int) -> None:
    paragraphs, titles = [], []
    for path in sorted((REPO / "seeds" / "articles").glob("*.txt")):
        lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        titles.append(lines[0])
        paragraphs += lines[1:]
    rng = random.Random(6)
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        body = rng.sample(paragraphs, k=min(len(paragraphs), rng.randint(3, 8)))
        text = "\n\n".join([rng.choice(titles), *body, f"کد گزارش {i:05d} در بایگانی آزمون بار."])
        (folder / f"gen_{i:05d}.txt").write_text(text + "\n", encoding="utf-8")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str, data: bytes | None = None) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"} if data else {})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, response.read()


CALLBACK = {
    "output": "..calls-count.children...calls-chart.children...calls-table.children..",
    "outputs": [{"id": "calls-count", "property": "children"}, {"id": "calls-chart", "property": "children"},
                {"id": "calls-table", "property": "children"}],
    "inputs": [{"id": "f-country", "property": "value", "value": None},
               {"id": "f-official", "property": "value", "value": None},
               {"id": "f-topic", "property": "value", "value": None},
               {"id": "f-from", "property": "value", "value": ""},
               {"id": "f-to", "property": "value", "value": ""}],
    "state": [{"id": "calendar", "property": "value", "value": "jalali"}],
    "changedPropIds": ["f-from.value"],
}


def main() -> int:
    n = int(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1].isdigit() else 2000
    work = Path(tempfile.mkdtemp(prefix="tamas-loadcheck-"))
    articles, warehouse = work / "articles", work / "tamas.duckdb"
    generate(articles, n)
    env_note = f"work folder {work}"
    print(f"generated {n} articles; {env_note}", flush=True)
    subprocess.run([*TAMAS, "ingest", str(REPO / "seeds" / "articles"), "--warehouse", str(warehouse)],
                   cwd=REPO, check=True, stdout=subprocess.DEVNULL)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    dash = subprocess.Popen([*TAMAS, "dashboard", "--port", str(port), "--warehouse", str(warehouse)],
                            cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(120):
            try:
                get(base + "/healthz")
                break
            except OSError:
                time.sleep(0.5)
        before = json.loads(get(base + "/healthz")[1])
        started = time.monotonic()
        ingest = subprocess.Popen([*TAMAS, "ingest", str(articles), "--warehouse", str(warehouse)],
                                  cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        polls = errors = 0
        latencies, states, error_samples = [], [], []
        while ingest.poll() is None:
            t0 = time.monotonic()
            try:
                status, body = get(base + "/healthz")
                state = json.loads(body)
                cb_status, cb_body = get(base + "/_dash-update-component", json.dumps(CALLBACK).encode())
                page_status, _ = get(base + "/")
                if status != 200 or cb_status != 200 or page_status != 200 or "تماس" not in cb_body.decode():
                    raise RuntimeError(f"status {status}/{cb_status}/{page_status}")
                if not states or states[-1][1] != (state["calls"], state["articles"], state["runs"]):
                    states.append((round(time.monotonic() - started, 1), (state["calls"], state["articles"], state["runs"])))
            except Exception as exc:  # noqa: BLE001 - every failure counts
                errors += 1
                error_samples.append(f"{type(exc).__name__}: {exc}"[:200])
            polls += 1
            latencies.append(time.monotonic() - t0)
            time.sleep(max(0.0, 0.5 - (time.monotonic() - t0)))
        out = ingest.stdout.read()
        run_seconds = time.monotonic() - started
        after = json.loads(get(base + "/healthz")[1])
        alive = dash.poll() is None
    finally:
        dash.terminate()
        dash.wait(timeout=10)
    print(out.strip().splitlines()[-3:] and "\n".join(out.strip().splitlines()[-3:]))
    print(f"ingest exit {ingest.returncode}, {run_seconds:.1f} s; dashboard alive after the run: {alive}")
    print(f"before: {before}; after: {after}")
    print(f"polls {polls} (each: /healthz + calls callback + /), errors {errors}")
    if latencies:
        print(f"poll latency: median {statistics.median(latencies) * 1000:.0f} ms, max {max(latencies) * 1000:.0f} ms")
    print("states seen (seconds into the run, (calls, articles, runs)):", states)
    for sample in error_samples[:5]:
        print("  error:", sample)
    if "--keep" not in sys.argv:
        shutil.rmtree(work, ignore_errors=True)
    complete = all(s in {(before["calls"], before["articles"], before["runs"]),
                         (after["calls"], after["articles"], after["runs"])} for _, s in states)
    ok = errors == 0 and alive and ingest.returncode == 0 and complete
    print("RESULT:", "OK" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
