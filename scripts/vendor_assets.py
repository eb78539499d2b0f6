"""Vendor pinned front-end packages into static/vendor/ with their licences.

htmx and htmx-ext-ws for every page; Swagger UI for the API documentation at /docs.
Run by hand when upgrading: `python scripts/vendor_assets.py` (uses `npm pack`). The files are
committed, so the app never loads them from a CDN; SHA256SUMS pins exactly what we reviewed and
tests/test_static.py checks it.
"""

from __future__ import annotations

import hashlib
import subprocess
import tarfile
import tempfile
from pathlib import Path

PACKAGES = {
    "htmx.org@2.0.11": {
        "package/dist/htmx.min.js": "htmx-2.0.11.min.js",
        "package/LICENSE": "htmx-LICENSE.txt",
    },
    "htmx-ext-ws@2.0.4": {
        "package/dist/ws.min.js": "htmx-ext-ws-2.0.4.min.js",
        "package/LICENSE": "htmx-ext-ws-LICENSE.txt",
    },
    "swagger-ui-dist@5.35.0": {
        "package/swagger-ui-bundle.js": "swagger-ui-5.35.0-bundle.js",
        "package/swagger-ui.css": "swagger-ui-5.35.0.css",
        "package/LICENSE": "swagger-ui-LICENSE.txt",
    },
}
DEST = Path(__file__).resolve().parent.parent / "static" / "vendor"


def main() -> int:
    DEST.mkdir(parents=True, exist_ok=True)
    lines = []
    with tempfile.TemporaryDirectory() as tmp:
        for spec, files in PACKAGES.items():
            out = subprocess.run(
                ["npm", "pack", spec, "--silent"],
                cwd=tmp,
                check=True,
                capture_output=True,
                text=True,
            )
            tarball = Path(tmp) / out.stdout.strip().splitlines()[-1]
            with tarfile.open(tarball) as tar:
                for member, target in files.items():
                    extracted = tar.extractfile(member)
                    assert extracted is not None, member
                    data = extracted.read()
                    (DEST / target).write_bytes(data)
                    lines.append(f"{hashlib.sha256(data).hexdigest()}  {target}")
    (DEST / "SHA256SUMS").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
