"""Profile check (SPEC §9): walk the article's click path on a running portal with its
driver, and say for every target of a UI profile, screen by screen, whether the portal
shows it (found), not (missing) or more than once (ambiguous), with the nearest candidates
on that screen; optionally write a draft profile from the candidates it matched.

    portal-profile-check --base-url http://127.0.0.1:8000 --ui-profile mine.yaml \\
        [--portal-driver simulator] [--draft mine.draft.yaml]      (or python -m harness.profile_check)

It is how a QA engineer writes a profile for a new portal: start from a copy of
profiles/en.yaml, run this, fix what it lists, run the scenarios. Exit 0 when every
target of the walk is found, 1 when some are not, 2 on bad input.
"""
from __future__ import annotations

import argparse
import copy
import difflib
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from drivers.interface import Account
from pages.portal import Portal
from pages.profile import ProfileError, UiProfile
from pages.profile_file import _read, build, features_profile, profile_path
from pages.targets import Spec, choice_options

# The article's click path: each screen, how the walk gets there, and the targets it shows
# there (with the values their {fields} take in the sample account).
SCREENS: list[tuple[str, list[str]]] = [
    ("Log in", ["the Log in heading", "the Email field", "the Password field", "the Log in button"]),
    ("menu", ["the Main menu", "the Services menu", "the DNS SERVICE link", "the Invoices link"]),
    ("DNS SERVICE list", ["the DNS SERVICE heading", "the services listed", "the service link", "the service price",
                          "the service next due date", "the service status"]),
    ("Service details", ["the Billing Information section", "the Upgrade / Downgrade link", "the Plan row",
                         "the Price row", "the Billing cycle row", "the Next due date row", "the Status row"]),
    ("Upgrade / Downgrade page", ["the Upgrade / Downgrade to field", "the Select billing cycle field",
                                 "the Continue button", "the downgrade not available note"]),
    ("Review", ["the before → after table", "the Recurring price row", "the Subtotal row", "the tax row",
                "the Credit applied row", "the Total charge for today row", "the final calculation statement",
                "the Submit button"]),
    ("Invoice", ["the invoice heading", "the invoice status", "the Invoice date row", "the Line items table",
                 "the Total row", "the Download PDF link"]),
    ("Invoices list", ["the Invoices heading", "the invoices listed"]),
]
# Elements a target could be, read off the screen: (kind, accessible name or text).
_CANDIDATES_JS = """() => {
  const labelled = e => (e.getAttribute('aria-labelledby') || '').split(/\\s+/).filter(Boolean)
                     .map(id => (document.getElementById(id) || {}).innerText || '').join(' ');
  const name = e => (e.getAttribute('aria-label') || labelled(e)
                     || (e.labels && e.labels.length ? e.labels[0].innerText : '')
                     || e.innerText || e.value || '').replace(/\\s+/g, ' ').trim();
  const found = [];
  const add = (kind, sel) => document.querySelectorAll(sel).forEach(e => {
    const text = name(e); if (text && text.length < 120) found.push([kind, text]); });
  add('button', 'button, input[type=submit], [role=button]');
  add('link', 'a[href]');
  add('heading', 'h1, h2, h3, h4');
  add('label', 'label, legend');
  add('fact', 'th, dt, td:first-child');
  add('text', 'p, li, [role=alert], [role=status], span.badge, .badge');
  add('region', 'section[aria-labelledby], nav, table caption');
  return found;
}"""
_KINDS_FOR = {"role": ("button", "link", "heading", "region"), "label": ("label",), "fact": ("fact",),
              "text": ("text",), "css": ("text", "heading", "link"), "choice": ("label", "heading"),
              "items": ("heading", "link")}


@dataclass
class Finding:
    screen: str
    key: str
    verdict: str  # found | missing | ambiguous | not in the profile | absent | not reached
    detail: str = ""
    candidates: list[tuple[str, str]] = field(default_factory=list)


