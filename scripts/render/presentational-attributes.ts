/**
 * Which attributes HTML5, and so an EPUB's XHTML, allows on the elements the
 * sanitizer keeps (GitHub's schema lets through HTML 4's too), and what the
 * presentational ones of HTML 4 (`align`, `valign`, `width` on a cell,
 * `nowrap`, …) say in CSS.
 *
 * Chromium still draws those attributes, so the print edition keeps them; the
 * EPUB's XHTML may not carry them, so render/ebook.ts writes them as CSS with
 * `presentationAsCss`. An attribute HTML5 has dropped and CSS cannot say in
 * the element's own style (`cellpadding`, `clear`, `noshade`, `alt` on a
 * link) is removed, with a warning, by rehype-valid-html.
 */
import type { Element } from 'hast';

/** Attributes every element may carry (hast property names); `aria*` and `data*` are allowed by prefix. */
const GLOBAL = new Set(['id', 'className', 'title', 'lang', 'dir', 'hidden', 'tabIndex', 'accessKey', 'translate', 'spellCheck', 'itemProp', 'itemScope', 'itemType', 'itemId', 'itemRef', 'role', 'style']);

const BY_ELEMENT: Record<string, readonly string[]> = {
  a: ['href', 'hrefLang', 'type', 'download', 'rel'],
  blockquote: ['cite'],
  q: ['cite'],
  del: ['cite', 'dateTime'],
  ins: ['cite', 'dateTime'],
  img: ['src', 'alt', 'width', 'height', 'isMap', 'useMap'],
  input: ['type', 'checked', 'disabled', 'name', 'value'],
  ol: ['start', 'reversed', 'type'],
  li: ['value'],
  td: ['colSpan', 'rowSpan', 'headers'],
  th: ['colSpan', 'rowSpan', 'headers', 'scope', 'abbr'],
  col: ['span'],
  colgroup: ['span'],
  details: ['open'],
  time: ['dateTime'],
};

const TEXT_ALIGNED = ['p', 'div', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'td', 'th', 'tr', 'thead', 'tbody', 'tfoot', 'caption', 'col', 'colgroup'];
const CELLS = ['td', 'th', 'tr', 'thead', 'tbody', 'tfoot', 'col', 'colgroup'];
const SIZED = ['img', 'td', 'th', 'table', 'col', 'colgroup', 'hr'];

type Css = [property: string, value: string][];

/** A length of HTML 4 (`120`, `120px`, `50%`) in CSS; undefined for anything else. */
function cssLength(value: string): string | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(px|%)?\s*$/i.exec(value);
  return match ? `${match[1]}${match[2] === '%' ? '%' : 'px'}` : undefined;
}

const LIST_STYLES: Record<string, string> = {
  disc: 'disc',
  circle: 'circle',
  square: 'square',
  '1': 'decimal',
  a: 'lower-alpha',
  A: 'upper-alpha',
  i: 'lower-roman',
  I: 'upper-roman',
};

