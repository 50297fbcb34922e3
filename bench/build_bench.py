#!/usr/bin/env python3
"""make bench-build: time `redline build` and Hugo on the same synthetic corpus, in one run.

Both tools get the same Markdown (10 docs versions x 1,000 pages + 20 policy versions, ~6 KB each);
Hugo gets a minimal layout with a title, a table of contents and the body. Each tool runs
--runs times with a cold output folder, interleaved; the median wall time and the median peak RSS
are reported. Then redline rebuilds into the same folder with nothing changed and with one policy
version edited, and `redline preview` is timed from saving an edit to serving the changed page.
"""
import argparse
import http.client
import json
import os
import queue
import shutil
import socket
import threading
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from corpus import generate  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
HUGO_LAYOUT = {
    "_default/baseof.html": "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{{ .Title }}</title>"
                            "<link rel=\"stylesheet\" href=\"/style.css\"></head><body><main>{{ block \"main\" . }}{{ end }}</main></body></html>",
    "_default/single.html": "{{ define \"main\" }}<h1>{{ .Title }}</h1><nav>{{ .TableOfContents }}</nav>{{ .Content }}{{ end }}",
    "_default/list.html": "{{ define \"main\" }}<h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}",
    "index.html": "{{ define \"main\" }}<h1>{{ .Site.Title }}</h1>{{ end }}",
}


def measure(command, cwd) -> tuple[float, int]:
    """Wall seconds and peak resident memory (bytes) of one run of `command`."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    if status != 0:
        raise SystemExit(f"{command[0]} failed: {process.stderr.read().decode()[-2000:]}")
    return elapsed, usage.ru_maxrss * 1024


def prepare_hugo(work: Path) -> Path:
    site = work / "hugo"
    if site.exists():
        shutil.rmtree(site)
    (site / "layouts" / "_default").mkdir(parents=True)
    for name, text in HUGO_LAYOUT.items():
        (site / "layouts" / name).write_text(text)
    (site / "config.toml").write_text('baseURL = "https://bench.example/"\ntitle = "Benchmark"\n'
                                      'disableKinds = ["taxonomy", "term"]\n')
    shutil.copytree(work / "content" / "policies", site / "content" / "policies")
    shutil.copytree(work / "content" / "docs", site / "content" / "docs")
    return site


def preview_latency(redline: str, work: Path, runs: int) -> list[float]:
    """Seconds from saving an edited policy version to `redline preview` serving the changed page
    and telling open tabs to reload (its server-sent `reload` event), `runs` times."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen([redline, "preview", "--content", "content", "--templates", str(ROOT / "templates"),
                                "--now", "2026-11-21", "--port", str(port)], cwd=work,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 300
        while True:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                connection.request("GET", "/privacy/")
                if connection.getresponse().status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit("redline preview did not start")
            time.sleep(0.2)
        events: "queue.Queue[str]" = queue.Queue()
        stream = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
        stream.request("GET", "/__redline/events")
        response = stream.getresponse()

        def read():
            try:
                for raw in response:
                    if raw.startswith(b"event: "):
                        events.put(raw[7:].decode().strip())
            except OSError:
                pass
        threading.Thread(target=read, daemon=True).start()
        time.sleep(0.5)
        edited = sorted((work / "content" / "policies" / "privacy").glob("*.md"))[-1]
        latencies = []
        for run in range(runs):
            marker = f"Previewed edit {run} {time.time()}."
            started = time.perf_counter()
            edited.write_text(edited.read_text() + f"\n{marker}\n")
            while events.get(timeout=60) != "reload":
                pass
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/privacy/")
            body = connection.getresponse().read().decode()
            latencies.append(time.perf_counter() - started)
            assert marker in body, "the reloaded page does not show the edit"
            time.sleep(0.3)
        return latencies
    finally:
        process.terminate()
        process.wait(timeout=30)


def run_series(name, command, cwd, output: Path, runs: int) -> dict:
    times, memory = [], []
    for _ in range(runs):
        if output.exists():
            shutil.rmtree(output)
        elapsed, peak = measure(command, cwd)
        times.append(elapsed)
        memory.append(peak)
        print(f"  {name}: {elapsed:.2f} s, {peak / 2**30:.2f} GiB peak", flush=True)
    return {"median_seconds": statistics.median(times), "median_peak_bytes": statistics.median(memory),
            "runs_seconds": times}


