/**
 * rehype plugin: GitHub's alert syntax, which writers already know, as the
 * call-out boxes a patient leaflet needs ("when to get help", "key points"):
 *
 *     > [!WARNING] When to get help
 *     > Call 999 if the pain spreads to your chest.
 *
 * The markers are GitHub's five (NOTE, TIP, IMPORTANT, WARNING, CAUTION) and
 * KEYPOINTS for the summary box; an optional title follows the marker on its
 * line. The published plugins did not fit: rehype-github-alerts leaves a
 * blockquote with a title as it is (as GitHub does) and skips an unknown marker
 * silently; remark-github-blockquote-alert takes titles only as `[!NOTE/title]`
 * and runs before the sanitizer, which would strip its markup. This one runs
 * after the sanitizer (rehype-safe-html.ts), and an unknown marker such as
 * `[!WARN]` is a warning at its line, the blockquote left as written.
 *
 * A note is an `aside` with `role="note"`, a tip one with `role="doc-tip"`
 * (`epub:type="tip"`); an important point, a warning or a caution is a `div`
 * with `role="doc-notice"` (`notice`: ARIA allows that role on no `aside`);
 * the key points are a `section` with `role="doc-abstract"` (`abstract`). Its title line carries an
 * icon (GitHub's own, from @primer/octicons, hidden from assistive technology)
 * and the kind of box in words, so that neither colour nor shape alone says
 * what it is.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { toString } from 'hast-util-to-string';
import { SKIP, visit } from 'unist-util-visit';
import type { Element, ElementContent, Properties, Root } from 'hast';
import type { VFile } from 'vfile';
import { leafletLabels, type LeafletLabels } from '../../languages/fixed-texts.js';

export const CALLOUT_KINDS = ['NOTE', 'TIP', 'IMPORTANT', 'WARNING', 'CAUTION', 'KEYPOINTS'] as const;
export type CalloutKind = (typeof CALLOUT_KINDS)[number];

/** The marker that opens a call-out's first paragraph: `[!WARNING]`, any case. */
export const CALLOUT_MARKER = /^\s*\[!([A-Za-z][\w-]*)\][ \t]*/;

interface KindStyle {
  /** The octicon GitHub shows for it. */
  icon: string;
  tagName: 'aside' | 'div' | 'section';
  role: string;
  /** EPUB 3 Structural Semantics Vocabulary term, where one fits. */
  epubType?: string;
}

const KIND_STYLES: Record<CalloutKind, KindStyle> = {
  NOTE: { icon: 'info', tagName: 'aside', role: 'note' },
  TIP: { icon: 'light-bulb', tagName: 'aside', role: 'doc-tip', epubType: 'tip' },
  IMPORTANT: { icon: 'report', tagName: 'div', role: 'doc-notice', epubType: 'notice' },
  WARNING: { icon: 'alert', tagName: 'div', role: 'doc-notice', epubType: 'notice' },
  CAUTION: { icon: 'stop', tagName: 'div', role: 'doc-notice', epubType: 'notice' },
  KEYPOINTS: { icon: 'checklist', tagName: 'section', role: 'doc-abstract', epubType: 'abstract' },
};

const NO_BLOCKQUOTE_INSIDE = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'pre', 'table', 'figure']);

export default function rehypeCallouts(options: { lang: string }) {
  const labels = leafletLabels(options.lang);
  return (tree: Root, file: VFile) => {
    visit(tree, 'element', (node, index, parent) => {
      // Paragraphs, headings, tables and code hold no blockquote: most of a book is not walked into.
      if (NO_BLOCKQUOTE_INSIDE.has(node.tagName)) return SKIP;
      if (node.tagName !== 'blockquote' || !parent || index === undefined) return;
      const found = takeMarker(node);
      if (!found) return;
      const kind = found.marker.toUpperCase();
      if (!(CALLOUT_KINDS as readonly string[]).includes(kind)) {
        const message = file.message(`unknown call-out marker [!${found.marker}]: left as a quotation`, {
          place: node.position,
          ruleId: 'callout-marker',
          source: 'press',
        });
        message.note = `Use one of ${CALLOUT_KINDS.map((name) => `[!${name}]`).join(', ')}, optionally followed by a title on the same line.`;
        return SKIP;
      }
      parent.children[index] = callout(kind as CalloutKind, found.title, found.body, labels, node);
      return SKIP;
    });
  };
}

/**
 * The marker, the title after it on its line and the body under it, when the
 * blockquote's first paragraph starts with one; the blockquote is not changed.
 */
