/**
 * Pack the EPUB 3 with epub-gen-memory, driven by our own package templates
 * (templates/epub/) so that the OPF carries full metadata, the nav is nested
 * and every document declares its language.
 */
import { pathToFileURL } from 'node:url';
import { EPub, type Options } from 'epub-gen-memory';
import type { Publication } from '../render/template.js';

export async function packEpub(publication: Publication): Promise<Uint8Array> {
  const { metadata, ebook } = publication;
  const options: Options & { publication: Record<string, unknown> } = {
    title: metadata.title,
    author: publication.authors,
    publisher: metadata.publisher ?? '',
    description: metadata.description ?? '',
    lang: metadata.lang,
    tocTitle: 'Contents',
    prependChapterTitles: false,
    numberChaptersInTOC: false,
    css: ebook.css,
    fonts: ebook.fonts.map((face) => ({ filename: face.fileName, url: pathToFileURL(face.path).href })),
    ...ebook.templates,
    // Read by our templates only.
    publication: {
      identifier: publication.identifier,
      subtitle: metadata.subtitle,
      authors: publication.authors,
      publisher: metadata.publisher,
      description: metadata.description,
      keywords: metadata.keywords ?? [],
      date: metadata.date,
      rights: metadata.rights,
      modified: publication.buildTime.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      toc: ebook.toc,
      titleId: ebook.titleId,
      titleHtml: ebook.titleHtml,
      byline: ebook.byline,
    },
  };
  const chapters = ebook.chapters.map((chapter) => ({ ...chapter, publication: options.publication }));
  const epub = new EPub(options, chapters);
  return epub.genEpub();
}
