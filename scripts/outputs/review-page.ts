/**
 * A review copy's HTML page (`<slug>-review.html`): the text with every change marked, as the
 * PDF has it, for a reviewer who reads on screen or with a screen reader. It is one
 * self-contained file (its fonts and pictures inline, as data: URLs) that can be mailed as it is.
 *
 * The marks are `<ins>` and `<del>`, whose roles (insertion, deletion) assistive technology
 * knows; since most screen readers do not say them, each mark also begins and ends with words
 * ("inserted:", "end of insertion") that are heard and not seen.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import ejs from 'ejs';
import { toHtml } from 'hast-util-to-html';
import { visit } from 'unist-util-visit';
import { STYLES, TEMPLATES } from '../base/project-root.js';
import type { OutputFile } from '../base/write-outputs.js';
import type { Publication } from '../render/publication.js';
import { withRelativeResourceUrls, type Resource } from '../base/resource.js';

export async function renderReviewPage(publication: Publication, name: string): Promise<OutputFile> {
  const { metadata, document, print, language } = publication;
  const labels = language.messages.review;
  const [template, ...sheets] = await Promise.all([
    readFile(path.join(TEMPLATES, 'review.html.ejs'), 'utf8'),
    ...['base.css', 'ebook.css', 'leaflet.css', 'review.css'].map((sheet) => readFile(path.join(STYLES, sheet), 'utf8')),
  ]);
  const dataUrl = (key: string) => {
    const resource: Resource | undefined = print.resources.get(key);
    return resource ? `data:${resource.mediaType};base64,${Buffer.from(resource.bytes).toString('base64')}` : key;
  };
  const fonts = withRelativeResourceUrls(print.fontCss).replace(/url\("([^"]+)"\)/g, (_, key: string) => `url("${dataUrl(key)}")`);
  const chapters = document.chapters.map(({ tree }) => {
    const copy = structuredClone(tree);
    visit(copy, 'element', (node) => {
      if (node.tagName === 'img' && typeof node.properties.src === 'string') node.properties.src = dataUrl(node.properties.src);
    });
    return toHtml(copy);
  });
  const css = [fonts, ...sheets, screenCss(labels)].join('\n');
  const html = ejs.render(template, {
    metadata,
    dir: language.dir,
    labels,
    title: document.title,
    reviewBox: publication.review?.boxHtml ?? '',
    chapters,
    leaflet: publication.ebook.leaflet,
    css,
  });
  return { name, bytes: Buffer.from(html) };
}

/** The page on a screen: one readable column, and the words a screen reader says around each mark. */
function screenCss(labels: Publication['language']['messages']['review']): string {
  const cssString = (text: string) => JSON.stringify(text);
  const unseen = 'position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap;';
  return `
body { max-width: 40em; margin: 0 auto; padding: 0 1.25em 3em; }
main, .review-page-footer { position: relative; }
.change-bar::before { left: -0.9em; width: 0.3em; }
li.change-bar::before { left: calc(-0.9em - var(--list-indent)); }
table.change-bar :is(th, td):first-child::before { left: -0.9em; width: 0.3em; }
ins::before { content: ${cssString(`${labels.inserted} `)}; ${unseen} }
ins::after { content: ${cssString(` ${labels.endInserted}`)}; ${unseen} }
del::before { content: ${cssString(`${labels.deleted} `)}; ${unseen} }
del::after { content: ${cssString(` ${labels.endDeleted}`)}; ${unseen} }
.review-page-footer { margin-top: 2em; padding-top: 1em; border-top: 1px solid #b9cdd0; font-size: 0.9em; }
`;
}
