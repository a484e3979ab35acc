#!/usr/bin/env python3
"""Loads leakhound HTML reports in a real headless Chromium and checks them, speaking the
Chrome DevTools Protocol over --remote-debugging-pipe (file descriptors 3 and 4, JSON
messages ended by NUL): no port, no websocket, nothing but Python's standard library.

  check REPORT.html --json REPORT.json [--search TEXT] [--injection TEXT]... [--screenshot PNG]
      no console errors, exceptions or CSP violations; no network request but the page
      itself; no dialog (an injected alert); the counts in the DOM equal the JSON report's;
      the rows are all there with JavaScript off; the search box narrows the table; every
      --injection text appears as text and no <img> exists; a screenshot.
  page PAGE.html [--injection TEXT]... [--screenshot PNG]
      any other leakhound page (PLAN.html): no console errors, requests or dialogs, no
      <img>, every --injection text shown as text.
  measure REPORT.html [--runs N] [--limit-ms MS]
      load time in ms: navigation start to the script's data-ready mark, and to the load event.

Exit status 0 when every check passes, 1 with a list of failures otherwise.
"""

import argparse
import base64
import fcntl
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    # From the machine notes: the closed network refuses these, loudly.
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--remote-debugging-pipe",
]


class ProtocolError(Exception):
    pass


