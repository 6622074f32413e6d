"""Loading a UI profile file: find it (a bundled name or a path), read its YAML, check
every key, and build the UiProfile (profile.py). A file that cannot be used is refused
as a whole, with one line naming the file and the key at fault."""
from __future__ import annotations

import re
import stat
from functools import lru_cache
from pathlib import Path

import yaml

from .formats import MoneyFormat, fields_of
from .profile import FEATURES_PROFILE, ProfileError, UiProfile
from .targets import Spec, TargetError, spec_of

from portal_suite import PROFILES  # the checkout's profiles/, or the installed package's
KEYS = {"profile", "description", "locale", "simulator", "formats", "cycles", "words", "phrases", "targets",
        "aliases", "addresses"}
MAX_BYTES = 256 * 1024  # a profile is a page of YAML; anything larger is not one
# The addresses a scenario may type, and the fields each template may use.
ADDRESSES = {
    "details": {"service"},  # a service's details page
    "change": {"service"},  # its Upgrade / Downgrade page
    "review": {"service", "plan", "cycle"},  # the review of a change (plan and cycle ids)
    "submit": {"service"},  # where the review's Submit posts its form
}


def bundled() -> list[str]:
    return sorted(path.stem for path in PROFILES.glob("*.yaml"))


def profile_path(name_or_file: str | Path) -> Path:
    """A bundled profile's name ("ja"), or the path of a profile file."""
    text = str(name_or_file)
    if re.fullmatch(r"[\w-]+", text) and not text.endswith((".yaml", ".yml")):
        path = PROFILES / f"{text}.yaml"
        if not path.is_file():
            raise ProfileError(f"no UI profile {text!r}: bundled ones are {', '.join(bundled())}; "
                               f"or give a profile file's path")
        return path
    path = Path(text)
    if not path.exists():
        raise ProfileError(f"UI profile file {text} does not exist")
    return path


def _read(path: Path):
    """The YAML of a regular, small, UTF-8 file, or ProfileError saying which it is not."""
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        raise ProfileError(f"{path}: cannot be read ({exc.strerror})") from None
    if not stat.S_ISREG(mode):
        raise ProfileError(f"{path}: not a regular file")
    if path.stat().st_size > MAX_BYTES:
        raise ProfileError(f"{path}: {path.stat().st_size} bytes, over the {MAX_BYTES // 1024} KiB a profile may have")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ProfileError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ProfileError(f"{path}: not valid YAML: {' '.join(str(exc).split())}") from None
    except RecursionError:
        raise ProfileError(f"{path}: nested too deeply to be a profile") from None


def _mapping(data: dict, key: str, source: Path, *, required: bool = False) -> dict:
    value = data.get(key)
    if value is None and not required:
        return {}
    if not isinstance(value, dict):
        raise ProfileError(f"{source}: {key}: missing, or not a mapping")
    return value


def _strings(data: dict, key: str, source: Path, *, required: bool = False) -> dict[str, str]:
    mapping = _mapping(data, key, source, required=required)
    for name, value in mapping.items():
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            raise ProfileError(f"{source}: {key}: {name}: expected a text, got {value!r}")
    return {str(name): str(value) for name, value in mapping.items()}


def build(data, source: Path, features: UiProfile | None) -> UiProfile:
    """The profile a file's data describes, or ProfileError naming what is wrong."""
    if not isinstance(data, dict):
        raise ProfileError(f"{source}: expected a mapping of {', '.join(sorted(KEYS))}")
    unknown = sorted(set(map(str, data)) - KEYS)
    if unknown:
        raise ProfileError(f"{source}: unknown key {unknown[0]!r} (known: {', '.join(sorted(KEYS))})")
    formats = _mapping(data, "formats", source, required=True)
    for key in ("date", "money"):
        if key not in formats:
            raise ProfileError(f"{source}: formats: {key}: missing")
    dates = formats["date"] if isinstance(formats["date"], list) else [formats["date"]]
    if not dates or not all(isinstance(pattern, str) and pattern.strip() for pattern in dates):
        raise ProfileError(f"{source}: formats: date: expected a CLDR pattern (yyyy-MM-dd) or a list of them")
    if not isinstance(formats["money"], dict) or not formats["money"]:
        raise ProfileError(f"{source}: formats: money: expected a mapping of currency codes (USD: {{symbol: $}})")
    try:
        money = {str(code): MoneyFormat.of(spec, f"{source}: formats: money: {code}")
                 for code, spec in formats["money"].items()}
    except (TypeError, ValueError) as exc:
        raise ProfileError(str(exc)) from None
    targets: dict[str, Spec] = {}
    for key, entry in _mapping(data, "targets", source, required=True).items():
        try:
            targets[str(key)] = spec_of(entry, f"{source}: targets: {key!r}")
        except TargetError as exc:
            raise ProfileError(str(exc)) from None
    addresses = _strings(data, "addresses", source)
    for name, template in addresses.items():
        if name not in ADDRESSES:
            raise ProfileError(f"{source}: addresses: {name!r} unknown (known: {', '.join(ADDRESSES)})")
        if extra := set(fields_of(template)) - ADDRESSES[name]:
            raise ProfileError(f"{source}: addresses: {name}: unknown field {sorted(extra)[0]!r} "
                               f"(fields: {', '.join(sorted(ADDRESSES[name]))})")
    simulator = _mapping(data, "simulator", source)  # raw: harness.server.ServedAs reads it
    profile = UiProfile(
        name=str(data.get("profile") or source.stem), source=source, description=str(data.get("description", "")),
        locale=data.get("locale"), simulator=simulator, date_formats=[str(pattern) for pattern in dates],
        money_formats=money, cycles=_strings(data, "cycles", source, required=True),
        words=_strings(data, "words", source), phrases=_strings(data, "phrases", source), targets=targets,
        aliases=_strings(data, "aliases", source), addresses=addresses, features=features)
    if unknown := [key for key in profile.aliases.values() if key not in targets]:
        raise ProfileError(f"{source}: aliases: {unknown[0]!r} is no target of this profile")
    if features is not None:
        _check_complete(profile, features)
    return profile


def _check_complete(profile: UiProfile, features: UiProfile) -> None:
    """Every target, cycle, word and phrase of the features' profile must be given (a target
    may be given as `absent:` with a reason): the page objects and steps use them all."""
    for section in ("targets", "cycles", "words", "phrases"):
        given, wanted = set(getattr(profile, section)), set(getattr(features, section))
        if wanted - given:
            raise ProfileError(f"{profile.source}: {section}: missing {', '.join(map(repr, sorted(wanted - given)))} "
                               f"(every one that {features.source.name} gives; a target the portal has "
                               f"not can be declared {{absent: why}})")
        if given - wanted:
            raise ProfileError(f"{profile.source}: {section}: {', '.join(map(repr, sorted(given - wanted)))} "
                               f"unknown (not one that {features.source.name} gives)")


@lru_cache(maxsize=None)
def _load(path: Path) -> UiProfile:
    features_path = PROFILES / f"{FEATURES_PROFILE}.yaml"
    features = None if path == features_path else _load(features_path)
    return build(_read(path), path, features)


def load_profile(name_or_file: str | Path = FEATURES_PROFILE) -> UiProfile:
    return _load(profile_path(name_or_file).resolve())


def features_profile() -> UiProfile:
    """The profile whose words the features are written in (en)."""
    return load_profile(FEATURES_PROFILE)
