"""A small element tree with line numbers, built with defusedxml's SAX parser.

The standard library's ElementTree neither keeps line numbers nor protects against entity
expansion attacks; defusedxml refuses DTD entities and external references, and the SAX
locator gives each element its line.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from xml.sax import SAXException
from xml.sax.handler import ContentHandler
from xml.sax.xmlreader import AttributesImpl, Locator

MAX_ELEMENTS = 200_000


@dataclass(slots=True)
class XmlNode:
    tag: str
    attrib: dict[str, str]
    line: int
    children: list[XmlNode] = field(default_factory=list)
    text: str = ""

    def get(self, name: str, default: str = "") -> str:
        return self.attrib.get(name, default)

    def iter(self, tag: str | None = None) -> Iterator[XmlNode]:
        """This node and its descendants (local tag names compared without namespace)."""
        if tag is None or local(self.tag) == tag:
            yield self
        for child in self.children:
            yield from child.iter(tag)

    def find(self, tag: str) -> XmlNode | None:
        return next((c for c in self.children if local(c.tag) == tag), None)

    def findall(self, tag: str) -> list[XmlNode]:
        return [c for c in self.children if local(c.tag) == tag]

    def path(self, *tags: str) -> list[XmlNode]:
        """Descend through direct children named ``tags`` in turn."""
        nodes = [self]
        for tag in tags:
            nodes = [c for n in nodes for c in n.findall(tag)]
        return nodes

    def child_text(self, tag: str) -> str:
        node = self.find(tag)
        return node.text.strip() if node is not None else ""


def local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].rsplit(":", 1)[-1]


class XmlError(ValueError):
    """The document is not well-formed or uses a forbidden construct."""


class _Builder(ContentHandler):
    def __init__(self) -> None:
        super().__init__()
        self.stack: list[XmlNode] = []
        self.root: XmlNode | None = None
        self.locator: Locator | None = None
        self.count = 0

    def setDocumentLocator(self, locator: Locator) -> None:  # noqa: N802 - SAX API
        self.locator = locator

    def startElement(self, name: str, attrs: AttributesImpl) -> None:  # noqa: N802
        self.count += 1
        if self.count > MAX_ELEMENTS:
            raise SAXException(f"more than {MAX_ELEMENTS} elements")
        line = self.locator.getLineNumber() if self.locator is not None else 0
        node = XmlNode(name, {k: attrs[k] for k in attrs.getNames()}, line or 0)
        if self.stack:
            self.stack[-1].children.append(node)
        else:
            self.root = node
        self.stack.append(node)

    def endElement(self, name: str) -> None:  # noqa: N802
        self.stack.pop()

    def characters(self, content: str) -> None:
        if self.stack and len(self.stack[-1].text) < 65536:
            self.stack[-1].text += content


def parse_xml(data: bytes) -> XmlNode:
    """Parse a document; raises ``XmlError`` with a reason on anything unsafe or malformed."""
    import defusedxml.sax
    from defusedxml import DefusedXmlException

    builder = _Builder()
    try:
        defusedxml.sax.parseString(data, builder)
    except (SAXException, DefusedXmlException, ValueError) as exc:
        raise XmlError(str(exc)[:200]) from None
    if builder.root is None:
        raise XmlError("empty document")
    return builder.root
