/**
 * The cover page Chromium draws when the front matter names no finished `cover`: made from the
 * front matter alone (title, subtitle, authors, publisher and `coverArt`), so the build draws
 * it while the Markdown is still being rendered.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import ejs from 'ejs';
import { fontFaceCss, fontFacesFor, fontResources } from '../fonts/faces.js';
import { languageOf } from '../languages/language.js';
import { COVER_SIZE, type Manuscript } from '../manuscript/load.js';
import type { Metadata } from '../manuscript/metadata.js';
import { TEMPLATES } from '../base/project-root.js';
import type { Resource } from '../base/resource.js';

/** The cover page Chromium draws and captures when the front matter names no finished `cover`. */
export interface CoverPage {
  html: string;
  resources: ReadonlyMap<string, Resource>;
  width: number;
  height: number;
}

/** The type of the image a drawn cover page is captured as. */
export const COVER_PAGE_MEDIA_TYPE = 'image/png';

/**
 * The cover page, from the front matter alone (title, subtitle, authors, publisher and
 * `coverArt`): the build draws it while the Markdown is still being rendered.
 */
export async function applyCoverTemplate(metadata: Metadata, assets: Pick<Manuscript, 'coverArt'>): Promise<CoverPage> {
  const authors = metadata.author ?? [];
  // The cover sets its subtitle in the body face's italic.
  const fontFaces = fontFacesFor([metadata.title, metadata.subtitle, metadata.publisher, ...authors].join('\n'), false, metadata.lang, {
    italic: Boolean(metadata.subtitle),
    bold: false,
  });
  const [template, fontFiles] = await Promise.all([readFile(path.join(TEMPLATES, 'cover.html.ejs'), 'utf8'), fontResources(fontFaces)]);
  const html = ejs.render(template, {
    metadata,
    authors,
    fonts: fontFaceCss(fontFaces),
    dir: languageOf(metadata.lang).dir,
    art: assets.coverArt?.key,
    titleSize: coverTitleSize(metadata.title),
    ...COVER_SIZE,
  });
  const art: [string, Resource][] = assets.coverArt ? [[assets.coverArt.key, assets.coverArt]] : [];
  return { html, resources: new Map([...fontFiles, ...art]), ...COVER_SIZE };
}

/** The cover title's size in px: as large as a title of that length can be set across the cover. */
function coverTitleSize(title: string): number {
  const longestWord = Math.max(...title.split(/\s+/).map((word) => word.length));
  const byLength = title.length <= 24 ? 200 : title.length <= 48 ? 170 : title.length <= 90 ? 130 : 100;
  // Its longest word must fit on a line: about 0.55 em a character in Source Sans 3 Bold, 1320 px wide.
  return Math.min(byLength, Math.floor(1320 / (0.55 * Math.max(longestWord, 1))));
}

