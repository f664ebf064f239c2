/**
 * Pack the EPUB 3 with epub-gen-memory, driven by our own package templates
 * (templates/epub/) so that the OPF carries full metadata (accessibility
 * included), the nav is nested with landmarks and every document declares
 * its language.
 *
 * epub-gen-memory 1.1.2 packs the files; `PressEpub` below, a small subclass,
 * takes over six things it cannot do the way an accessible, reproducible
 * EPUB needs, or as fast as a build should:
 *
 * 1. Chapter XHTML. The library re-serializes every chapter through an attribute
 *    allow-list (util/constants.js) that drops `checked` (task lists), `start`
 *    and `value` (lists, notes), `scope`, `open`, `width`/`height` and more, and
 *    turns a decorative image's `alt=""` into `alt="image-placeholder"`. The
 *    library's constructor is given empty chapters, and each chapter's content
 *    is then set to our own XHTML (render/xhtml.ts), serialized from the same
 *    hast, which also spares parsing and re-serializing every chapter.
 * 2. Images. The library renames every `<img>` to `images/<random uuid>` and
 *    fetches it by URL. Our chapters already point at stable names
 *    (render/ebook.ts), and the bytes are the assets the build read once: the
 *    library's image list is emptied and `downloadAllImages` packs ours.
 * 3. The cover. The library fetches a cover by URL; `makeCover` packs the image
 *    we drew or read, as `cover.<extension>` (the name the library would use).
 *    It is the zip's last entry and may still be being drawn: JSZip takes a
 *    promise and waits for it only when it comes to the entry, so the rest of
 *    the book is compressed meanwhile.
 * 4. Dates. JSZip stamps every entry with the current time: `render` ends by
 *    stamping them all with the build time instead (SOURCE_DATE_EPOCH), so two
 *    builds of the same manuscript are byte-identical.
 * 5. Compression. JSZip deflates in JavaScript (pako), on the main thread, taking time
 *    from Chromium as it prints the PDF beside it.
 *    `generateAsync` deflates each entry with Node's zlib, at the level the
 *    library asks for, off the main thread, and hands JSZip the deflated bytes,
 *    which it writes as they are (the way it keeps the entries of a zip it read).
 * 6. Page breaks. The chapters, package and navigation wait, as the cover may,
 *    for the pages of the printed edition, which Chromium may still be printing
 *    (see `generateTemplateFiles`).
 *
 * And one thing it does not do: `downloadAllFonts` packs the script fonts cut
 * down to the characters the ebook shows (fonts/subset.ts), the rest as they are.
 */
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { crc32, deflateRaw } from 'node:zlib';
import { EPub, type Chapter, type Options } from 'epub-gen-memory';
import type JSZip from 'jszip';
import CompressedObject from 'jszip/lib/compressedObject.js';
import { DEFLATE } from 'jszip/lib/compressions.js';
import ejs from 'ejs';
import pLimit from 'p-limit';
import { pagination, type EbookImage, type Pagination } from '../render/ebook.js';
import type { Accessibility } from '../render/epub-accessibility.js';
import type { Publication } from '../render/publication.js';
import { isolatedHtml } from '../render/plugins/rehype-isolate-bidi.js';
import type { CoverImage } from './cover.js';
import type { PrintPages } from '../render/page-blocks.js';
import { ebookFontBytes } from '../fonts/subset.js';
import type { FontFace } from '../fonts/coverage.js';

/**
 * Pack the EPUB with its cover image (outputs/cover.ts draws or reads it, perhaps while this packs),
 * and with the page-break markers and page list of a printed edition, perhaps still printing.
 */
