/**
 * rehype plugin: the list under a "References" heading is the leaflet's
 * sources, set as a numbered list (the NHS standard asks that the evidence
 * behind a leaflet be given), however the writer bulleted it. Numbers let a
 * reader, or a clinician on the phone, point to one source.
 */
import { headingRank } from 'hast-util-heading-rank';
import { toString } from 'hast-util-to-string';
import type { Element, Root } from 'hast';
import { leafletLabels } from '../../languages/fixed-texts.js';

export default function rehypeReferences(options: { lang: string }) {
  const title = leafletLabels(options.lang).references.toLowerCase();
  return (tree: Root) => {
    const blocks = tree.children.filter((node): node is Element => node.type === 'element');
    blocks.forEach((node, index) => {
      if (!headingRank(node) || toString(node).trim().toLowerCase() !== title) return;
      const list = blocks[index + 1];
      if (!list || (list.tagName !== 'ul' && list.tagName !== 'ol')) return;
      list.tagName = 'ol';
      list.properties.className = [...[list.properties.className ?? []].flat().map(String), 'references'];
    });
  };
}