function takeMarker(blockquote: Element): { marker: string; title: ElementContent[]; body: ElementContent[] } | undefined {
  const firstIndex = blockquote.children.findIndex((child) => child.type === 'element');
  const first = blockquote.children[firstIndex];
  if (!first || first.type !== 'element' || first.tagName !== 'p') return undefined;
  const lead = first.children[0];
  const match = lead?.type === 'text' ? CALLOUT_MARKER.exec(lead.value) : null;
  if (!lead || lead.type !== 'text' || !match) return undefined;

  // The title runs to the end of the marker's line: a line break in a text node, or a hard break.
  const rest: ElementContent[] = [{ ...lead, value: lead.value.slice(match[0].length) }, ...first.children.slice(1)];
  const title: ElementContent[] = [];
  let lineEnd = rest.length;
  for (let at = 0; at < rest.length; at++) {
    const child = rest[at]!;
    if (child.type === 'element' && child.tagName === 'br') {
      lineEnd = at + 1;
      break;
    }
    if (child.type === 'text' && child.value.includes('\n')) {
      const cut = child.value.indexOf('\n');
      title.push({ ...child, value: child.value.slice(0, cut) });
      rest[at] = { ...child, value: child.value.slice(cut + 1) };
      lineEnd = at;
      break;
    }
    title.push(child);
  }
  const firstBody = rest.slice(lineEnd).filter((child) => !(child.type === 'text' && !child.value.trim()));
  const body: ElementContent[] = [
    ...(firstBody.length ? [{ ...first, children: rest.slice(lineEnd) }] : []),
    ...blockquote.children.slice(firstIndex + 1).filter((child) => !(child.type === 'text' && !child.value.trim())),
  ];
  const trimmed = trimEdges(title);
  return { marker: match[1]!, title: toString({ type: 'root', children: trimmed }).trim() ? trimmed : [], body };
}

function callout(kind: CalloutKind, title: ElementContent[], body: ElementContent[], labels: LeafletLabels, source: Element): Element {
  const style = KIND_STYLES[kind];
  const kindName = labels.callouts[kind];
  const properties: Properties = {
    className: ['callout', `callout-${kind.toLowerCase()}`],
    role: style.role,
    ...(style.epubType ? { 'epub:type': style.epubType } : {}),
    // The key points are a section: named by their title, as a landmark's name.
    ...(kind === 'KEYPOINTS' ? { ariaLabel: title.length ? toString({ type: 'root', children: title }).trim() : kindName } : {}),
  };
  // A title of its own follows the kind in words: "Warning: When to get help".
  const heading: ElementContent[] = title.length
    ? [span('callout-kind', [{ type: 'text', value: `${kindName}:` }]), { type: 'text', value: ' ' }, span('callout-heading', title)]
    : [span('callout-heading', [{ type: 'text', value: kindName }])];
  return {
    type: 'element',
    tagName: style.tagName,
    properties,
    children: [{ type: 'element', tagName: 'p', properties: { className: ['callout-title'] }, children: [icon(style.icon), ...heading] }, ...body],
    position: source.position,
  };
}

const span = (className: string, children: ElementContent[]): Element => ({ type: 'element', tagName: 'span', properties: { className: [className] }, children });

function trimEdges(nodes: ElementContent[]): ElementContent[] {
  const out = [...nodes];
  const first = out[0];
  if (first?.type === 'text') out[0] = { ...first, value: first.value.trimStart() };
  const last = out.at(-1);
  if (last?.type === 'text') out[out.length - 1] = { ...last, value: last.value.trimEnd() };
  return out.filter((node) => !(node.type === 'text' && node.value === ''));
}

const require = createRequire(import.meta.url);
const iconPaths = new Map<string, string[]>();

/** The octicon's 16 px drawing as an inline SVG that takes the text's colour; decorative, the words say the same. */
function icon(name: string): Element {
  let paths = iconPaths.get(name);
  if (!paths) {
    const svg = readFileSync(require.resolve(`@primer/octicons/build/svg/${name}-16.svg`), 'utf8');
    paths = [...svg.matchAll(/<path d="([^"]+)"/g)].map((match) => match[1]!);
    iconPaths.set(name, paths);
  }
  return {
    type: 'element',
    tagName: 'svg',
    properties: { className: ['callout-icon'], viewBox: '0 0 16 16', width: 16, height: 16, ariaHidden: 'true', focusable: 'false' },
    children: paths.map((d): Element => ({ type: 'element', tagName: 'path', properties: { d, fill: 'currentColor' }, children: [] })),
  };
}
