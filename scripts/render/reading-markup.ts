/**
 * What the two screen editions, the ebook and the web page, do alike to the rendered tree
 * before they serialize it: notes with their DPUB-ARIA roles, header cells that say what they
 * head, task-list checkboxes labelled by their text, and images pointed at their copies under
 * `images/`, each named after its file.
 */
import path from 'node:path';
import type { Element } from 'hast';
import type { RenderedDocument } from './markdown.js';

/** An image of the text, as a screen edition carries it beside its page. */
export interface ImageFile {
  /** The asset key the rendered HTML uses as `src`. */
  key: string;
  /** Its path beside the page (in the EPUB's content folder, or the web edition's folder), e.g. `images/foot-chart.png`. */
  href: string;
  mediaType: string;
  bytes: Uint8Array;
}

/**
 * The notes rehype-notes made, with their DPUB-ARIA roles (the screen editions' only: in the
 * print page they would untag the PDF's links); in the ebook also as EPUB 3 notes, for reading
 * systems' pop-ups. The notes themselves take no `epub:type`: `endnote` is deprecated
 * (EPUBCheck 5), and the `endnotes` section and the `noteref` links are what reading systems look for.
 */
export function adjustNotes(node: Element, { epub }: { epub: boolean }): void {
  if (node.tagName === 'a' && node.properties.dataFootnoteRef !== undefined) {
    node.properties.role = 'doc-noteref';
    if (epub) node.properties['epub:type'] = 'noteref';
  }
  if (node.tagName === 'a' && node.properties.dataFootnoteBackref !== undefined) node.properties.role = 'doc-backlink';
  if (node.tagName === 'section' && node.properties.dataFootnotes !== undefined) {
    const { className, ...rest } = node.properties;
    node.properties = { className, role: 'doc-endnotes', ...rest, ...(epub ? { 'epub:type': 'endnotes' } : {}) };
  }
}

/**
 * Header cells say what they head (`scope`), which reading systems and screen readers announce with each cell:
 * those of the table's head its columns, one that opens a row of the body its row.
 */
export function adjustTableHeaders(node: Element): void {
  if (node.tagName !== 'table') return;
  const rows = (parent: Element, inHead: boolean): [Element, boolean][] =>
    parent.children.flatMap((child): [Element, boolean][] => {
      if (child.type !== 'element') return [];
      if (child.tagName === 'tr') return [[child, inHead]];
      return ['thead', 'tbody', 'tfoot'].includes(child.tagName) ? rows(child, child.tagName === 'thead') : [];
    });
  for (const [row, inHead] of rows(node, false)) {
    const cells = row.children.filter((cell): cell is Element => cell.type === 'element' && (cell.tagName === 'th' || cell.tagName === 'td'));
    const allHeaders = cells.every((cell) => cell.tagName === 'th');
    cells.forEach((cell, index) => {
      if (cell.tagName === 'th' && cell.properties.scope === undefined) cell.properties.scope = inHead || allHeaders ? 'col' : index === 0 ? 'row' : 'col';
    });
  }
}

const BLOCK = new Set(['ul', 'ol', 'p', 'div', 'pre', 'blockquote', 'table', 'figure', 'details', 'section', 'dl', 'hr', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6']);

/**
 * A task list item's checkbox gets its text as label: `<label><input …/> Buy milk</label>`,
 * so that a screen reader says what is done or to do (a bare checkbox has no name).
 */
export function adjustTaskItem(node: Element): void {
  if (node.tagName !== 'li' || !String(node.properties.className ?? '').includes('task-list-item')) return;
  const first = node.children.find((child): child is Element => child.type === 'element');
  const container = first?.tagName === 'p' ? first : node;
  const start = container.children.findIndex((child) => child.type === 'element' && child.tagName === 'input');
  if (start === -1) return;
  let end = start + 1;
  while (end < container.children.length) {
    const child = container.children[end]!;
    if (child.type === 'element' && BLOCK.has(child.tagName)) break;
    end++;
  }
  // Trailing white space stays outside the label.
  while (end > start + 1 && container.children[end - 1]!.type === 'text' && !(container.children[end - 1] as { value: string }).value.trim()) end--;
  const label: Element = { type: 'element', tagName: 'label', properties: {}, children: container.children.slice(start, end) };
  container.children.splice(start, end - start, label);
}

/** Point an image at its packed file; report whether it is described, decorative or lacks `alt`. */
export function adjustImage(node: Element, images: ReadonlyMap<string, ImageFile>): 'described' | 'decorative' | 'missing' | undefined {
  if (node.tagName !== 'img') return undefined;
  const image = images.get(String(node.properties.src ?? ''));
  if (image) node.properties.src = image.href;
  if (node.properties.alt === undefined || node.properties.alt === null) {
    // Left without `alt`, not given an empty one, which would tell a screen reader that the image is decorative:
    // the build has warned, and the package makes no claim that needs it.
    return 'missing';
  }
  return String(node.properties.alt).trim() ? 'described' : 'decorative';
}

/**
 * Images under `images/`, named after their file (ASCII letters, digits, `-`, `_`, `.`),
 * numbered when two share a name: stable from build to build.
 */
export function imageFiles(assets: RenderedDocument['assets']): Map<string, ImageFile> {
  const taken = new Set<string>();
  const images = new Map<string, ImageFile>();
  for (const asset of assets) {
    const extension = path.extname(asset.key).toLowerCase();
    const base = asciiName(path.basename(asset.key, path.extname(asset.key))) || 'image';
    let name = `${base}${extension}`;
    for (let n = 2; taken.has(name); n++) name = `${base}-${n}${extension}`;
    taken.add(name);
    images.set(asset.key, { key: asset.key, href: `images/${name}`, mediaType: asset.mediaType, bytes: asset.bytes });
  }
  return images;
}

export function asciiName(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9_.-]+/g, '-')
    .replace(/^[-.]+|-+$/g, '');
}
