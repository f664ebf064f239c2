/**
 * A tri-fold leaflet's front panel carries the masthead and the key points; its inside carries the text.
 * The key points open the text everywhere else (render/leaflet-sections.ts), so for a tri-fold the print
 * body is made again without them, and they are given to the template on their own. Paged CSS can set
 * the rest of the text in panels but cannot move a box out of it onto another page.
 */
import { toHtml } from 'hast-util-to-html';
import type { Element, Root } from 'hast';

export interface FrontPanelSplit {
  /** The key points box, as it prints; empty when the leaflet has none. */
  keyPoints: string;
  /** The body without it. */
  html: string;
}

/** `tree` (a print body, left as it is) as the key points and the rest. */
export function splitFrontPanel(tree: Root): FrontPanelSplit {
  const copy = structuredClone(tree);
  let keyPoints: Element | undefined;
  const walk = (parent: Root | Element): boolean =>
    parent.children.some((child, index) => {
      if (child.type !== 'element') return false;
      if (Array.isArray(child.properties.className) && child.properties.className.includes('callout-keypoints')) {
        keyPoints = child;
        parent.children.splice(index, 1);
        return true;
      }
      return walk(child);
    });
  walk(copy);
  return { keyPoints: keyPoints ? toHtml(keyPoints) : '', html: toHtml(copy) };
}
