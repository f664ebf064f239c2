/**
 * rehype preset: raw HTML in a manuscript is parsed (rehype-raw) and cleaned
 * (rehype-sanitize) so that a manuscript from anyone can be built safely. What
 * survives is semantic markup a patient handout may use; nothing that runs
 * (script, event handlers, `javascript:` links), loads (iframe, object, link,
 * style, `srcset`, `style` attributes with `url()`) or changes the page
 * (base, meta, form) is kept. Each dropped element or attribute is a warning
 * at its place, so the author learns what did not make it into the outputs.
 *
 * The schema is GitHub's (hast-util-sanitize's default), changed as follows:
 * - more semantic elements: abbr (with title), cite, dfn, mark, small, u, time,
 *   wbr, figure, figcaption, caption, col, colgroup (kbd, sup, sub, br,
 *   details, summary and the table cell attributes are already in it);
 * - no picture/source: `srcset` would make the browser choose and fetch files
 *   the image plugin never checked;
 * - any `src` protocol is let through to rehype-local-images, which knows the
 *   manuscript folder and refuses remote, `file:` and outside paths with an
 *   error at the image, instead of an image silently losing its source;
 * - ids are kept as written (no `user-content-` clobber prefix): JavaScript
 *   never runs in either edition, so there is no DOM to clobber, and keeping
 *   them lets `[text](#anchor)` reach an author's `<a id="anchor">`, leaves
 *   GFM footnote ids and their links matching, and heading ids to rehype-heading-ids;
 * - the contents of elements that are not text (style, template, iframe,
 *   noscript, …) are dropped with them rather than shown as text.
 */
import rehypeRaw from 'rehype-raw';
import rehypeSanitize, { defaultSchema, type Options as Schema } from 'rehype-sanitize';
import { isDeepStrictEqual } from 'node:util';
import { sanitize } from 'hast-util-sanitize';
import { toHtml } from 'hast-util-to-html';
import { EXIT, visit } from 'unist-util-visit';
import type { Element, Properties, Root } from 'hast';
import type { Preset } from 'unified';
import type { VFile } from 'vfile';

const MORE_SEMANTIC_ELEMENTS = ['abbr', 'cite', 'dfn', 'mark', 'small', 'u', 'time', 'wbr', 'figure', 'figcaption', 'caption', 'col', 'colgroup'];
const ELEMENTS_THAT_FETCH = ['picture', 'source'];
/** Elements whose content is code, markup or fallback, never the author's text. */
const DROPPED_WITH_CONTENT = ['script', 'style', 'template', 'iframe', 'noscript', 'noembed', 'noframes', 'object', 'embed', 'textarea', 'title', 'xmp'];

const { src: _checkedByRehypeLocalImages, ...protocols } = defaultSchema.protocols!;

export const safeHtmlSchema: Schema = {
  ...defaultSchema,
  tagNames: [...defaultSchema.tagNames!.filter((name) => !ELEMENTS_THAT_FETCH.includes(name)), ...MORE_SEMANTIC_ELEMENTS],
  clobber: [],
  clobberPrefix: '',
  protocols,
  strip: DROPPED_WITH_CONTENT,
};

/** Warn about each element and attribute the schema drops, before rehype-sanitize removes them. */
function rehypeWarnUnsafeHtml() {
  const allowed = new Set(safeHtmlSchema.tagNames);
  return (tree: Root, file: VFile) => {
    visit(tree, 'element', (node) => {
      const warn = (reason: string) => {
        const message = file.message(reason, { place: node.position, ruleId: 'unsafe-html', source: 'press' });
        message.note = 'Only safe, semantic HTML is kept (see README, "Raw HTML"); write it in Markdown instead.';
      };
      if (!allowed.has(node.tagName)) {
        warn(`raw HTML <${node.tagName}> removed`);
        return DROPPED_WITH_CONTENT.includes(node.tagName) ? 'skip' : undefined;
      }
      const removed = removedProperties(node);
      const count = Object.keys(removed).length;
      if (count) warn(`HTML attribute${count > 1 ? 's' : ''} removed: ${toHtml({ ...node, properties: removed, children: [] }).replace(/<\/\w+>$/, '')}`);
    });
  };
}

/** Sanitizing the element alone (wherever it stands) shows which of its properties the schema drops or changes. */
const alone: Schema = { ...safeHtmlSchema, ancestors: {} };

function removedProperties(node: Element): Properties {
  // Most elements (every paragraph, emphasis, list item) have none: sanitizing their shell found nothing, and took time.
  if (Object.keys(node.properties).length === 0) return {};
  const shell: Element = { type: 'element', tagName: node.tagName, properties: node.properties, children: [] };
  const kept = sanitize(shell, alone);
  const keptProperties: Properties = kept.type === 'element' ? kept.properties : {};
  return Object.fromEntries(
    Object.entries(node.properties).filter(([name, value]) => value !== undefined && value !== null && value !== false && !isDeepStrictEqual(keptProperties[name], value)),
  );
}

/**
 * rehype-raw re-parses the whole tree through parse5, though only `raw` nodes need it:
 * a file without HTML skips it.
 */
function rehypeRawWhereNeeded() {
  const parseRaw = rehypeRaw();
  return (tree: Root, file: VFile) => {
    let found = false;
    visit(tree, 'raw', () => {
      found = true;
      return EXIT;
    });
    return found ? parseRaw(tree, file) : undefined;
  };
}

const rehypeSafeHtml: Preset = {
  plugins: [rehypeRawWhereNeeded, rehypeWarnUnsafeHtml, [rehypeSanitize, safeHtmlSchema]],
};

export default rehypeSafeHtml;