/** Each presentational attribute: the CSS it stands for on this element, or undefined when it says nothing CSS can. */
const PRESENTATIONAL: Record<string, (value: string, tagName: string) => Css | undefined> = {
  align(value, tagName) {
    const align = value.trim().toLowerCase();
    if (tagName === 'img' || tagName === 'table') {
      if (align === 'left' || align === 'right') return [['float', align]];
      if (tagName === 'table' && align === 'center') return [['margin-left', 'auto'], ['margin-right', 'auto']];
      if (tagName === 'img' && ['top', 'middle', 'bottom'].includes(align)) return [['vertical-align', align]];
      return undefined;
    }
    if (!TEXT_ALIGNED.includes(tagName)) return undefined;
    const text = align === 'middle' ? 'center' : align;
    return ['left', 'right', 'center', 'justify'].includes(text) ? [['text-align', text]] : undefined;
  },
  vAlign(value, tagName) {
    const align = value.trim().toLowerCase();
    return CELLS.includes(tagName) && ['top', 'middle', 'bottom', 'baseline'].includes(align) ? [['vertical-align', align]] : undefined;
  },
  width: (value, tagName) => (SIZED.includes(tagName) && cssLength(value) ? [['width', cssLength(value)!]] : undefined),
  height: (value, tagName) => (SIZED.includes(tagName) && cssLength(value) ? [['height', cssLength(value)!]] : undefined),
  noWrap: (_, tagName) => (tagName === 'td' || tagName === 'th' ? [['white-space', 'nowrap']] : undefined),
  border(value, tagName) {
    if (tagName !== 'img' && tagName !== 'table') return undefined;
    const width = cssLength(value || '1');
    return width ? [['border', width === '0px' ? '0' : `${width} solid`]] : undefined;
  },
  hSpace: (value, tagName) => (tagName === 'img' && cssLength(value) ? [['margin-left', cssLength(value)!], ['margin-right', cssLength(value)!]] : undefined),
  vSpace: (value, tagName) => (tagName === 'img' && cssLength(value) ? [['margin-top', cssLength(value)!], ['margin-bottom', cssLength(value)!]] : undefined),
  type(value, tagName) {
    const style = LIST_STYLES[value.trim()] ?? LIST_STYLES[value.trim().toLowerCase()];
    return (tagName === 'ul' || tagName === 'li') && style ? [['list-style-type', style]] : undefined;
  },
};

/** `width="120"` on an image is HTML5; `width="50%"` is not (it is CSS). */
const HTML5_VALUE: Record<string, (value: string, tagName: string) => boolean> = {
  width: (value, tagName) => tagName !== 'img' || /^\d+$/.test(value.trim()),
  height: (value, tagName) => tagName !== 'img' || /^\d+$/.test(value.trim()),
};

const attributeText = (value: unknown) => (Array.isArray(value) ? value.join(' ') : String(value));

/** Whether HTML5 allows the property on the element, with this value. */
export function isHtml5Attribute(tagName: string, property: string, value: unknown): boolean {
  if (/^(aria|data)[A-Z]/.test(property) || GLOBAL.has(property)) return true;
  if (!BY_ELEMENT[tagName]?.includes(property)) return false;
  return HTML5_VALUE[property]?.(attributeText(value), tagName) ?? true;
}

/** The CSS a presentational attribute says on this element; undefined when HTML5 allows it, or CSS cannot say it. */
export function presentationalCss(tagName: string, property: string, value: unknown): Css | undefined {
  if (isHtml5Attribute(tagName, property, value)) return undefined;
  return PRESENTATIONAL[property]?.(attributeText(value), tagName);
}

/** The element's presentational attributes taken off it, as CSS declarations. */
function takePresentation(node: Element): string[] {
  const declarations: string[] = [];
  for (const [property, value] of Object.entries(node.properties)) {
    if (value === undefined || value === null || value === false) continue;
    const css = presentationalCss(node.tagName, property, value);
    if (!css) continue;
    declarations.push(...css.map(([name, cssValue]) => `${name}: ${cssValue}`));
    delete node.properties[property];
  }
  return declarations;
}

/** The element's presentational attributes moved into its `style`, after what it already says there. */
export function presentationAsCss(node: Element): void {
  const declarations = takePresentation(node);
  if (declarations.length === 0) return;
  const style = typeof node.properties.style === 'string' ? node.properties.style.replace(/;?\s*$/, '; ') : '';
  node.properties.style = `${style}${declarations.join('; ')}`;
}

/**
 * The element's presentational attributes moved into a class of the page's own stylesheet: the web
 * edition's content security policy lets no `style` attribute apply. `rules` maps each class made
 * to its declarations; elements that say the same share one.
 */
export function presentationAsClass(node: Element, rules: Map<string, string>): void {
  const declarations = takePresentation(node);
  if (declarations.length === 0) return;
  const css = declarations.join('; ');
  let name = [...rules].find(([, made]) => made === css)?.[0];
  if (!name) rules.set((name = `presentation-${rules.size + 1}`), css);
  const classes = Array.isArray(node.properties.className) ? node.properties.className : [];
  node.properties.className = [...classes, name];
}