def llms_figures(redline: list[str], work: Path) -> dict:
    """The size of the llms-full.txt files and of the twins, and the time of the build step that writes them."""
    output = work / "public"
    if output.exists():
        shutil.rmtree(output)
    timed = subprocess.run(redline + ["--timings"], cwd=work, capture_output=True, text=True)
    steps = dict(line.split()[:2] for line in timed.stderr.splitlines() if line.strip().endswith(" s") and len(line.split()) == 3)
    fulls = list(output.rglob("llms-full.txt"))
    twins = [p for p in output.rglob("index.md") if ".redline" not in p.parts]
    return {"root_bytes": (output / "llms-full.txt").stat().st_size, "all_bytes": sum(p.stat().st_size for p in fulls), "files": len(fulls),
            "twins": len(twins), "twin_bytes": sum(p.stat().st_size for p in twins), "files_step_seconds": float(steps.get("files", "nan"))}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--redline", default=str(ROOT / ".build/release/redline"))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", default=str(ROOT / "bench/out/build"))
    parser.add_argument("--versions", type=int, default=10)
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--baseline", help="another redline binary (an earlier commit's) built in the same interleaved runs, "
                                           "for the cost of a change in build time")
    args = parser.parse_args()

    work = Path(args.work)
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    files = generate(work, docs_versions=args.versions, pages_per_version=args.pages)
    size = sum(p.stat().st_size for p in (work / "content").rglob("*.md"))
    print(f"corpus: {files} Markdown files, {size / 2**20:.1f} MiB, on {os.cpu_count()} cores")

    results = {"files": files, "markdown_bytes": size, "cores": os.cpu_count()}
    redline = [str(Path(args.redline).resolve()), "build", "--content", "content", "--output", "public",
               "--templates", str(ROOT / "templates"), "--now", "2026-11-21", "--quiet"]
    series = [("redline", redline, work, work / "public")]
    if args.baseline:
        baseline = [str(Path(args.baseline).resolve())] + redline[1:]
        baseline[baseline.index("public")] = "public-baseline"
        series.append(("baseline", baseline, work, work / "public-baseline"))
    if shutil.which("hugo"):
        site = prepare_hugo(work)
        results["hugo_version"] = subprocess.run(["hugo", "version"], capture_output=True, text=True).stdout.strip()
        series.append(("hugo", ["hugo", "--quiet", "-d", "public"], site, site / "public"))
    else:
        print("hugo is not installed: only redline was measured")
    # Full builds interleaved (redline, Hugo, redline, Hugo, …) so that both meet the same
    # moments of this shared machine's noise.
    for _ in range(args.runs):
        for name, command, cwd, output in series:
            run = run_series(name, command, cwd, output, 1)
            entry = results.setdefault(name, {"runs_seconds": [], "peaks": []})
            entry["runs_seconds"] += run["runs_seconds"]
            entry["peaks"].append(run["median_peak_bytes"])
    for name, _, _, output in series:
        entry = results[name]
        entry["median_seconds"] = statistics.median(entry["runs_seconds"])
        entry["median_peak_bytes"] = statistics.median(entry.pop("peaks"))
        entry["pages"] = sum(1 for _ in output.rglob("*.html"))

    # Rebuilds into the same folder: nothing changed, then one policy version edited.
    no_op = [measure(redline, work)[0] for _ in range(args.runs)]
    results["redline_no_op"] = {"median_seconds": statistics.median(no_op), "runs_seconds": no_op}
    print(f"  redline, nothing changed: {', '.join(f'{t:.2f} s' for t in no_op)}", flush=True)
    edited = sorted((work / "content" / "policies" / "privacy").glob("*.md"))[-1]
    one_file = []
    for run in range(args.runs):
        edited.write_text(edited.read_text() + f"\nEdited for run {run}.\n")
        one_file.append(measure(redline, work)[0])
    results["redline_one_file"] = {"median_seconds": statistics.median(one_file), "runs_seconds": one_file}
    print(f"  redline, one policy version edited: {', '.join(f'{t:.2f} s' for t in one_file)}", flush=True)

    preview = preview_latency(str(Path(args.redline).resolve()), work, max(args.runs, 5))
    results["preview_edit_to_reload"] = {"median_seconds": statistics.median(preview), "runs_seconds": preview}
    print(f"  redline preview, save to reloaded page: {', '.join(f'{t:.2f} s' for t in preview)}", flush=True)

    results["llms"] = llms_figures(redline, work)
    (work.parent / "build.json").write_text(json.dumps(results, indent=2))
    r = results["redline"]
    if "baseline" in results:
        b = results["baseline"]
        print(f"\nredline / baseline (the same corpus, interleaved): wall {r['median_seconds'] / b['median_seconds']:.3f}x "
              f"({r['median_seconds']:.2f} s against {b['median_seconds']:.2f} s), peak memory {r['median_peak_bytes'] / b['median_peak_bytes']:.2f}x")
    llms = results["llms"]
    print(f"llms-full.txt: {llms['root_bytes'] / 2**20:.1f} MiB at the root, {llms['all_bytes'] / 2**20:.1f} MiB in all "
          f"({llms['files']} files); Markdown twins: {llms['twins']}, {llms['twin_bytes'] / 2**20:.1f} MiB; "
          f"the 'files' step that writes them and the other site files: {llms['files_step_seconds']:.2f} s")
    print("\n| tool | pages written | median wall | median peak RSS |\n|---|---|---|---|")
    print(f"| redline | {r['pages']} | {r['median_seconds']:.2f} s | {r['median_peak_bytes'] / 2**20:.0f} MiB |")
    if "hugo" in results:
        h = results["hugo"]
        print(f"| Hugo | {h['pages']} | {h['median_seconds']:.2f} s | {h['median_peak_bytes'] / 2**20:.0f} MiB |")
        print(f"\nredline / Hugo wall time: {r['median_seconds'] / h['median_seconds']:.2f}x; "
              f"peak memory: {r['median_peak_bytes'] / h['median_peak_bytes']:.2f}x")
        print(f"no-op rebuild / Hugo full build: {results['redline_no_op']['median_seconds'] / h['median_seconds']:.3f}x (target <= 0.05x)")
        print(f"one-file rebuild / Hugo full build: {results['redline_one_file']['median_seconds'] / h['median_seconds']:.2f}x (target <= 0.1x)")
    print(f"preview, save to reloaded page: median {results['preview_edit_to_reload']['median_seconds']:.2f} s (target < 1 s)")


if __name__ == "__main__":
    main()
