/**
 * What epubcheck's schemas ask of an EPUB's XHTML and navigation, checked on
 * the files themselves so that a failure names the element: no phrasing
 * element holding a block, ids unique and never empty, and an NCX whose
 * entries each have a label and a target of their own.
 */
import { fromHtml } from 'hast-util-from-html';
import { phrasing } from 'hast-util-phrasing';
import { visit } from 'unist-util-visit';
import type { Element } from 'hast';
import type JSZip from 'jszip';

const PHRASING_ONLY = new Set(['p', 'a', 'b', 'i', 'em', 'strong', 'span', 'code', 'small', 's', 'u', 'sub', 'sup', 'mark', 'kbd', 'q', 'cite', 'abbr', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6']);

export interface XhtmlFaults {
  /** `file: <b> holds <table>` */
  blocksInPhrasing: string[];
  /** `file: #id` for each id used twice in one file, or empty. */
  badIds: string[];
}

export async function xhtmlFaults(zip: JSZip): Promise<XhtmlFaults> {
  const faults: XhtmlFaults = { blocksInPhrasing: [], badIds: [] };
  for (const name of Object.keys(zip.files).filter((file) => file.endsWith('.xhtml'))) {
    const tree = fromHtml(await zip.file(name)!.async('string'));
    const ids = new Set<string>();
    visit(tree, 'element', (node: Element) => {
      const id = node.properties.id;
      if (id !== undefined) {
        if (String(id) === '' || ids.has(String(id))) faults.badIds.push(`${name}: #${String(id)}`);
        ids.add(String(id));
      }
      if (!PHRASING_ONLY.has(node.tagName)) return;
      for (const child of node.children) {
        if (child.type === 'element' && !phrasing(child)) faults.blocksInPhrasing.push(`${name}: <${node.tagName}> holds <${child.tagName}>`);
      }
    });
  }
  return faults;
}

export interface NcxEntry {
  label: string;
  src: string;
  playOrder: number;
}

export async function ncxEntries(zip: JSZip): Promise<NcxEntry[]> {
  const ncx = await zip.file('OEBPS/toc.ncx')!.async('string');
  return [...ncx.matchAll(/<navPoint id="[^"]*" playOrder="(\d+)">\s*<navLabel><text>([^<]*)<\/text><\/navLabel>\s*<content src="([^"]*)"/g)].map(([, order, label, src]) => ({
    label: label!,
    src: src!,
    playOrder: Number(order),
  }));
}
