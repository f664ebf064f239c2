/**
 * The Word file (`--format docx`), for the clinician who reviews a leaflet in the tool they
 * use: the rendered text, not the Markdown, made with the `docx` package.
 *
 * - The text's headings are Word's Heading 1–6 styles, so that Word's navigation pane and its
 *   table of contents find them: an article's title, its `#`, is Heading 1 and its sections `##`
 *   Heading 2; a book's title, from its front matter, is Word's Title over its `#` chapters; lists are Word lists (numbered ones restart);
 *   tables have a repeating header row; pictures carry their alt text; footnotes are Word
 *   footnotes; links are links (within the text, to a bookmark).
 * - A call-out box is a run of shaded paragraphs with a bar at the side, its title in bold
 *   ("Warning: When to get help"); the key points are one such box.
 * - The leaflet's contact lines and review block ("Published … · Last reviewed …") close it.
 * - The print's typefaces are named (Source Serif 4, Source Sans 3, Source Code Pro), each with
 *   the font Word has that is closest to it (`w:altName`: Georgia, Segoe UI, Consolas), used where
 *   they are not installed; the language is set on every run, so that Word checks the spelling
 *   in the right dictionary.
 * - A review copy's marks (render/changes.ts) are Word's own tracked changes (`w:ins`, `w:del`),
 *   which the reviewer accepts or rejects one by one; its notes come first.
 */
import {
  AlignmentType,
  BorderStyle,
  Bookmark,
  DeletedTextRun,
  Document,
  ExternalHyperlink,
  Footer,
  FootnoteReferenceRun,
  HeadingLevel,
  ImageRun,
  InsertedTextRun,
  InternalHyperlink,
  LevelFormat,
  LineRuleType,
  Packer,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
  type IParagraphOptions,
  type IRunOptions,
  type ParagraphChild,
} from 'docx';
import JSZip from 'jszip';
import { imageSize } from 'image-size';
import { toString } from 'hast-util-to-string';
import type { Element, ElementContent } from 'hast';
import { BODY_FAMILY, CODE_FAMILY, HEADING_FAMILY } from '../fonts/faces.js';
import type { Publication } from '../render/publication.js';

/** Word's own fonts nearest to the print's, named as their alternates. */
const WORD_ALTERNATES: Record<string, { altName: string; family: string; panose: string }> = {
  [BODY_FAMILY]: { altName: 'Georgia', family: 'roman', panose: '02040502050405020303' },
  [HEADING_FAMILY]: { altName: 'Segoe UI', family: 'swiss', panose: '020B0502040204020203' },
  [CODE_FAMILY]: { altName: 'Consolas', family: 'modern', panose: '020B0609020204030204' },
};

/** Call-out kinds' colours, as styles/leaflet.css has them: the bar and the shading. */
const CALLOUT_COLOURS: Record<string, { ink: string; fill: string }> = {
  note: { ink: '1F5F8B', fill: 'EEF4F8' },
  tip: { ink: '1E6B3A', fill: 'EEF6F0' },
  important: { ink: '5B3E96', fill: 'F3F0F9' },
  warning: { ink: '8A5A00', fill: 'FBF5E8' },
  caution: { ink: 'A01E1E', fill: 'FCEEEE' },
  keypoints: { ink: '1F6670', fill: 'EEF4F5' },
};

/** The widest a picture is set: the text's measure on A4 with 25 mm margins, at Word's 96 px to the inch. */
const MAX_IMAGE_WIDTH = 600;
const A4 = { width: 11906, height: 16838 };
const MARGIN = 1417;

/** Formatting carried down to a text run from the elements around it. */
interface Inline {
  bold?: boolean;
  italics?: boolean;
  code?: boolean;
  superScript?: boolean;
  subScript?: boolean;
  strike?: boolean;
  underline?: boolean;
  lang?: string;
  change?: 'ins' | 'del';
  link?: boolean;
}

/** A paragraph's place: in a list (at a level, numbered or not), a call-out, a quote. */
interface Context {
  /** The list item's first paragraph carries its bullet or number (`marked` then set); the others stand under it. */
  list?: { ordered: boolean; level: number; instance: number; item: { marked: boolean } };
  /** Formatting of every run of the block (a table's header cells are bold). */
  inline?: Inline;
  callout?: { ink: string; fill: string };
  quote?: boolean;
  /** A deleted or inserted block: its paragraph mark too is a tracked change. */
  block?: 'ins' | 'del';
}

