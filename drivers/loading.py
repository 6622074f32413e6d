"""Find the driver class `--portal-driver` names: a bundled name, an entry point, or module:Class."""
from __future__ import annotations

import importlib
import os
import sys
from importlib.metadata import entry_points

from .interface import CAPABILITIES, PortalDriver

# Third-party drivers register here, in their own package's metadata:
#   [project.entry-points."dns_plan_portal.drivers"]
#   staging = "mycompany_portal.driver:StagingDriver"
ENTRY_POINT_GROUP = "dns_plan_portal.drivers"
BUNDLED = {"simulator": "drivers.simulator:SimulatorDriver"}


class DriverNotFound(ValueError):
    """--portal-driver names nothing usable; the message says why, in one line."""


def _import(target: str, spec: str) -> object:
    module_name, _, attribute = target.partition(":")
    if not module_name or not attribute:
        raise DriverNotFound(f"--portal-driver {spec!r}: expected a name "
                             f"({', '.join(available())}) or module:Class")
    # A team's driver module sits in the folder the suite runs from (`portal-suite`, plain
    # `pytest`, an xdist worker), which is not on sys.path as it is with `python -m pytest`.
    here = os.getcwd()
    if here not in sys.path and "" not in sys.path:
        sys.path.append(here)
    try:
        module = importlib.import_module(module_name)
    except ImportError as error:
        raise DriverNotFound(f"--portal-driver {spec!r}: cannot import {module_name!r} ({error})") from None
    try:
        return getattr(module, attribute)
    except AttributeError:
        raise DriverNotFound(f"--portal-driver {spec!r}: module {module_name!r} has no "
                             f"{attribute!r}") from None


def available() -> list[str]:
    """The driver names --portal-driver accepts: the bundled ones and the registered ones."""
    return sorted({*BUNDLED, *(point.name for point in entry_points(group=ENTRY_POINT_GROUP))})


def driver_class(spec: str) -> type[PortalDriver]:
    """The PortalDriver subclass `spec` names, checked, or DriverNotFound."""
    if ":" in spec:
        found = _import(spec, spec)
    elif spec in BUNDLED:
        found = _import(BUNDLED[spec], spec)
    else:
        points = [point for point in entry_points(group=ENTRY_POINT_GROUP) if point.name == spec]
        if not points:
            raise DriverNotFound(f"--portal-driver {spec!r}: no such driver; available: "
                                 f"{', '.join(available())}, or module:Class")
        try:
            found = points[0].load()
        except Exception as error:  # a broken third-party package: say which, in one line
            raise DriverNotFound(f"--portal-driver {spec!r}: entry point {points[0].value!r} "
                                 f"failed to load ({type(error).__name__}: {error})") from None
    if not (isinstance(found, type) and issubclass(found, PortalDriver)):
        raise DriverNotFound(f"--portal-driver {spec!r}: {found!r} is not a PortalDriver subclass")
    unknown = sorted(set(found.capabilities) - set(CAPABILITIES))
    if unknown:
        raise DriverNotFound(f"--portal-driver {spec!r}: unknown capabilities {unknown}; "
                             f"known: {', '.join(CAPABILITIES)}")
    return found


def load_driver(spec: str, base_url: str) -> PortalDriver:
    return driver_class(spec)(base_url)