class Browser:
    """One headless Chromium, driven over the DevTools pipe."""

    def __init__(self, chromium):
        self.profile = tempfile.mkdtemp(prefix="leakhound-chromium-")
        to_child_read, to_child_write = os.pipe()
        from_child_read, from_child_write = os.pipe()
        # The child reads commands on fd 3 and writes replies on fd 4. Its ends are moved
        # above both first, so neither dup2 below is a no-op that would keep close-on-exec.
        child_read = fcntl.fcntl(to_child_read, fcntl.F_DUPFD_CLOEXEC, 10)
        child_write = fcntl.fcntl(from_child_write, fcntl.F_DUPFD_CLOEXEC, 10)
        os.close(to_child_read)
        os.close(from_child_write)

        def wire_pipes():
            os.dup2(child_read, 3)
            os.dup2(child_write, 4)

        self.process = subprocess.Popen(
            [chromium, *FLAGS, f"--user-data-dir={self.profile}", "about:blank"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=wire_pipes,
            close_fds=False,
        )
        os.close(child_read)
        os.close(child_write)
        self.writer = os.fdopen(to_child_write, "wb", buffering=0)
        self.reader = os.fdopen(from_child_read, "rb", buffering=0)
        self.buffer = b""
        self.next_id = 0
        self.events = []

    def close(self):
        try:
            self.send("Browser.close", timeout=5)
        except Exception:
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        shutil.rmtree(self.profile, ignore_errors=True)

    def _read_message(self, deadline):
        while b"\0" not in self.buffer:
            if time.monotonic() > deadline:
                raise ProtocolError("timed out waiting for Chromium")
            chunk = self.reader.read(65536)
            if not chunk:
                raise ProtocolError("Chromium closed the DevTools pipe (did it start?)")
            self.buffer += chunk
        message, _, self.buffer = self.buffer.partition(b"\0")
        return json.loads(message)

    def send(self, method, params=None, session=None, timeout=60):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        self.writer.write(json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            reply = self._read_message(deadline)
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise ProtocolError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            if "method" in reply:
                self._on_event(reply)

    def _on_event(self, event):
        self.events.append(event)
        if event["method"] == "Page.javascriptDialogOpening":
            # An alert() from injected markup would block the page: record it, dismiss it.
            self.writer.write(
                json.dumps(
                    {
                        "id": 0,
                        "method": "Page.handleJavaScriptDialog",
                        "params": {"accept": False},
                        "sessionId": event.get("sessionId"),
                    }
                ).encode()
                + b"\0"
            )

    def wait_for(self, method, session, timeout=60):
        deadline = time.monotonic() + timeout
        while True:
            for event in self.events:
                if event["method"] == method and event.get("sessionId") == session:
                    return event
            message = self._read_message(deadline)
            if "method" in message:
                self._on_event(message)

    def new_page(self, width=1400, height=1000, javascript=True):
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send(
            "Target.attachToTarget", {"targetId": target, "flatten": True}
        )["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.send(f"{domain}.enable", session=session)
        self.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
            session=session,
        )
        if not javascript:
            self.send("Emulation.setScriptExecutionDisabled", {"value": True}, session=session)
        return session

    def load(self, session, url, timeout=60):
        """Navigates and waits for the load event; returns the wall time it took (s)."""
        self.events = [e for e in self.events if e.get("sessionId") != session]
        started = time.monotonic()
        self.send("Page.navigate", {"url": url}, session=session)
        self.wait_for("Page.loadEventFired", session, timeout)
        return time.monotonic() - started

    def evaluate(self, session, expression, timeout=60):
        result = self.send(
            "Runtime.evaluate",
            {"expression": expression, "returnByValue": True, "awaitPromise": True},
            session=session,
            timeout=timeout,
        )
        if "exceptionDetails" in result:
            raise ProtocolError(f"evaluating {expression[:60]}...: {result['exceptionDetails']}")
        return result["result"].get("value")

    def problems(self, session, page_url):
        """Console errors, exceptions, CSP reports, dialogs and requests other than the page."""
        found = []
        for event in self.events:
            if event.get("sessionId") != session:
                continue
            method, params = event["method"], event.get("params", {})
            if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
                texts = [str(arg.get("value", arg.get("description", ""))) for arg in params.get("args", [])]
                found.append("console error: " + " ".join(texts))
            elif method == "Runtime.exceptionThrown":
                details = params.get("exceptionDetails", {})
                found.append(
                    "exception: "
                    + details.get("exception", {}).get("description", details.get("text", ""))
                )
            elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
                entry = params["entry"]
                found.append(f"log error ({entry.get('source')}): {entry.get('text')}")
            elif method == "Network.requestWillBeSent":
                url = params["request"]["url"]
                if url != page_url:
                    found.append(f"network request: {url}")
            elif method == "Page.javascriptDialogOpening":
                found.append(f"dialog opened: {params.get('type')} {params.get('message')!r}")
        return found


COUNTS_JS = r"""
(() => {
  const counts = {};
  for (const element of document.querySelectorAll('[data-count]')) {
    counts[element.dataset.count] = Number(element.textContent.trim());
  }
  const rows = document.querySelectorAll('#findings-table tbody tr');
  return {
    counts,
    rows: rows.length,
    visible: Array.from(rows).filter(row => !row.hidden).length,
    controlsHidden: document.getElementById('controls').hidden,
    ready: document.documentElement.hasAttribute('data-ready'),
    images: document.images.length,
    scripts: document.scripts.length,
    text: document.querySelector('main').textContent,
    rowTexts: Array.from(rows).map(row => row.textContent),
  };
})()
"""


def expected_counts(report):
    findings = report["findings"]
    counts = {"findings": report["summary"]["findings"]}
    for severity in ("critical", "high", "medium", "low", "info"):
        counts[f"severity:{severity}"] = sum(1 for f in findings if f["severity"] == severity)
    for confidence in ("high", "medium", "low"):
        counts[f"confidence:{confidence}"] = sum(1 for f in findings if f["confidence"] == confidence)
    for rule in {f["rule_id"] for f in findings}:
        counts[f"rule:{rule}"] = sum(1 for f in findings if f["rule_id"] == rule)
    counts["paths"] = len({f["path"] for f in findings})
    counts["files-scanned"] = report["summary"]["files_scanned"]
    counts["bytes-scanned"] = report["summary"]["bytes_scanned"]
    counts["files-skipped"] = report["summary"]["files_skipped"]
    return counts


def check(args):
    failures = []
    report_url = "file://" + os.path.abspath(args.report)
    with open(args.json, encoding="utf-8") as file:
        report = json.load(file)
    expected = expected_counts(report)
    total = report["summary"]["findings"]
    browser = Browser(args.chromium)
    try:
        session = browser.new_page()
        browser.load(session, report_url)
        browser.evaluate(
            session,
            "new Promise(r => { const t = Date.now(); (function w() {"
            " if (document.documentElement.hasAttribute('data-ready') || Date.now() - t > 10000) r();"
            " else setTimeout(w, 20); })(); })",
        )
        page = browser.evaluate(session, COUNTS_JS)
        if not page["ready"]:
            failures.append("the script did not run (no data-ready mark): blocked by the CSP?")
        for key, value in sorted(expected.items()):
            shown = page["counts"].get(key)
            if shown != value:
                failures.append(f"count {key}: the page says {shown}, the JSON report {value}")
        print(f"html check: {len(expected)} counts compared with the JSON report")
        if page["rows"] != total:
            failures.append(f"{page['rows']} table rows for {total} findings")
        if page["controlsHidden"]:
            failures.append("the filter controls stayed hidden with JavaScript on")
        if page["images"]:
            failures.append(f"{page['images']} <img> elements: markup from the scanned content was parsed")
        if page["scripts"] != 1:
            failures.append(f"{page['scripts']} <script> elements, expected only the page's own")
        for text in args.injection:
            if text not in page["text"]:
                failures.append(f"the injection text {text!r} is not shown as text")
        missing = [f["fingerprint"] for f in report["findings"] if f["fingerprint"] not in page["text"]]
        if missing:
            failures.append(f"{len(missing)} findings are not on the page, {missing[0]} among them")

        if args.search:
            expected_rows = sum(1 for text in page["rowTexts"] if args.search.lower() in text.lower())
            narrowed = browser.evaluate(
                session,
                "new Promise(r => { const s = document.getElementById('search');"
                f" s.value = {json.dumps(args.search)};"
                " s.dispatchEvent(new Event('input', {bubbles: true}));"
                " setTimeout(() => r({visible: Array.from(document.querySelectorAll("
                "'#findings-table tbody tr')).filter(x => !x.hidden).length,"
                " shown: document.getElementById('shown').textContent}), 600); })",
            )
            print(f"html check: search {args.search!r} shows {narrowed['visible']} of {total} rows")
            if not 0 < narrowed["visible"] < total:
                failures.append(f"search {args.search!r} left {narrowed['visible']} of {total} rows")
            if narrowed["visible"] != expected_rows:
                failures.append(
                    f"search {args.search!r} shows {narrowed['visible']} rows, {expected_rows} contain it"
                )
            if narrowed["shown"] != str(narrowed["visible"]):
                failures.append(f"the counter says {narrowed['shown']}, {narrowed['visible']} rows are shown")
            sorted_ok = browser.evaluate(
                session,
                "(() => { document.querySelector('th[data-sort=severity] button').click();"
                " const ranks = Array.from(document.querySelectorAll('#findings-table tbody tr'))"
                ".map(r => ({critical:5,high:4,medium:3,low:2,info:1})[r.dataset.severity]);"
                " return ranks.every((v, i) => i === 0 || ranks[i - 1] >= v); })()",
            )
            if not sorted_ok:
                failures.append("sorting by severity did not put the most severe first")
            browser.evaluate(
                session,
                "(() => { const s = document.getElementById('search'); s.value = '';"
                " s.dispatchEvent(new Event('input')); })()",
            )
            # A rule in the by-rule table narrows the findings to that rule.
            facet = browser.evaluate(
                session,
                "new Promise(r => setTimeout(() => { const a = document.querySelector('#by-rule a[data-facet=rule]');"
                " a.click(); r({rule: a.dataset.value, visible: Array.from(document.querySelectorAll("
                "'#findings-table tbody tr')).filter(x => !x.hidden).length}); }, 300))",
            )
            if facet["visible"] != expected[f"rule:{facet['rule']}"]:
                failures.append(
                    f"the rule link {facet['rule']} shows {facet['visible']} rows, the JSON report has "
                    f"{expected['rule:' + facet['rule']]}"
                )
            browser.evaluate(session, "document.getElementById('facet-clear').click()")

        if args.screenshot:
            browser.evaluate(session, "new Promise(r => setTimeout(r, 300))")
            height = browser.evaluate(session, "document.documentElement.scrollHeight")
            shot = browser.send(
                "Page.captureScreenshot",
                {
                    "format": "png",
                    "captureBeyondViewport": True,
                    "clip": {"x": 0, "y": 0, "width": 1400, "height": min(height, 4000), "scale": 1},
                },
                session=session,
            )
            os.makedirs(os.path.dirname(os.path.abspath(args.screenshot)), exist_ok=True)
            with open(args.screenshot, "wb") as file:
                file.write(base64.b64decode(shot["data"]))
            print(f"html check: screenshot {args.screenshot}")
            # Dark mode: the same page under prefers-color-scheme: dark.
            browser.send(
                "Emulation.setEmulatedMedia",
                {"features": [{"name": "prefers-color-scheme", "value": "dark"}]},
                session=session,
            )
            dark = browser.evaluate(session, "getComputedStyle(document.documentElement).backgroundColor")
            if dark in ("rgb(255, 255, 255)", "rgba(0, 0, 0, 0)"):
                failures.append(f"dark mode keeps a light background ({dark})")
            shot = browser.send(
                "Page.captureScreenshot",
                {"format": "png", "clip": {"x": 0, "y": 0, "width": 1400, "height": 1400, "scale": 1}},
                session=session,
            )
            dark_path = args.screenshot.removesuffix(".png") + "-dark.png"
            with open(dark_path, "wb") as file:
                file.write(base64.b64decode(shot["data"]))
            print(f"html check: screenshot {dark_path}")
            # Print: no controls or navigation, every row laid out, and a PDF to look at.
            browser.send(
                "Emulation.setEmulatedMedia",
                {"media": "print", "features": []},
                session=session,
            )
            printed = browser.evaluate(
                session,
                "({controls: getComputedStyle(document.getElementById('controls')).display,"
                " nav: getComputedStyle(document.querySelector('.toc')).display,"
                " chunks: Array.from(document.querySelectorAll('.chunk'))"
                ".every(c => getComputedStyle(c).contentVisibility === 'visible')})",
            )
            if printed["controls"] != "none" or printed["nav"] != "none" or not printed["chunks"]:
                failures.append(f"the print style does not apply: {printed}")
            pdf = browser.send("Page.printToPDF", {"printBackground": True}, session=session)
            pdf_path = args.screenshot.removesuffix(".png") + ".pdf"
            with open(pdf_path, "wb") as file:
                file.write(base64.b64decode(pdf["data"]))
            print(f"html check: printed {pdf_path}")
        failures.extend(browser.problems(session, report_url))

        # JavaScript off: the summary and every row are there, the controls are not.
        quiet = browser.new_page(javascript=False)
        browser.load(quiet, report_url)
        plain = browser.evaluate(quiet, COUNTS_JS)
        if plain["rows"] != total or plain["visible"] != total:
            failures.append(f"without JavaScript: {plain['visible']} of {plain['rows']} rows shown, {total} findings")
        if plain["counts"].get("findings") != total:
            failures.append("without JavaScript: the summary does not show the number of findings")
        if not plain["controlsHidden"]:
            failures.append("without JavaScript: the filter controls (which need it) are shown")
        failures.extend(browser.problems(quiet, report_url))
    finally:
        browser.close()
    return failures


def check_page(args):
    failures = []
    url = "file://" + os.path.abspath(args.report)
    browser = Browser(args.chromium)
    try:
        session = browser.new_page()
        browser.load(session, url)
        page = browser.evaluate(
            session,
            "({text: document.body.textContent, images: document.images.length,"
            " scripts: document.scripts.length})",
        )
        if page["images"]:
            failures.append(f"{page['images']} <img> elements on the page")
        for text in args.injection:
            if text not in page["text"]:
                failures.append(f"the injection text {text!r} is not shown as text")
        if args.screenshot:
            shot = browser.send("Page.captureScreenshot", {"format": "png"}, session=session)
            with open(args.screenshot, "wb") as file:
                file.write(base64.b64decode(shot["data"]))
            print(f"html check: screenshot {args.screenshot}")
        failures.extend(browser.problems(session, url))
    finally:
        browser.close()
    print(f"html check: {os.path.basename(args.report)} loaded")
    return failures


def measure(args):
    url = "file://" + os.path.abspath(args.report)
    browser = Browser(args.chromium)
    failures = []
    results = []
    try:
        for run in range(args.runs):
            session = browser.new_page()
            wall = browser.load(session, url, timeout=120)
            timing = browser.evaluate(
                session,
                "(() => { const n = performance.getEntriesByType('navigation')[0];"
                " const p = performance.getEntriesByName('first-contentful-paint')[0];"
                " return {dom: n.domContentLoadedEventEnd, load: n.loadEventEnd,"
                " paint: p ? p.startTime : null,"
                " ready: document.documentElement.hasAttribute('data-ready'),"
                " rows: document.querySelectorAll('#findings-table tbody tr').length}; })()",
            )
            timing["wall"] = round(wall * 1000)
            results.append(timing)
            failures.extend(browser.problems(session, url))
            browser.send("Target.closeTarget", {"targetId": browser.send("Target.getTargetInfo", session=session)["targetInfo"]["targetId"]})
    finally:
        browser.close()
    size = os.path.getsize(args.report)
    for run, timing in enumerate(results, 1):
        paint = f"{timing['paint']:.0f}" if timing["paint"] is not None else "n/a"
        print(
            f"html load: run {run}: {timing['rows']} rows, {size / 1e6:.1f} MB: DOMContentLoaded "
            f"{timing['dom']:.0f} ms, first paint {paint} ms, load event {timing['load']:.0f} ms "
            f"(wall {timing['wall']} ms)"
        )
    loads = sorted(timing["load"] for timing in results)
    median = loads[len(loads) // 2]
    print(f"html load: median load event {median:.0f} ms over {len(results)} runs")
    if args.limit_ms and median > args.limit_ms:
        failures.append(f"median load {median:.0f} ms is over the {args.limit_ms} ms limit")
    return failures


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    commands = parser.add_subparsers(dest="command", required=True)
    check_parser = commands.add_parser("check")
    check_parser.add_argument("report")
    check_parser.add_argument("--json", required=True)
    check_parser.add_argument("--search")
    check_parser.add_argument("--injection", action="append", default=[])
    check_parser.add_argument("--screenshot")
    page_parser = commands.add_parser("page")
    page_parser.add_argument("report")
    page_parser.add_argument("--injection", action="append", default=[])
    page_parser.add_argument("--screenshot")
    measure_parser = commands.add_parser("measure")
    measure_parser.add_argument("report")
    measure_parser.add_argument("--runs", type=int, default=3)
    measure_parser.add_argument("--limit-ms", type=float)
    args = parser.parse_args()
    if not os.access(args.chromium, os.X_OK):
        print(f"html check: no Chromium at {args.chromium}", file=sys.stderr)
        return 1
    failures = {"check": check, "page": check_page, "measure": measure}[args.command](args)
    for failure in failures:
        print(f"html check FAILED: {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
