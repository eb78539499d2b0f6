"""A page as htmx-ext-ws keeps it: each top-level element of a push is an out-of-band swap.

Only what our pushes use: outerHTML by id (no hx-swap-oob, or "true"), "delete", and
"beforeend:#id" / "beforebegin:#id" with the wrapper's children. An element with an id that
is not on the page yet is added at the end (a test's page starts empty; the first snapshot
fills it). A swap whose target is missing is recorded in `errors`, as htmx would log it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape
from html.parser import HTMLParser

VOID = {"input", "br", "img", "meta", "link", "hr", "source", "col", "wbr", "area", "base"}


@dataclass
class Node:
    tag: str  # "" for text
    attrs: dict[str, str | None] = field(default_factory=dict)
    children: list[Node] = field(default_factory=list)
    text: str = ""
    parent: Node | None = field(default=None, repr=False)

    def html(self) -> str:
        if not self.tag:
            return self.text
        attrs = "".join(
            f" {k}" if v is None else f' {k}="{escape(v, quote=True)}"'
            for k, v in self.attrs.items()
        )
        if self.tag in VOID:
            return f"<{self.tag}{attrs}>"
        inner = "".join(c.html() for c in self.children)
        return f"<{self.tag}{attrs}>{inner}</{self.tag}>"

    def find(self, element_id: str) -> Node | None:
        for child in self.children:
            if child.attrs.get("id") == element_id:
                return child
            found = child.find(element_id)
            if found is not None:
                return found
        return None

    def elements(self) -> list[Node]:
        return [c for c in self.children if c.tag]


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.root = Node("#root")
        self._open = self.root

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, dict(attrs), parent=self._open)
        self._open.children.append(node)
        if tag not in VOID:
            self._open = node

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._open.children.append(Node(tag, dict(attrs), parent=self._open))

    def handle_endtag(self, tag: str) -> None:
        node: Node | None = self._open
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self._open = node.parent

    def handle_data(self, data: str) -> None:
        if not data.strip():
            return  # indentation between elements: not what a view shows
        self._open.children.append(Node("", text=data, parent=self._open))

    def handle_entityref(self, name: str) -> None:
        self.handle_data(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self.handle_data(f"&#{name};")


def parse(markup: str) -> Node:
    parser = _Parser()
    parser.feed(markup)
    parser.close()
    return parser.root


def _adopt(nodes: list[Node], parent: Node) -> list[Node]:
    for node in nodes:
        node.parent = parent
    return nodes


class Page:
    def __init__(self) -> None:
        self.root = Node("#root")
        self.errors: list[str] = []

    def apply(self, message: str) -> None:
        for element in parse(message).elements():
            oob = element.attrs.pop("hx-swap-oob", None) or "true"
            style, _, selector = oob.partition(":")
            if style == "true":
                self._replace(element)
                continue
            target_id = (selector or "#" + (element.attrs.get("id") or "")).lstrip("#")
            target = self.root.find(target_id)
            if target is None or target.parent is None:
                self.errors.append(f"{style}: no #{target_id}")
                continue
            siblings = target.parent.children
            if style == "delete":
                siblings.remove(target)
            elif style == "beforeend":
                target.children.extend(_adopt(element.children, target))
            elif style == "beforebegin":
                at = siblings.index(target)
                siblings[at:at] = _adopt(element.children, target.parent)
            else:
                self.errors.append(f"unsupported swap {oob}")

    def _replace(self, element: Node) -> None:
        target = self.root.find(element.attrs.get("id") or "")
        if target is None or target.parent is None:
            self.root.children.append(element)
            element.parent = self.root
            return
        siblings = target.parent.children
        element.parent = target.parent
        siblings[siblings.index(target)] = element

    def html(self, element_id: str) -> str | None:
        node = self.root.find(element_id)
        return None if node is None else node.html()

    def ids(self, element_id: str) -> list[str]:
        """The ids of an element's child elements, in order."""
        node = self.root.find(element_id)
        if node is None:
            return []
        return [c.attrs.get("id") or "" for c in node.elements()]


def normal(markup: str) -> str:
    """Markup as this parser writes it, to compare a pushed page with a rendered one."""
    return "".join(n.html() for n in parse(markup).children)