export async function writeDocx(publication: Publication): Promise<Uint8Array> {
  return new WordWriter(publication).write();
}

class WordWriter {
  private readonly footnotes: Record<string, { children: Paragraph[] }> = {};
  /** Each note's content, by its id in the text: Word gives each citation a footnote of its own, so a note cited twice is two. */
  private readonly notes = new Map<string, Element>();
  private changeId = 0;
  /** Word wants each drawing's properties under an id of its own. */
  private pictureId = 0;
  private listInstance = 0;
  private readonly author: string;
  private readonly date: string;

  constructor(private readonly publication: Publication) {
    const { metadata, buildTime } = publication;
    this.author = metadata.owner ?? metadata.author?.join(', ') ?? metadata.publisher ?? 'massage-press';
    this.date = buildTime.toISOString().replace(/\.\d+Z$/, 'Z');
  }

  async write(): Promise<Uint8Array> {
    const { metadata, document, review } = this.publication;
    this.collectFootnotes(document.chapters.map((chapter) => chapter.tree));
    const body: (Paragraph | Table)[] = [];
    if (review) body.push(...this.reviewNotes(review.notes));
    const title = document.chapterLevel > 1 ? { heading: HeadingLevel.HEADING_1 } : { heading: HeadingLevel.TITLE };
    body.push(new Paragraph({ ...title, spacing: review ? { before: 360 } : undefined, children: [this.bookmark(document.title.id, this.runs(document.title.nodes, {}))] }));
    if (metadata.subtitle) body.push(new Paragraph({ style: 'Subtitle', children: [new TextRun(metadata.subtitle)] }));
    if (this.publication.byline) body.push(new Paragraph({ style: 'Byline', children: [new TextRun(this.publication.byline)] }));
    for (const { tree } of document.chapters) body.push(...this.blocks(tree.children, {}));
    body.push(...this.closing());
    const lang = metadata.lang;
    const doc = new Document({
      creator: this.publication.authors.join(', ') || undefined,
      title: metadata.title,
      description: metadata.description,
      keywords: metadata.keywords?.join(', '),
      lastModifiedBy: 'massage-press',
      features: review ? { trackRevisions: true } : undefined,
      styles: styles(lang, this.publication.language.dir === 'rtl'),
      numbering: {
        config: [
          { reference: 'bullets', levels: listLevels(false) },
          { reference: 'numbers', levels: listLevels(true) },
        ],
      },
      footnotes: this.footnotes,
      sections: [
        {
          properties: { page: { size: A4, margin: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN } } },
          footers: this.publication.ebook.leaflet.foot ? { default: new Footer({ children: [new Paragraph({ style: 'Footer', children: [new TextRun(this.publication.ebook.leaflet.foot)] })] }) } : undefined,
          children: body,
        },
      ],
    });
    return withFontTable(await Packer.toBuffer(doc));
  }

  /** Block content: paragraphs, lists, tables, call-outs, figures. */
  private blocks(nodes: readonly ElementContent[], context: Context): (Paragraph | Table)[] {
    const out: (Paragraph | Table)[] = [];
    let inline: ElementContent[] = [];
    const flush = () => {
      if (inline.some((node) => node.type !== 'text' || node.value.trim())) out.push(this.paragraph(inline, context));
      inline = [];
    };
    for (const node of nodes) {
      if (node.type === 'text' || (node.type === 'element' && isInline(node))) {
        inline.push(node);
        continue;
      }
      flush();
      if (node.type === 'element') out.push(...this.block(node, context));
    }
    flush();
    return out;
  }

  private block(node: Element, context: Context): (Paragraph | Table)[] {
    const classes = classList(node);
    const blockChange = classes.includes('change-deleted') ? 'del' : classes.includes('change-inserted') ? 'ins' : context.block;
    const inner: Context = { ...context, block: blockChange };
    if (node.properties.dataFootnotes !== undefined || node.properties.ariaHidden === 'true' || node.tagName === 'svg') return [];
    const rank = /^h([1-6])$/.exec(node.tagName)?.[1];
    if (rank) return [this.paragraph(node.children, inner, { heading: HEADING_LEVELS[Number(rank) - 1], keepNext: true }, String(node.properties.id ?? ''))];
    if (classes.includes('callout')) {
      const kind = classes.find((name) => name.startsWith('callout-') && name !== 'callout-title')?.slice('callout-'.length) ?? 'note';
      return this.blocks(node.children, { ...inner, callout: CALLOUT_COLOURS[kind] ?? CALLOUT_COLOURS.note! });
    }
    switch (node.tagName) {
      case 'p':
        return [this.paragraph(node.children, inner, classes.includes('callout-title') ? { keepNext: true } : {}, undefined, classes.includes('callout-title') ? { bold: true } : {})];
      case 'ul':
      case 'ol': {
        const level = context.list ? context.list.level + 1 : 0;
        const ordered = node.tagName === 'ol';
        const instance = ordered ? ++this.listInstance : 0;
        return node.children.flatMap((item) =>
          item.type === 'element' && item.tagName === 'li' ? this.listItem(item, { ...inner, list: { ordered, level, instance, item: { marked: false } } }) : [],
        );
      }
      case 'blockquote':
        return this.blocks(node.children, { ...inner, quote: true });
      case 'table':
        return [this.table(node, inner)];
      case 'figure':
        return this.blocks(node.children, inner);
      case 'figcaption':
        return [this.paragraph(node.children, inner, { style: 'Caption' })];
      case 'pre':
        return [this.paragraph(node.children, inner, { style: 'Code' }, undefined, { code: true })];
      case 'hr':
        return [new Paragraph({ border: { bottom: { style: BorderStyle.SINGLE, size: 6, color: 'B9CDD0', space: 1 } } })];
      case 'dt':
        return [this.paragraph(node.children, inner, { keepNext: true }, undefined, { bold: true })];
      case 'dd':
        return [this.paragraph(node.children, inner, { indent: { left: 567 } })];
      case 'summary':
        return [this.paragraph(node.children, inner, { keepNext: true }, undefined, { bold: true })];
      default:
        return this.blocks(node.children, inner);
    }
  }

  /** A list item: its first paragraph carries the bullet or number (a task's box is written ☐ or ☒, unbulleted). */
  private listItem(item: Element, context: Context): (Paragraph | Table)[] {
    const classes = classList(item);
    const change = classes.includes('change-deleted') ? 'del' : classes.includes('change-inserted') ? 'ins' : context.block;
    if (classes.includes('task-list-item')) context.list!.item.marked = true;
    return this.blocks(item.children, { ...context, block: change });
  }

  private paragraph(nodes: readonly ElementContent[], context: Context, options: Partial<IParagraphOptions> = {}, bookmark?: string, inline: Inline = {}): Paragraph {
    const runs = this.runs(nodes, { ...context.inline, ...inline });
    const { list, callout, quote, block } = context;
    const marker = list && !list.item.marked;
    if (list) list.item.marked = true;
    const listOptions: Partial<IParagraphOptions> = !list
      ? {}
      : !marker
        ? { indent: { left: 720 + list.level * 360 } }
        : list.ordered
          ? { numbering: { reference: 'numbers', level: list.level, instance: list.instance } }
          : { numbering: { reference: 'bullets', level: list.level } };
    const calloutOptions: Partial<IParagraphOptions> = callout
      ? {
          shading: { type: ShadingType.CLEAR, fill: callout.fill, color: 'auto' },
          border: { left: { style: BorderStyle.SINGLE, size: 24, color: callout.ink, space: 8 } },
          indent: { left: list ? 720 + list.level * 360 : 170, right: 170, ...(list ? { hanging: 360 } : {}) },
        }
      : {};
    const mark = block ? { [block === 'ins' ? 'insertion' : 'deletion']: this.change() } : {};
    return new Paragraph({
      ...(this.publication.language.dir === 'rtl' ? { bidirectional: true } : {}),
      ...listOptions,
      ...(quote && !callout ? { style: 'Quote' } : {}),
      ...calloutOptions,
      ...options,
      ...(block ? { run: mark } : {}),
      children: bookmark ? [this.bookmark(bookmark, runs)] : runs,
    });
  }

  private bookmark(id: string, children: ParagraphChild[]): ParagraphChild {
    return id ? new Bookmark({ id: bookmarkName(id), children }) : (children[0] ?? new TextRun(''));
  }

  private table(node: Element, context: Context): Table {
    const rows: TableRow[] = [];
    const visitRows = (parent: Element, header: boolean) => {
      for (const child of parent.children) {
        if (child.type !== 'element') continue;
        if (child.tagName === 'thead') visitRows(child, true);
        else if (child.tagName === 'tbody' || child.tagName === 'tfoot') visitRows(child, false);
        else if (child.tagName === 'tr') {
          const cells = child.children.filter((cell): cell is Element => cell.type === 'element' && (cell.tagName === 'td' || cell.tagName === 'th'));
          rows.push(
            new TableRow({
              tableHeader: header,
              cantSplit: true,
              children: cells.map(
                (cell) =>
                  new TableCell({
                    shading: cell.tagName === 'th' ? { type: ShadingType.CLEAR, fill: 'EEF4F5', color: 'auto' } : undefined,
                    children: atLeastOneParagraph(this.blocks(cell.children, cell.tagName === 'th' ? { ...context, inline: { bold: true } } : context)),
                  }),
              ),
            }),
          );
        }
      }
    };
    visitRows(node, false);
    return new Table({ rows, width: { size: 100, type: WidthType.PERCENTAGE } });
  }

  /** Inline content as runs, links and pictures, each text run with the formatting around it. */
  private runs(nodes: readonly ElementContent[], inline: Inline): ParagraphChild[] {
    const out: ParagraphChild[] = [];
    for (const node of nodes) {
      if (node.type === 'text') {
        const text = node.value.replace(/\s+/g, ' ');
        if (text) out.push(this.text(text, inline));
        continue;
      }
      if (node.type !== 'element' || node.tagName === 'svg' || node.properties.ariaHidden === 'true' || node.properties.dataFootnoteBackref !== undefined) continue;
      const lang = typeof node.properties.lang === 'string' ? node.properties.lang : inline.lang;
      const inner: Inline = { ...inline, lang };
      const formatting = INLINE_FORMATTING[node.tagName];
      if (formatting) {
        out.push(...this.runs(node.children, { ...inner, ...formatting }));
        continue;
      }
      switch (node.tagName) {
        case 'ins':
        case 'del':
          out.push(...this.runs(node.children, { ...inner, change: node.tagName }));
          break;
        case 'br':
          out.push(new TextRun({ break: 1 }));
          break;
        case 'img':
          out.push(...this.image(node, inline));
          break;
        case 'input':
          out.push(this.text(node.properties.checked ? '☒ ' : '☐ ', inline));
          break;
        case 'a':
          out.push(...this.link(node, inner));
          break;
        default:
          out.push(...this.runs(node.children, inner));
      }
    }
    return out;
  }

  private link(node: Element, inline: Inline): ParagraphChild[] {
    const href = String(node.properties.href ?? '');
    const note = node.properties.dataFootnoteRef !== undefined ? this.notes.get(href.replace(/^#/, '')) : undefined;
    if (note) {
      const id = Object.keys(this.footnotes).length + 1;
      const paragraphs = this.blocks(note.children, {}).filter((block): block is Paragraph => block instanceof Paragraph);
      this.footnotes[String(id)] = { children: paragraphs.length ? paragraphs : [new Paragraph(toString(note))] };
      return [new FootnoteReferenceRun(id)];
    }
    const children = this.runs(node.children, { ...inline, link: true });
    if (!href) return children;
    if (href.startsWith('#')) return [new InternalHyperlink({ anchor: bookmarkName(href.slice(1)), children })];
    return [new ExternalHyperlink({ link: href, children })];
  }

  private text(text: string, inline: Inline): ParagraphChild {
    const options: IRunOptions = {
      text,
      bold: inline.bold,
      italics: inline.italics,
      superScript: inline.superScript,
      subScript: inline.subScript,
      strike: inline.strike,
      ...(inline.underline ? { underline: {} } : {}),
      ...(inline.code ? { font: { ascii: CODE_FAMILY, hAnsi: CODE_FAMILY } } : {}),
      ...(inline.link ? { style: 'Hyperlink' } : {}),
      ...(inline.lang ? { language: { value: inline.lang } } : {}),
    };
    if (inline.change === 'ins') return new InsertedTextRun({ ...options, ...this.change() });
    if (inline.change === 'del') return new DeletedTextRun({ ...options, ...this.change() });
    return new TextRun(options);
  }

  /** A tracked change's id, author and date. */
  private change() {
    return { id: ++this.changeId, author: this.author, date: this.date };
  }

  private image(node: Element, inline: Inline): ParagraphChild[] {
    const src = String(node.properties.src ?? '');
    const alt = String(node.properties.alt ?? '');
    const resource = this.publication.print.resources.get(src);
    const type = resource && IMAGE_TYPES[resource.mediaType];
    if (!resource || !type) return alt ? [this.text(`[${alt}]`, inline)] : [];
    let size: { width?: number; height?: number } = {};
    try {
      size = imageSize(resource.bytes);
    } catch {
      return alt ? [this.text(`[${alt}]`, inline)] : [];
    }
    const width = Math.min(size.width ?? MAX_IMAGE_WIDTH, MAX_IMAGE_WIDTH);
    const height = Math.round(((size.height ?? width) * width) / (size.width ?? width));
    const altText = { id: String(++this.pictureId), name: alt.slice(0, 80) || `Picture ${this.pictureId}`, description: alt, title: alt };
    const change = inline.change ? { [inline.change === 'ins' ? 'insertion' : 'deletion']: this.change() } : {};
    if (type === 'svg') {
      // Word draws the SVG; a reader that cannot is shown the fallback, a blank of the same size.
      return [new ImageRun({ type: 'svg', data: resource.bytes, fallback: { type: 'png', data: BLANK_PNG }, transformation: { width, height }, altText, ...change })];
    }
    return [new ImageRun({ type, data: resource.bytes, transformation: { width, height }, altText, ...change })];
  }

  /** The notes, from the notes section the render put at the end of each chapter: each citation becomes a Word footnote. */
  private collectFootnotes(sections: Element[]): void {
    const visit = (node: Element) => {
      if (node.properties.dataFootnotes !== undefined) {
        for (const list of node.children) {
          if (list.type !== 'element' || list.tagName !== 'ol') continue;
          for (const item of list.children) {
            if (item.type === 'element' && item.tagName === 'li' && item.properties.id !== undefined) this.notes.set(String(item.properties.id), item);
          }
        }
        return;
      }
      for (const child of node.children) if (child.type === 'element') visit(child);
    };
    sections.forEach(visit);
  }

  /** The contact panel and the review block the print sets at the end. */
  private closing(): Paragraph[] {
    const { leaflet } = this.publication.ebook;
    const { metadata } = this.publication;
    const out: Paragraph[] = [];
    if (metadata.contact?.length) {
      out.push(new Paragraph({ style: 'ClosingTitle', children: [new TextRun(leaflet.labels.questions)] }));
      for (const line of metadata.contact) out.push(new Paragraph({ style: 'Closing', children: [new TextRun(line)] }));
    }
    const items = [...leaflet.review, ...leaflet.credits];
    if (items.length) {
      out.push(
        new Paragraph({
          style: 'Closing',
          border: { top: { style: BorderStyle.SINGLE, size: 6, color: 'B9CDD0', space: 4 } },
          children: items.flatMap((item, index) => [...(index ? [new TextRun(' · ')] : []), new TextRun({ text: `${item.label} `, bold: true }), new TextRun(item.text)]),
        }),
      );
    }
    return out;
  }

  /** A review copy's notes, first, in a box. */
  private reviewNotes(notes: NonNullable<Publication['review']>['notes']): Paragraph[] {
    const box = { shading: { type: ShadingType.CLEAR, fill: 'F7F3EC', color: 'auto' }, border: { left: { style: BorderStyle.SINGLE, size: 24, color: 'B45F06', space: 8 } } };
    const line = (children: ParagraphChild[]) => new Paragraph({ style: 'ReviewNotes', ...box, children });
    return [
      line([new TextRun({ text: `${notes.title}: `, bold: true }), new TextRun(notes.since)]),
      line([new TextRun(notes.wordLegend)]),
      line([new TextRun(notes.counts)]),
      ...(notes.frontMatterTitle ? [line([new TextRun(notes.frontMatterTitle)])] : []),
      ...notes.frontMatter.map(({ label, parts }) =>
        line([new TextRun({ text: `${label} — `, bold: true }), new TextRun(parts.map(({ word, values }) => `${word}: ${values.join('; ')}`).join('; '))]),
      ),
      ...notes.source.map((text) => line([new TextRun(text)])),
    ];
  }
}

/** What each inline element adds to the runs inside it. */
const INLINE_FORMATTING: Record<string, Inline> = {
  strong: { bold: true },
  b: { bold: true },
  em: { italics: true },
  i: { italics: true },
  cite: { italics: true },
  code: { code: true },
  kbd: { code: true },
  samp: { code: true },
  sup: { superScript: true },
  sub: { subScript: true },
  s: { strike: true },
  u: { underline: true },
};

const HEADING_LEVELS = [HeadingLevel.HEADING_1, HeadingLevel.HEADING_2, HeadingLevel.HEADING_3, HeadingLevel.HEADING_4, HeadingLevel.HEADING_5, HeadingLevel.HEADING_6];

const IMAGE_TYPES: Record<string, 'png' | 'jpg' | 'gif' | 'svg'> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/gif': 'gif', 'image/svg+xml': 'svg' };

/** A 1×1 white PNG. */
const BLANK_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4//8/AAX+Av4N70a4AAAAAElFTkSuQmCC', 'base64');

/** Inline content: text and phrasing elements (and pictures), which go into a paragraph. */
const INLINE = new Set(['a', 'abbr', 'b', 'bdi', 'bdo', 'br', 'cite', 'code', 'data', 'del', 'dfn', 'em', 'i', 'img', 'input', 'ins', 'kbd', 'mark', 'q', 's', 'samp', 'small', 'span', 'strong', 'sub', 'sup', 'time', 'u', 'var', 'wbr', 'svg']);
const isInline = (node: Element) => INLINE.has(node.tagName);

function classList(node: Element): string[] {
  const value = node.properties.className;
  return Array.isArray(value) ? value.map(String) : value ? String(value).split(/\s+/) : [];
}

/** A bookmark's name as Word takes it: a letter first, letters, digits and `_`, at most 40 characters. */
function bookmarkName(id: string): string {
  const name = id.replace(/[^A-Za-z0-9_]/g, '_');
  return (/^[A-Za-z]/.test(name) ? name : `_${name}`).slice(0, 40);
}

/** A table cell holds at least one paragraph: Word requires it. */
const atLeastOneParagraph = (blocks: (Paragraph | Table)[]) => (blocks.length ? blocks : [new Paragraph('')]);

function listLevels(ordered: boolean) {
  return Array.from({ length: 6 }, (_, level) => ({
    level,
    format: ordered ? LevelFormat.DECIMAL : LevelFormat.BULLET,
    text: ordered ? `%${level + 1}.` : ['•', '◦', '▪'][level % 3]!,
    alignment: AlignmentType.LEFT,
    style: { paragraph: { indent: { left: 720 + level * 360, hanging: 360 } } },
  }));
}

/** Word's styles for the text: the print's type, its sizes and colours, and the language for spelling. */
function styles(lang: string, rtl: boolean) {
  const font = (name: string) => ({ ascii: name, hAnsi: name });
  const heading = (id: string, name: string, size: number, before: number) => ({
    id,
    name,
    basedOn: 'Normal',
    next: 'Normal',
    quickFormat: true,
    run: { font: font(HEADING_FAMILY), size, bold: true, color: '1F6670' },
    paragraph: { spacing: { before, after: 120, line: 240, lineRule: LineRuleType.AUTO }, keepNext: true, keepLines: true },
  });
  return {
    default: {
      // The language of every run, for Word's spelling (and a right-to-left language's, for its direction).
      document: {
        run: { font: font(BODY_FAMILY), size: 24, language: { value: lang, ...(rtl ? { bidirectional: lang } : {}), ...(/^(zh|ja|ko)\b/i.test(lang) ? { eastAsia: lang } : {}) }, ...(rtl ? { rightToLeft: true } : {}) },
        paragraph: { spacing: { after: 160, line: 300, lineRule: LineRuleType.AUTO } },
      },
      heading1: heading('Heading1', 'Heading 1', 52, 0),
      heading2: heading('Heading2', 'Heading 2', 32, 360),
      heading3: heading('Heading3', 'Heading 3', 27, 240),
      heading4: heading('Heading4', 'Heading 4', 24, 240),
      hyperlink: { run: { color: '1F6670', underline: {} } },
    },
    paragraphStyles: [
      { id: 'Subtitle', name: 'Subtitle', basedOn: 'Normal', next: 'Normal', run: { font: font(HEADING_FAMILY), size: 28 } },
      { id: 'Byline', name: 'Byline', basedOn: 'Normal', next: 'Normal', run: { font: font(HEADING_FAMILY), size: 20, color: '56646B' } },
      { id: 'Quote', name: 'Quote', basedOn: 'Normal', next: 'Normal', paragraph: { indent: { left: 567 } }, run: { italics: true } },
      { id: 'Caption', name: 'Caption', basedOn: 'Normal', next: 'Normal', run: { size: 20, italics: true } },
      { id: 'Code', name: 'Code', basedOn: 'Normal', next: 'Normal', run: { font: font(CODE_FAMILY), size: 20 }, paragraph: { spacing: { line: 260, lineRule: LineRuleType.AUTO } } },
      { id: 'ClosingTitle', name: 'Closing title', basedOn: 'Normal', next: 'Normal', run: { font: font(HEADING_FAMILY), size: 28, bold: true, color: '1F6670' }, paragraph: { spacing: { before: 360 } } },
      { id: 'Closing', name: 'Closing', basedOn: 'Normal', next: 'Normal', run: { font: font(HEADING_FAMILY), size: 21 }, paragraph: { spacing: { after: 60 } } },
      { id: 'ReviewNotes', name: 'Review notes', basedOn: 'Normal', next: 'Normal', run: { font: font(HEADING_FAMILY), size: 20 }, paragraph: { spacing: { after: 0 } } },
      { id: 'Footer', name: 'footer', basedOn: 'Normal', run: { font: font(HEADING_FAMILY), size: 17, color: '56646B' } },
    ],
  };
}

/**
 * The docx package writes a font table only of the fonts it embeds: the print's typefaces are
 * added to it, each with the font Word has that stands in for it where it is not installed.
 */
async function withFontTable(bytes: Uint8Array | Buffer): Promise<Uint8Array> {
  const zip = await JSZip.loadAsync(bytes);
  const fonts = Object.entries(WORD_ALTERNATES)
    .map(([name, { altName, family, panose }]) => `<w:font w:name="${name}"><w:altName w:val="${altName}"/><w:panose1 w:val="${panose}"/><w:charset w:val="00"/><w:family w:val="${family}"/><w:pitch w:val="${family === 'modern' ? 'fixed' : 'variable'}"/></w:font>`)
    .join('');
  const written = await zip.file('word/fontTable.xml')?.async('string');
  if (written) {
    zip.file('word/fontTable.xml', written.replace(/<w:fonts([^>]*)\/>/, '<w:fonts$1></w:fonts>').replace('</w:fonts>', `${fonts}</w:fonts>`));
    return new Uint8Array(await zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' }));
  }
  zip.file('word/fontTable.xml', `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">${fonts}</w:fonts>`);
  const rels = await zip.file('word/_rels/document.xml.rels')!.async('string');
  zip.file(
    'word/_rels/document.xml.rels',
    rels.replace('</Relationships>', '<Relationship Id="rIdFontTable" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable" Target="fontTable.xml"/></Relationships>'),
  );
  const types = await zip.file('[Content_Types].xml')!.async('string');
  zip.file(
    '[Content_Types].xml',
    types.replace('</Types>', '<Override PartName="/word/fontTable.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"/></Types>'),
  );
  return new Uint8Array(await zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' }));
}