export async function packEpub(
  publication: Publication,
  cover: CoverImage | Promise<CoverImage>,
  printPages?: PrintPages | Promise<PrintPages | undefined>,
): Promise<Uint8Array> {
  const { metadata, ebook } = publication;
  const options: Options & { publication: Record<string, unknown> } = {
    title: metadata.title,
    author: publication.authors,
    publisher: metadata.publisher ?? '',
    description: metadata.description ?? '',
    lang: metadata.lang,
    tocTitle: publication.language.messages.texts.contents,
    prependChapterTitles: false,
    numberChaptersInTOC: false,
    css: ebook.css,
    // A name only: it tells the library the cover's type; the subclass's `makeCover` packs the bytes.
    cover: ebook.cover.href,
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
      date: metadata.date ?? metadata.published,
      rights: metadata.rights,
      modified: publication.buildTime.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      toc: ebook.toc,
      landmarks: ebook.landmarks,
      // Until the pages are known (PressEpub's `generateTemplateFiles`).
      pageList: [],
      images: ebook.images,
      cover: ebook.cover,
      accessibility: ebook.accessibility(),
      titleId: ebook.titleId,
      titleHtml: ebook.titleHtml,
      byline: ebook.byline,
      imprint: ebook.imprint,
      dir: ebook.dir,
      texts: publication.language.messages.texts,
      isolate: (text: string) => isolatedHtml(text, ebook.dir),
      leaflet: ebook.leaflet,
      leafletMetadata: metadata,
    },
  };
  const chapters = ebook.chapters.map((chapter) => ({ ...chapter, publication: options.publication }));
  const paginated = Promise.resolve(printPages).then((pages): PressPagination => {
    const { paginate, pageList } = pagination(ebook, pages);
    return { paginate, pageList, accessibility: ebook.accessibility(pageList.length ? pages?.source : undefined) };
  });
  // Awaited once the chapters are packed, after the cover: a print that failed meanwhile must not end the
  // process first as an unhandled rejection. Its failure is thrown below, with the zip made.
  paginated.catch(() => undefined);
  const epub = new PressEpub(options, chapters, {
    images: ebook.images,
    cover: Promise.resolve(cover),
    date: publication.buildTime,
    fonts: ebook.fonts,
    fontText: ebook.fontText,
    paginated,
  });
  const bytes = await epub.genEpub();
  await paginated;
  return bytes;
}

interface PressParts {
  images: readonly EbookImage[];
  cover: Promise<CoverImage>;
  /** The time every zip entry records. */
  date: Date;
  fonts: readonly FontFace[];
  /** Every character the ebook shows: its script fonts are cut down to these (font-subset.ts). */
  fontText: string;
  /** The page breaks, once the printed edition they come from is done. */
  paginated: Promise<PressPagination>;
}

interface PressPagination extends Pagination {
  accessibility: Accessibility;
}

/** epub-gen-memory's EPub with the six adjustments described at the top of this file. */
class PressEpub extends EPub {
  private readonly parts: PressParts;

  constructor(options: Options, chapters: readonly (Chapter & { content: string })[], parts: PressParts) {
    super(options, chapters.map((chapter) => ({ ...chapter, content: '' })));
    this.parts = parts;
    // 1. Our XHTML, not the library's allow-listed re-serialization of it.
    this.content.forEach((chapter, index) => {
      chapter.content = chapters[index]!.content;
    });
    // 2. No images for the library to fetch: downloadAllImages packs ours.
    this.images = [];
  }

  protected override async downloadAllImages(): Promise<void> {
    const oebps = this.zip.folder('OEBPS')!;
    for (const image of this.parts.images) oebps.file(image.href, image.bytes);
  }

