/**
 * rehype plugin, run on the whole publication after rehype-chapters: footnotes
 * become notes at the end of the chapter that first refers to them, so that each
 * note sits in the same EPUB file as its reference (reading systems show such
 * notes as pop-ups) and every back link stays inside that file.
 *
 * remark-rehype gathers a file's footnotes in one `<section data-footnotes>` at
 * its end, with a visually hidden "Footnotes" heading. That section is taken
 * apart: each definition moves into a `<section class="footnotes" role="doc-endnotes">`
 * closing its chapter, numbered as its reference is (`<li value>`); the heading
 * becomes the section's accessible name, so it makes no entry in the tables of
 * contents.
 *
 * The notes keep remark-rehype's `data-footnote-ref`, `data-footnotes` and
 * `data-footnote-backref` marks and no ARIA role: the ebook adds the DPUB roles
 * (render/ebook.ts). In the print page Chromium would tag an element with such a
 * role as a generic container, so a note reference would be no PDF `Link` and the
 * notes no list.
 */
import { toString } from 'hast-util-to-string';
import { visit, SKIP } from 'unist-util-visit';
import type { Element, ElementContent, Root } from 'hast';

export default function rehypeNotes() {
  return (tree: Root) => {
    const definitions = new Map<string, Element>();
    let label = 'Footnotes';
    visit(tree, 'element', (node, index, parent) => {
      if (!isFootnoteSection(node) || !parent || index === undefined) return;
      const heading = node.children.find((child): child is Element => child.type === 'element' && /^h[1-6]$/.test(child.tagName));
      if (heading) label = toString(heading).trim() || label;
      visit(node, 'element', (item) => {
        if (item.tagName === 'li' && item.properties.id) definitions.set(String(item.properties.id), item);
      });
      parent.children.splice(index, 1);
      return [SKIP, index];
    });
    if (definitions.size === 0) return;

    for (const chapter of tree.children) {
      if (chapter.type !== 'element') continue;
      const notes: Element[] = [];
      visit(chapter, 'element', (node) => {
        if (!isReference(node)) return;
        delete node.properties.ariaDescribedBy;
        const id = fragment(node.properties.href);
        const definition = id === undefined ? undefined : definitions.get(id);
        if (!definition) return;
        definitions.delete(id!);
        definition.properties.value = toString(node).trim() || undefined;
        notes.push(definition);
      });
      if (notes.length === 0) continue;
      chapter.children.push(notesSection(notes, label));
    }
  };
}

function notesSection(notes: Element[], label: string): Element {
  const list: Element = { type: 'element', tagName: 'ol', properties: {}, children: interleave(notes) };
  return {
    type: 'element',
    tagName: 'section',
    properties: { className: ['footnotes'], ariaLabel: label, dataFootnotes: true },
    children: [{ type: 'text', value: '\n' }, list, { type: 'text', value: '\n' }],
  };
}

function interleave(nodes: Element[]): ElementContent[] {
  return nodes.flatMap((node): ElementContent[] => [{ type: 'text', value: '\n' }, node]).concat({ type: 'text', value: '\n' });
}

/** remark-rehype's section of a file's footnotes, not one this plugin made (named by `aria-label` instead of a heading). */
function isFootnoteSection(node: Element): boolean {
  return node.tagName === 'section' && node.properties.dataFootnotes !== undefined && node.properties.ariaLabel === undefined;
}

function isReference(node: Element): boolean {
  return node.tagName === 'a' && node.properties.dataFootnoteRef !== undefined;
}

function fragment(href: unknown): string | undefined {
  const value = typeof href === 'string' ? href : '';
  return value.startsWith('#') ? decodeURIComponent(value.slice(1)) : undefined;
}
