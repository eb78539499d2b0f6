"""axe-core, vendored for the tests only, run inside a page against WCAG 2.1 A and AA.

The script is injected from tests/browser/vendor (never a CDN). Our pages forbid inline
scripts (CSP script-src 'self'), so the contexts that run axe are opened with bypass_csp.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.sync_api import Page

VENDOR = Path(__file__).resolve().parent / "vendor"
AXE_VERSION = "4.14.1"
AXE = VENDOR / f"axe-core-{AXE_VERSION}.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}

_RUN = """async (tags) => {
  const result = await axe.run(document, {
    runOnly: {type: "tag", values: tags},
    resultTypes: ["violations"],
  });
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map((n) => ({target: n.target.join(" "), impact: n.impact,
                                summary: n.failureSummary})),
  }));
}"""


def violations(page: Page) -> list[dict[str, Any]]:
    """Every WCAG 2.1 A/AA violation axe finds on the page as it is now."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=AXE)
    found: list[dict[str, Any]] = page.evaluate(_RUN, TAGS)
    return found


def describe(where: str, found: list[dict[str, Any]]) -> list[str]:
    lines = []
    for v in found:
        for node in v["nodes"]:
            impact = node["impact"] or v["impact"]
            if impact in BLOCKING:
                lines.append(
                    f"{where}: {v['id']} [{impact}] {node['target']} — {v['help']}"
                    f" ({(node['summary'] or '').splitlines()[-1].strip()})"
                )
    return lines


@dataclass
class Audit:
    """Collects serious and critical violations over many pages; fails once with all of them."""

    checked: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def check(self, where: str, page: Page) -> None:
        self.checked.append(where)
        self.problems.extend(describe(where, violations(page)))

    def assert_clean(self) -> None:
        assert self.checked, "no page was audited"
        assert not self.problems, (
            f"{len(self.problems)} serious or critical WCAG 2.1 AA violations "
            f"on {len(self.checked)} audited pages:\n" + "\n".join(self.problems)
        )
