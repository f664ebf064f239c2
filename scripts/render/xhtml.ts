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
const MATHML = 'http://www.w3.org/1998/Math/MathML';
/** XML's Name production, simplified to what HTML attribute names can be. */
const XML_NAME = /^[A-Za-z_][A-Za-z0-9._:-]*$/;

/** XHTML for a run of HTML content, ready to be set inside an XHTML document's `<body>`. */
export function toXhtml(nodes: ElementContent[]): string {
  // Converted inside an HTML-namespace wrapper, so only the wrapper carries `xmlns`.
  const wrapper: Element = { type: 'element', tagName: 'div', properties: {}, children: nodes.flatMap(clean) };
  const converted = toXast(wrapper) as XastElement;
  // `raw` nodes are the pieces `finish` has already written as XML.
  return toXml(converted.children.map(finish), { closeEmptyElements: false, allowDangerousXml: true });
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
  // hast-util-to-xast knows HTML and SVG; MathML declares its namespace itself.
  if (node.tagName === 'math') properties.xmlns = MATHML;
  // <template> holds inert content (in `content`, not `children`): nothing to show, dropped.
  if (node.tagName === 'template') return [];
  return [{ type: 'element', tagName: node.tagName, properties, children: node.children.flatMap(clean) }];
}

/**
 * Void elements as `<br/>`; other empty elements keep an end tag, which HTML parsers
 * need (`<a id="x"></a>`). Text escapes `>` too: `]]>` may not appear in XML text.
 */
function finish(node: XastContent): XastContent {
  if (node.type === 'text') return raw(escapeText(node.value));
  if (node.type !== 'element') return node;
  if (node.children.length === 0 && VOID.has(node.name) && !node.attributes?.xmlns) {
    return raw(toXml(node as XastNodes, { closeEmptyElements: true, tightClose: true }));
  }
  return { ...node, children: node.children.map((child) => finish(child as XastContent)) as XastElement['children'] };
}

const raw = (value: string) => ({ type: 'raw', value }) as unknown as XastContent;

/** `&`, `<` and `>` as references; characters XML 1.0 forbids (C0 controls but tab, LF, CR) dropped. */
function escapeText(value: string): string {
  return value
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}
