/**
 * A heading's text as a reader of a table of contents needs it: its words,
 * and the alt text of its images, since a heading such as a project's logo
 * says with its picture what it is called. White space folded. In a review copy, words
 * marked deleted (`<del>`, render/changes.ts) are no longer the heading's.
 */
import type { Element, ElementContent } from 'hast';

export function headingText(node: Element): string {
  const parts: string[] = [];
  const walk = (child: ElementContent) => {
    if (child.type === 'text') parts.push(child.value);
    else if (child.type === 'element') {
      if (child.tagName === 'img' && child.properties.alt) parts.push(` ${String(child.properties.alt)} `);
      else if (child.tagName !== 'del') child.children.forEach(walk);
    }
  };
  node.children.forEach(walk);
  return parts.join('').replace(/\s+/g, ' ').trim();
}