def load_for_checking(path: str) -> tuple[UiProfile, set[str]]:
    """The profile at `path`, even an incomplete one: a target it lacks stands absent, with
    the reason "not in the profile"; returns it and the keys it lacked."""
    source = profile_path(path).resolve()
    data = _read(source)
    features = features_profile()
    if not isinstance(data, dict):
        raise ProfileError(f"{source}: expected a mapping")
    data = copy.deepcopy(data)
    for section in ("cycles", "words", "phrases"):
        data[section] = {**getattr(features, section), **(data.get(section) or {})}
    data.setdefault("formats", {"date": features.date_formats, "money": {}})
    data.setdefault("targets", {})
    lacking = set(features.targets) - set(data["targets"])
    for key in lacking:
        data["targets"][key] = {"absent": "not in the profile"}
    data["targets"] = {key: entry for key, entry in data["targets"].items() if key in features.targets}
    return build(data, source, None), lacking


class Walk:
    """The click path through one seeded sample account, noting each screen's findings."""

    def __init__(self, portal: Portal, profile: UiProfile, lacking: set[str], fields: dict):
        self.portal, self.profile, self.lacking, self.fields = portal, profile, lacking, fields
        self.findings: list[Finding] = []

    def look(self, screen: str, keys: list[str]) -> None:
        page = self.portal.page
        page.wait_for_load_state("domcontentloaded")
        candidates = [tuple(pair) for pair in page.evaluate(_CANDIDATES_JS)]
        for key in keys:
            self.findings.append(self._finding(screen, key, candidates))

    def _finding(self, screen: str, key: str, candidates: list[tuple[str, str]]) -> Finding:
        if key in self.lacking:
            return Finding(screen, key, "not in the profile", "", self._nearest(key, candidates))
        reason = self.profile.absent(key)
        if reason is not None:
            return Finding(screen, key, "absent", reason)
        spec = self.profile.spec(key)
        fields = {name: value for name, value in self.fields.items() if name in _fields_of(spec)}
        try:
            count = self.profile.locate(self.portal.page, key, **fields).count()
        except Exception as exc:  # a locator the browser refuses (a bad css selector)
            return Finding(screen, key, "missing", f"cannot be located: {' '.join(str(exc).split())[:200]}")
        if count and spec.kind == "choice":  # a field is found only with the options it offers
            located = self.profile.locate(self.portal.page, key, **fields)
            if not choice_options(located, spec).count():
                return Finding(screen, key, "missing", f"{_described(self.profile, key, fields)} offers no "
                               f"{'options' if spec.style == 'select' else 'radio buttons' if spec.style == 'radio' else 'cards'}",
                               self._nearest(key, candidates))
        if count == 0:
            return Finding(screen, key, "missing", _described(self.profile, key, fields),
                           self._nearest(key, candidates))
        many = spec.kind in ("role", "label") and count > 1
        return Finding(screen, key, "ambiguous" if many else "found",
                       f"{count} elements match {_described(self.profile, key, fields)}" if many else "")

    def click_nearest(self, screen: str) -> bool:
        """Click, on `screen`, the nearest candidate of a control the profile did not find
        there (a button or a link), waiting for the page it leads to; False when none."""
        features = features_profile()
        for finding in self.findings:
            if finding.screen != screen or finding.verdict not in ("missing", "not in the profile"):
                continue
            if not features.clickable(finding.key):
                continue
            role = features.targets[finding.key].role
            for kind, text in finding.candidates:
                if kind == role:
                    control = self.portal.page.get_by_role(kind, name=text, exact=True).first
                    with self.portal.page.expect_navigation(wait_until="domcontentloaded"):
                        control.click()
                    finding.detail = "; ".join(filter(None, [finding.detail,
                                                             f"the walk went on by clicking {kind} “{text}”"]))
                    return True
        return False

    def _nearest(self, key: str, candidates: list[tuple[str, str]]) -> list[tuple[str, str]]:
        """The on-screen elements most like what `key` should read (its label in this profile
        or in en), of the same kind first (a button for a button)."""
        spec = features_profile().targets[key]
        wanted = [spec.template or key.removeprefix("the ")]
        if spec.kind == "items":  # an item is found by its name: the sample's plan, an invoice's number
            wanted = [self.fields.get("number") or self.fields.get("plan", "")]
        if key not in self.lacking and self.profile.absent(key) is None and self.profile.spec(key).template:
            wanted.append(self.profile.spec(key).template)
        wanted = [text.strip("/").split("{")[0] or text for text in wanted]
        kinds = (spec.role,) if spec.kind == "role" and spec.role in ("button", "link", "heading") \
            else _KINDS_FOR.get(spec.kind, ())
        pool = [(kind, text) for kind, text in candidates if kind in kinds] or candidates

        def likeness(pair: tuple[str, str]) -> float:
            return max(difflib.SequenceMatcher(None, text.lower(), pair[1].lower()).ratio() for text in wanted)

        return list(dict.fromkeys(sorted(pool, key=likeness, reverse=True)))[:3]


