"""The simulator's layers (issue 20, the house): storage never reaches up into the
request layer, and i18n does not import the views to learn the language."""
from __future__ import annotations

import subprocess
import sys


def _modules_loaded_by(module: str) -> set[str]:
    code = (f"import sys, {module}; "
            "print('\\n'.join(m for m in sys.modules if m.startswith('simulator')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    return set(out.split())


def test_the_storage_layer_imports_nothing_of_the_web_or_the_wording():
    loaded = _modules_loaded_by("simulator.storage.store")
    assert not loaded & {"simulator.web", "simulator.wording", "simulator.i18n",
                         "simulator.portal", "simulator.invoices"}, sorted(loaded)


def test_i18n_does_not_import_the_views():
    assert "simulator.web" not in _modules_loaded_by("simulator.i18n")


def test_the_storage_modules_live_in_their_own_package():
    from pathlib import Path

    import simulator

    root = Path(simulator.__file__).parent
    for name in ("store", "tables", "records", "state_json", "dbfile"):
        assert (root / "storage" / f"{name}.py").is_file()
        assert not (root / f"{name}.py").exists()
