"""The contract the code cites as "SPEC §N" is readable in the repository (docs/SPEC.md),
and every section the code cites exists there."""
from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_spec_section_the_code_cites_is_in_docs_spec():
    spec = (ROOT / "docs" / "SPEC.md").read_text(encoding="utf-8")
    sections = set(re.findall(r"^#{2,3} (\d+(?:\.\d+)?)\.? ", spec, flags=re.M))
    assert {"3", "5", "5.1", "6", "8", "9", "10", "11"} <= sections
    cited: dict[str, str] = {}
    for path in [*ROOT.glob("*/*.py"), *ROOT.glob("features/*.feature"), ROOT / "README.md"]:
        for number in re.findall(r"SPEC §(\d+(?:\.\d+)?)", path.read_text(encoding="utf-8")):
            cited.setdefault(number, str(path.relative_to(ROOT)))
    missing = {number: where for number, where in cited.items()
               if number not in sections and number.split(".")[0] not in sections}
    assert not missing, f"cited but not in docs/SPEC.md: {missing}"