def _fields_of(spec: Spec) -> set[str]:
    from pages.formats import fields_of
    return set(fields_of(spec.template)) if spec.template and not spec.template.startswith("/") else set()


def _described(profile: UiProfile, key: str, fields: dict) -> str:
    spec = profile.spec(key)
    label = profile.label(key, **fields) if spec.template else ""
    shown = label.pattern if hasattr(label, "pattern") else label
    return f"{spec.kind} {shown!r}" if shown else spec.kind


def walk(profile: UiProfile, lacking: set[str], base_url: str, driver, browser) -> list[Finding]:
    """Seed the sample account, log in through the Log in page, and click along the article."""
    from steps.world import SAMPLE

    scenario = {**copy.deepcopy(SAMPLE), **profile.scenario()}
    for client in scenario["clients"]:
        client.pop("users", None)
    account: Account = driver.seed(scenario)
    context = browser.new_context(base_url=base_url)
    context.set_default_timeout(5000)
    findings: list[Finding] = []
    try:
        portal = Portal(context.new_page(), profile)
        owner = scenario["clients"][0]
        tax = scenario["tax"]
        state = Walk(portal, profile, lacking, {"plan": "Basic", "name": tax["name"], "rate": tax["rate"]})
        steps = [
            lambda: portal.enter(),
            lambda: portal.login.log_in(account.logins[owner["email"]], owner["password"]),
            lambda: portal.menu.open_dns_service(),
            lambda: portal.services.open_service("Basic"),
            lambda: portal.details.open_change(),
            lambda: portal.change.review_change("Start", "monthly"),
            lambda: portal.review.submit(),
            lambda: portal.menu.open_invoices(),
        ]
        for index, ((screen, keys), step) in enumerate(zip(SCREENS, steps)):
            try:
                try:
                    step()
                except Exception:
                    # A control the profile misses: click its nearest candidate and walk on.
                    if not state.click_nearest(SCREENS[index - 1][0] if index else screen):
                        raise
            except Exception as exc:  # whatever stops the walk is said, with what was not reached
                message = " ".join(str(exc).split()).split(" Call log:")[0]
                state.findings += [Finding(later, key, "not reached", f"the walk stopped getting to {screen}: {message}")
                                   for later, later_keys in SCREENS[index:] for key in later_keys]
                break
            if screen == "Invoice":
                state.fields["number"] = portal.invoice.number() if profile.absent("the invoice heading") is None \
                    else ""
            state.look(screen, keys)
        findings = state.findings
    finally:
        context.close()
        driver.discard(account)
    return findings