  /**
   * 6. Page breaks. The chapters are written with a slot before each block, the package and the
   * navigation without a page list; each becomes a promise, which JSZip waits for only when it comes
   * to the entry, of the same file once the printed pages are known: the chapters with a marker where
   * each page begins, the package and navigation documents rendered again, as the library renders
   * them, with the page list. So the rest of the book is packed while Chromium prints.
   */
  protected override async generateTemplateFiles(): Promise<void> {
    await super.generateTemplateFiles();
    const oebps = this.zip.folder('OEBPS')!;
    const { paginated } = this.parts;
    const later = (name: string, content: Promise<string>) => {
      // As bytes: JSZip would take a promised string for a binary one. JSZip chains its own promise on the one
      // it is given and waits for that only when it comes to the entry: a failed print (the page list's source)
      // rejected it first, unhandled, and ended the process before the build could report the failure. So JSZip
      // is given an entry that cannot fail, and packEpub throws the print's failure once the zip is made.
      oebps.file(
        name,
        content.then(
          (text) => Buffer.from(text, 'utf8'),
          () => Buffer.alloc(0),
        ),
      );
    };
    for (const chapter of this.content) {
      const drafted = await oebps.file(chapter.filename)!.async('string');
      later(chapter.filename, paginated.then(({ paginate }) => paginate(drafted)));
    }
    const { publication } = this.options as unknown as { publication: object };
    const listed = paginated.then(({ pageList, accessibility }) => ({
      ...this.options,
      id: this.uuid,
      images: this.images,
      cover: this.cover,
      content: this.content,
      publication: { ...publication, pageList, accessibility },
    }));
    later('content.opf', listed.then((options) => ejs.render(this.options.contentOPF, options)));
    later('toc.xhtml', listed.then((options) => ejs.render(this.options.tocXHTML, options)));
  }

  /** The font files, the script faces cut down to the characters the ebook shows. */
  protected override async downloadAllFonts(): Promise<void> {
    const folder = this.zip.folder('OEBPS')!.folder('fonts')!;
    for (const face of this.parts.fonts) folder.file(face.fileName, ebookFontBytes(face, this.parts.fontText));
  }

  protected override async makeCover(): Promise<void> {
    this.zip.folder('OEBPS')!.file(`cover.${this.cover!.extension}`, this.parts.cover.then((cover) => cover.bytes));
  }

  /** Every file is in the zip once the library has rendered: then each entry gets the build time. */
  override async render(): Promise<this> {
    await super.render();
    // Zip dates start in 1980: an earlier SOURCE_DATE_EPOCH is written as its first moment.
    const date = new Date(Math.max(this.parts.date.getTime(), Date.UTC(1980, 0, 1)));
    this.zip.forEach((_, entry) => {
      entry.date = date;
    });
    return this;
  }

  /** 5. Every entry the library would have JSZip deflate is deflated by zlib first; the cover (last, perhaps still drawing) too. */
  override async generateAsync<T extends JSZip.OutputType>(options: JSZip.JSZipGeneratorOptions<T>) {
    await deflateEntries(this.zip, options);
    return super.generateAsync(options);
  }
}

/** Replaces each entry JSZip would deflate with its bytes deflated by zlib, at the same level. */
async function deflateEntries(zip: JSZip, options: JSZip.JSZipGeneratorOptions<JSZip.OutputType>): Promise<void> {
  const entries: JSZip.JSZipObject[] = [];
  zip.forEach((_, entry) => {
    if (!entry.dir && (entry.options.compression ?? options.compression) === 'DEFLATE') entries.push(entry);
  });
  // A few at a time: each deflate holds zlib's native state from its call to its end, and a long book's thousands
  // of chapters, deflated at once, held gigabytes of it (docs/performance.md).
  const inFlight = pLimit(DEFLATES_IN_FLIGHT);
  await Promise.all(
    entries.map((entry) =>
      inFlight(async () => {
        const bytes = await entry.async('uint8array');
        const deflated = await deflate(bytes, { level: options.compressionOptions?.level });
        const compressed = new CompressedObject(deflated.length, bytes.length, crc32(bytes), DEFLATE, deflated);
        // JSZip writes a CompressedObject's bytes as they are when its compression is the one asked for.
        zip.file(entry.name, compressed as unknown as Uint8Array, { binary: true, date: entry.date, compression: 'DEFLATE' });
      }),
    ),
  );
}

/** libuv's thread pool has four threads by default: more deflates at once only wait, holding their memory. */
const DEFLATES_IN_FLIGHT = 4;

const deflate = promisify(deflateRaw);
