"""Reading a page as a screen reader relates its parts: which message a field is described by (aria-describedby),
whether it says it was refused (aria-invalid), which element an id names. Standard library only."""

from __future__ import annotations

from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Element(dict):
    """An element's attributes (a valueless one, e.g. ``data-refused``, is ``None``), with its tag and text."""

    def __init__(self, tag: str, attrs: list[tuple[str, str | None]]):
        super().__init__(attrs)
        self.tag = tag
        self.text = ""
        self.children: list[Element] = []

    def find_all(self, tag: str | None = None, **attrs) -> list[Element]:
        return [e for e in self.children if (tag is None or e.tag == tag) and _matches(e, attrs)]


def _matches(element: Element, attrs: dict) -> bool:
    return all(element.get(name.replace("_", "-")) == value for name, value in attrs.items())


class Page(HTMLParser):
    """Every element of ``html`` in document order; ``page.by_id[...]``; each element knows its descendants."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self._open: list[Element] = []
        self.feed(html)
        self.close()
        self.by_id: dict[str, Element] = {}
        for element in self.elements:
            if element.get("id"):
                assert element["id"] not in self.by_id, f"id {element['id']!r} twice on the page"
                self.by_id[element["id"]] = element

    def handle_starttag(self, tag, attrs):
        element = Element(tag, attrs)
        for parent in self._open:
            parent.children.append(element)
        self.elements.append(element)
        if tag not in VOID:
            self._open.append(element)

    def handle_startendtag(self, tag, attrs):
        element = Element(tag, attrs)
        for parent in self._open:
            parent.children.append(element)
        self.elements.append(element)

    def handle_endtag(self, tag):
        for index in range(len(self._open) - 1, -1, -1):
            if self._open[index].tag == tag:
                del self._open[index:]
                return

    def handle_data(self, data):
        for element in self._open:
            element.text += data

    def find_all(self, tag: str | None = None, **attrs) -> list[Element]:
        return [e for e in self.elements if (tag is None or e.tag == tag) and _matches(e, attrs)]

    def described_by(self, element: Element) -> list[Element]:
        """The elements ``element``'s aria-describedby names; each must be on the page."""
        ids = (element.get("aria-describedby") or "").split()
        missing = [i for i in ids if i not in self.by_id]
        assert not missing, f"aria-describedby names {missing}, not on the page"
        return [self.by_id[i] for i in ids]

    def unresolved_references(self) -> list[str]:
        """Every aria-describedby / aria-labelledby id on the page that no element carries."""
        return [
            f"{e.tag}#{e.get('id') or e.get('name')}: {ref}"
            for e in self.elements
            for attribute in ("aria-describedby", "aria-labelledby")
            for ref in (e.get(attribute) or "").split()
            if ref not in self.by_id
        ]