def report(findings: list[Finding], profile: UiProfile, seconds: float) -> str:
    walked = {finding.key for finding in findings}
    unwalked = sorted(set(features_profile().targets) - walked)
    lines = [f"Profile check of {profile.source} ({seconds:.1f} s)", ""]
    screen = None
    for finding in findings:
        if finding.screen != screen:
            screen = finding.screen
            lines.append(f"{screen}:")
        if finding.verdict == "not reached":
            if lines[-1].endswith(":"):
                lines[-1] += f" not reached ({finding.detail})"
            continue
        mark = {"found": "✔", "absent": "–"}.get(finding.verdict, "✘")
        line = f"  {mark} {finding.key}: {finding.verdict}" + (f" ({finding.detail})" if finding.detail else "")
        lines.append(line)
        if finding.candidates:
            lines.append("      nearest on this screen: " + ", ".join(f"{kind} “{text}”" for kind, text in finding.candidates))
    counts = {verdict: sum(f.verdict == verdict for f in findings)
              for verdict in ("found", "missing", "ambiguous", "not in the profile", "absent", "not reached")}
    lines += ["", "Not on this walk's screens (checked by running the scenarios): " + ", ".join(unwalked), "",
              "Summary: " + ", ".join(f"{count} {verdict}" for verdict, count in counts.items() if count)]
    return "\n".join(lines)


def draft(profile_file: Path, findings: list[Finding]) -> str:
    """The profile's YAML with each target that was missing replaced by its nearest
    candidate's spec, marked for a person to check."""
    data = yaml.safe_load(profile_file.read_text(encoding="utf-8")) or {}
    data.setdefault("targets", {})
    guessed = []
    for finding in findings:
        if finding.verdict in ("missing", "not in the profile") and finding.candidates:
            kind, text = finding.candidates[0]
            data["targets"][finding.key] = _spec_for(kind, text, features_profile().targets[finding.key])
            guessed.append(finding.key)
    header = ("# Draft written by the profile check: the targets below were guessed from the nearest\n"
              "# element on their screen; check each, then run the check again.\n"
              + "".join(f"#   guessed: {key}\n" for key in guessed))
    return header + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=120)


def _spec_for(kind: str, text: str, wanted: Spec) -> dict:
    if wanted.kind == "fact" or kind == "fact":
        return {"fact": text}
    if kind in ("button", "link", "heading"):
        return {"role": kind, "name": text}
    if kind == "label":
        return {"label": text} if wanted.kind != "choice" else {"choice": "select", "label": text}
    return {"text": text}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="portal-profile-check", description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", required=True, help="the running portal (e.g. http://127.0.0.1:8000)")
    parser.add_argument("--ui-profile", required=True, metavar="NAME|FILE", help="the profile to check")
    parser.add_argument("--portal-driver", default="simulator", metavar="NAME|module:Class",
                        help="how to seed an account there (default: simulator)")
    parser.add_argument("--draft", type=Path, metavar="FILE", help="write a draft profile with guesses here")
    args = parser.parse_args(argv)
    try:
        profile, lacking = load_for_checking(args.ui_profile)
    except ProfileError as exc:
        print(f"profile check: {exc}", file=sys.stderr)
        return 2
    from drivers.loading import load_driver
    from playwright.sync_api import sync_playwright

    from harness.browser import launch_args

    try:
        driver = load_driver(args.portal_driver, args.base_url)
    except Exception as exc:  # a driver that cannot be loaded is bad input
        print(f"profile check: --portal-driver: {' '.join(str(exc).split())}", file=sys.stderr)
        return 2
    started = time.monotonic()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(**launch_args({"headless": True}, playwright))
        try:
            findings = walk(profile, lacking, args.base_url, driver, browser)
        except Exception as exc:
            print(f"profile check: {args.base_url}: {' '.join(str(exc).split())}", file=sys.stderr)
            return 2
        finally:
            browser.close()
            driver.close()
    print(report(findings, profile, time.monotonic() - started))
    if args.draft:
        args.draft.write_text(draft(profile.source, findings), encoding="utf-8")
        print(f"draft profile written to {args.draft}")
    return 0 if all(finding.verdict in ("found", "absent") for finding in findings) else 1


if __name__ == "__main__":
    sys.exit(main())
