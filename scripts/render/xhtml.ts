/**
 * Serialize hast as XHTML, the syntax EPUB content documents must use: every
 * element closed (void elements as `<br/>`, the rest as `<p></p>` even when
 * empty), every attribute with a quoted value (booleans as `disabled=""`),
 * only `&amp;`, `&lt;`, `&quot;` escaped and every other character written as
 * itself, so that no HTML-only named entity (`&nbsp;`) can reach the XML; SVG
 * and MathML carry their own namespace. Whatever HTML arrives in the tree,
 * from Markdown or from raw HTML parsed into hast, comes out well-formed.
 */
import { toXast } from 'hast-util-to-xast';
import { toXml } from 'xast-util-to-xml';
import { htmlVoidElements } from 'html-void-elements';
import type { Element, ElementContent, Nodes, Properties } from 'hast';
import type { Element as XastElement, Nodes as XastNodes, RootContent as XastContent } from 'xast';

const VOID = new Set(htmlVoidElements);
/** XML's Name production, simplified to what HTML attribute names can be. */
const XML_NAME = /^[A-Za-z_][A-Za-z0-9._:-]*$/;

/** XHTML for a run of HTML content, ready to be set inside an XHTML document's `<body>`. */
export function toXhtml(nodes: ElementContent[]): string {
  // Converted inside an HTML-namespace wrapper, so only the wrapper carries `xmlns`.
  const wrapper: Element = { type: 'element', tagName: 'div', properties: {}, children: nodes.flatMap(clean) };
  const converted = toXast(wrapper) as XastElement;
  return toXml(converted.children.map(selfCloseVoid), { closeEmptyElements: false });
}

/** Copies of the nodes that XML can carry: no comments, no `raw` HTML, attribute names XML accepts, `lang` paired with `xml:lang`. */
function clean(node: ElementContent | Nodes): ElementContent[] {
  if (node.type === 'text') return [{ type: 'text', value: node.value }];
  if (node.type === 'comment') return [];
  if (node.type === 'raw') {
    throw new Error('raw HTML reached the XHTML serializer: parse it into hast first (rehype-raw)');
  }
  if (node.type !== 'element') return [];
  const properties: Properties = {};
  for (const [key, value] of Object.entries(node.properties)) {
    if (XML_NAME.test(key)) properties[key] = value;
  }
  if (typeof properties.lang === 'string' && properties['xml:lang'] === undefined) properties['xml:lang'] = properties.lang;
  // <template> content lives in `content`, not `children`: it is inert, and dropped.
  const children = node.tagName === 'template' ? [] : node.children.flatMap(clean);
  return [{ type: 'element', tagName: node.tagName, properties, children }];
}

/** Void elements as `<br/>`; other empty elements keep an end tag, which HTML parsers need (`<a id="x"></a>`). */
function selfCloseVoid(node: XastContent): XastContent {
  if (node.type !== 'element') return node;
  if (node.children.length === 0 && VOID.has(node.name) && !node.attributes?.xmlns) {
    return { type: 'raw', value: toXml(node as XastNodes, { closeEmptyElements: true, tightClose: true }) } as unknown as XastContent;
  }
  return { ...node, children: node.children.map((child) => selfCloseVoid(child as XastContent)) as XastElement['children'] };
}
