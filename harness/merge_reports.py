"""Merge the reports of several runs (CI's shards and profile runs) into one of each:

    python -m harness.merge_reports OUT_DIR RUN_DIR...

Each RUN_DIR holds what one run wrote (junit.xml, cucumber.json, conformance.json,
report.html, any of them); OUT_DIR gets junit.xml (one <testsuites>, a <testsuite> per run,
named after its folder), cucumber.json (the features of every run; a feature run under
several UI profiles appears once per profile, its name suffixed "[profile]"),
conformance.json and conformance.md (the rows of every run, counts recomputed) and
report.html (the first run's pytest-html page holding every run's rows).
"""
from __future__ import annotations

import html
import json
import re
import sys
import xml.etree.ElementTree as ElementTree
from dataclasses import asdict, fields
from pathlib import Path

from harness import conformance, skips


def merge_junit(runs: list[Path]) -> ElementTree.ElementTree | None:
    merged = ElementTree.Element("testsuites")
    for run in runs:
        path = run / "junit.xml"
        if not path.exists():
            continue
        root = ElementTree.parse(path).getroot()
        for suite in ([root] if root.tag == "testsuite" else list(root)):
            suite.set("name", f"{suite.get('name', 'pytest')} [{run.name}]")
            merged.append(suite)
    for total in ("tests", "failures", "errors", "skipped"):
        merged.set(total, str(sum(int(suite.get(total, 0)) for suite in merged)))
    return ElementTree.ElementTree(merged) if len(merged) else None


def merge_cucumber(runs: list[Path]) -> list[dict] | None:
    """One feature per (file, UI profile), holding the scenarios every shard ran of it."""
    features: dict[tuple[str, str], dict] = {}
    found = False
    for run in runs:
        path = run / "cucumber.json"
        if not path.exists():
            continue
        found = True
        profile = _profile(run)
        for feature in json.loads(path.read_text(encoding="utf-8")):
            key = (feature["uri"], profile)
            if key not in features:
                features[key] = {**feature, "elements": []}
                if profile != "en":
                    features[key].update(name=f"{feature['name']} [{profile}]", id=f"{feature['id']};{profile}")
            features[key]["elements"] += feature["elements"]
    for feature in features.values():
        feature["elements"].sort(key=lambda element: element["line"])
    return list(features.values()) if found else None


def _profile(run: Path) -> str:
    conformance_json = run / "conformance.json"
    if conformance_json.exists():
        return json.loads(conformance_json.read_text(encoding="utf-8")).get("ui_profile", "en")
    return "en"


def merge_conformance(runs: list[Path]) -> tuple[dict, str] | None:
    reports = [json.loads((run / "conformance.json").read_text(encoding="utf-8"))
               for run in runs if (run / "conformance.json").exists()]
    if not reports:
        return None
    names = {field.name for field in fields(conformance.Row)}
    rows = []
    for report in reports:
        for row in report["scenarios"]:
            row = conformance.Row(**{key: value for key, value in row.items() if key in names})
            if report.get("ui_profile", "en") != "en":
                row.scenario = f"{row.scenario} [{report['ui_profile']}]"
            rows.append(row)
    rows.sort(key=conformance.Row.key)
    header = {**reports[0], "ui_profile": ", ".join(sorted({report.get("ui_profile", "en") for report in reports}))}
    header = {key: header[key] for key in ("driver", "ui_profile", "portal", "date", "commit")}
    counts = {outcome: sum(row.outcome == outcome for row in rows) for outcome in conformance.OUTCOMES}
    failures = {kind: sum(row.outcome == "failed" and row.kind == kind for row in rows)
                for kind in conformance.FAILURE_KINDS}
    skipped = {kind: sum(row.outcome == "skipped" and row.kind == kind for row in rows) for kind in skips.KINDS}
    skipped = {kind: count for kind, count in skipped.items() if count}
    flaky = sum(row.outcome == "passed" and row.attempts > 1 for row in rows)
    document = {**header, "counts": counts, "flaky": flaky, "failures": failures, "skips": skipped,
                "scenarios": [asdict(row) for row in rows]}
    return document, conformance._markdown(header, counts, failures, skipped, rows, flaky)


_BLOB = re.compile(r'data-jsonblob="([^"]*)"')


def merge_html(runs: list[Path]) -> str | None:
    pages = [run / "report.html" for run in runs if (run / "report.html").exists()]
    if not pages:
        return None
    first = pages[0].read_text(encoding="utf-8")
    data = json.loads(html.unescape(_BLOB.search(first)[1]))
    for page, run in zip(pages[1:], runs[1:]):
        other = json.loads(html.unescape(_BLOB.search(page.read_text(encoding="utf-8"))[1]))
        for test_id, rows in other["tests"].items():
            data["tests"][f"{test_id} [{page.parent.name}]" if test_id in data["tests"] else test_id] = rows
    blob = html.escape(json.dumps(data), quote=True)
    return _BLOB.sub(lambda _: f'data-jsonblob="{blob}"', first, count=1)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) < 2:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    out, runs = Path(argv[0]), sorted(Path(run) for run in argv[1:] if Path(run).is_dir())
    out.mkdir(parents=True, exist_ok=True)
    junit = merge_junit(runs)
    if junit is not None:
        junit.write(out / "junit.xml", encoding="utf-8", xml_declaration=True)
    cucumber = merge_cucumber(runs)
    if cucumber is not None:
        (out / "cucumber.json").write_text(json.dumps(cucumber, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    merged = merge_conformance(runs)
    if merged is not None:
        (out / "conformance.json").write_text(json.dumps(merged[0], indent=2, ensure_ascii=False) + "\n",
                                              encoding="utf-8")
        (out / "conformance.md").write_text(merged[1], encoding="utf-8")
    page = merge_html(runs)
    if page is not None:
        (out / "report.html").write_text(page, encoding="utf-8")
    print(f"merged {len(runs)} runs into {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
