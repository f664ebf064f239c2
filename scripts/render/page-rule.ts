/**
 * The print page's `@page` size and margins, from the edition (scripts/base/editions.ts): the template
 * sets them, and a print for the press or fitted to a number of pages sets them again, later in the page.
 * (Chromium reads no custom property in an `@page` rule: each is written out in millimetres.)
 */
import type { Edition, Margins } from '../base/editions.js';

export interface PageOptions {
  /** The margins, when not the edition's own (a fitted print's). */
  margins?: Margins;
  /** Millimetres of bleed round the page (a press file): the page grows by it, and so do the margins. */
  bleed?: number;
}

export function pageRule(edition: Edition, { margins = edition.margins, bleed = 0 }: PageOptions = {}): string {
  const mm = (value: number) => `${Number(value.toFixed(3))}mm`;
  // A page with no margin (a tri-fold's) sets its own space, and its backgrounds run into the bleed.
  const margin = (value: number) => mm(value > 0 ? value + bleed : 0);
  // A tri-fold's panels, left to right on the outside (styles/editions/trifold.css).
  const panels = edition.fold?.kind === 'trifold' ? edition.fold.panels.map((width, index) => ` --panel-${index + 1}: ${mm(width)};`).join('') : '';
  return (
    `@page { size: ${mm(edition.page.width + 2 * bleed)} ${mm(edition.page.height + 2 * bleed)}; ` +
    `margin: ${margin(margins.top)} ${margin(margins.right)} ${margin(margins.bottom)} ${margin(margins.left)}; }\n` +
    `:root { --bleed: ${mm(bleed)};${panels} }\n`
  );
}

/** `html` with `css` last in its head: it wins over every sheet before it. */
export const withStyle = (html: string, css: string): string => html.replace('</head>', `<style>\n${css}</style>\n</head>`);
