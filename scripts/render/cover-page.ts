/**
 * The cover the build draws when the front matter names no finished `cover`: an SVG made from the front matter
 * alone (title, subtitle, authors, publisher and `coverArt`), so the build draws it while the Markdown is still
 * being rendered. outputs/cover.ts rasterises it, without the browser.
 *
 * The design is the handout's: the teal ground, the cover art over the top 46 % (cropped to fill it, as CSS
 * `object-fit: cover`), a gold rule under it, the publisher in spaced capitals, the title in Source Sans 3 Bold
 * in lines of even length (as CSS `text-wrap: balance`), the subtitle in Source Serif 4 italic and the authors at
 * the foot. Without art the title stands in the middle of the page under a gold bar. The boxes are those of a
 * CSS page of that design (padding 150/140/130 px, the margins and line heights below), so that a cover reads as
 * the same whatever draws it.
 *
 * The text is shaped and broken by fonts/text-setting.ts in the publication's own faces (the script faces of its
 * language beside Source) and drawn as glyph outlines: the SVG needs no font to be drawn. A right-to-left language
 * sets its lines from the right.
 */
import { fontFacesFor, BODY_FAMILY, HEADING_FAMILY } from '../fonts/faces.js';
import { shapeText, type PlacedGlyph, type ShapedText, type TextStyle } from '../fonts/text-setting.js';
import { languageOf } from '../languages/language.js';
import { COVER_SIZE, type Manuscript } from '../manuscript/load.js';
import type { Metadata } from '../manuscript/metadata.js';

/** The cover as an SVG of COVER_SIZE, whose text is outlines. */
export interface CoverPage {
  svg: string;
  width: number;
  height: number;
}

/** The type of the image a drawn cover is rasterised as. */
export const COVER_PAGE_MEDIA_TYPE = 'image/png';

const GROUND = '#1f6670';
const ART_GROUND = '#163f45';
const GOLD = '#e8b04a';
/** The art's share of the cover's height. */
const ART_SHARE = 0.46;
const RULE = 24;
const PADDING = { top: 150, side: 140, bottom: 130, topWithoutArt: 180 };
/** The gold bar over a title without art: its size, the space under it, and the space under the heading. */
const BAR = { width: 260, below: 110, headingBelow: 120 };

interface Part {
  style: TextStyle;
  size: number;
  /** In em; `normal`: the font's own. */
  lineHeight: number | 'normal';
  colour: string;
}

const PUBLISHER: Part = { style: { family: HEADING_FAMILY, weight: 600, style: 'normal', letterSpacing: 0.14 }, size: 46, lineHeight: 'normal', colour: '#cfe3e6' };
const TITLE: Omit<Part, 'size'> = { style: { family: HEADING_FAMILY, weight: 700, style: 'normal', letterSpacing: -0.01 }, lineHeight: 1.05, colour: '#ffffff' };
const SUBTITLE: Part = { style: { family: BODY_FAMILY, weight: 400, style: 'italic' }, size: 64, lineHeight: 1.25, colour: '#e6f0f1' };
const AUTHORS: Part = { style: { family: HEADING_FAMILY, weight: 600, style: 'normal' }, size: 56, lineHeight: 1.25, colour: '#ffffff' };
const SPACE = { publisherBelow: 90, subtitleAbove: 60, authorsAbove: 60 };
/**
 * Nastaliq's words climb far above and below the em: its lines get the room styles/scripts/nastaliq.css gives
 * them (a masthead's title 1.9, other lines 2.2), or the title runs into the bar and its lines into each other.
 */
const NASTALIQ_LINE_HEIGHTS = { title: 1.9, other: 2.2 };

/** The cover's SVG, from the front matter alone. */
export async function coverPage(metadata: Metadata, assets: Pick<Manuscript, 'coverArt'>): Promise<CoverPage> {
  const { width, height } = COVER_SIZE;
  const lang = metadata.lang;
  const dir = languageOf(lang).dir;
  const authors = (metadata.author ?? []).join(', ');
  const left = PADDING.side;
  const right = width - PADDING.side;
  const measure = right - left;
  const shape = (text: string | undefined, part: Pick<Part, 'style'>) => (text ? shapeText(text, faces, part.style, lang, dir) : undefined);
  // The publisher in capitals: the faces are chosen for them (a Turkish İ is in another subset than i).
  const publisherText = metadata.publisher?.toLocaleUpperCase(lang);
  // The cover sets its subtitle in the body face's italic.
  const faces = fontFacesFor([metadata.title, metadata.subtitle, publisherText, authors].join('\n'), false, lang, { italic: Boolean(metadata.subtitle), bold: false });
  const nastaliq = languageOf(lang).nastaliq;
  const inScript = (part: Part, title = false): Part =>
    nastaliq ? { ...part, lineHeight: title ? NASTALIQ_LINE_HEIGHTS.title : NASTALIQ_LINE_HEIGHTS.other } : part;
  const [publisher, title, subtitle, byline] = await Promise.all([
    shape(publisherText, PUBLISHER),
    shapeText(metadata.title, faces, TITLE.style, lang, dir),
    shape(metadata.subtitle, SUBTITLE),
    shape(authors, AUTHORS),
  ]);
  const titlePart = inScript({ ...TITLE, size: coverTitleSize(metadata.title, title, measure) }, true);

  const art = assets.coverArt;
  // Boxes on whole pixels, as a browser snaps them: their edges crisp.
  const artHeight = art ? Math.round(height * ART_SHARE) : 0;
  const top = art ? artHeight + RULE + PADDING.top : PADDING.topWithoutArt;
  const bottom = height - PADDING.bottom;
  const block = (shaped: ShapedText | undefined, part: Part, balance = false) => (shaped ? new Block(shaped, part, measure, balance) : undefined);
  const publisherBlock = block(publisher, inScript(PUBLISHER));
  const titleBlock = block(title, titlePart, true)!;
  const subtitleBlock = block(subtitle, inScript(SUBTITLE));
  const authorsBlock = block(byline, inScript(AUTHORS));

  const headingTop0 = top + (publisherBlock ? publisherBlock.height + SPACE.publisherBelow : 0);
  const bar = art ? 0 : RULE + BAR.below;
  const headingHeight = bar + titleBlock.height + (subtitleBlock ? SPACE.subtitleAbove + subtitleBlock.height : 0) + (art ? 0 : BAR.headingBelow);
  const authorsHeight = authorsBlock ? SPACE.authorsAbove + authorsBlock.height : 0;
  // Without art the heading takes the free space above and below it (CSS `margin: auto 0`); with art the authors take it above them.
  const headingTop = Math.round(art ? headingTop0 : headingTop0 + Math.max(0, bottom - authorsHeight - headingTop0 - headingHeight) / 2);
  const authorsTop = Math.max(bottom - authorsHeight, headingTop + headingHeight) + (authorsBlock ? SPACE.authorsAbove : 0);

  const outlines = new Outlines();
  const body = [
    `<rect width="${width}" height="${height}" fill="${GROUND}"/>`,
    art ? `<rect width="${width}" height="${num(artHeight)}" fill="${ART_GROUND}"/>` : '',
    art
      ? `<image width="${width}" height="${num(artHeight)}" preserveAspectRatio="xMidYMid slice" xlink:href="data:${art.mediaType};base64,${Buffer.from(art.bytes).toString('base64')}"/>`
      : '',
    art ? `<rect y="${num(artHeight)}" width="${width}" height="${RULE}" fill="${GOLD}"/>` : '',
    art ? '' : `<rect x="${dir === 'rtl' ? right - BAR.width : left}" y="${num(headingTop)}" width="${BAR.width}" height="${RULE}" fill="${GOLD}"/>`,
    publisherBlock?.draw(top, left, right, dir, outlines) ?? '',
    titleBlock.draw(headingTop + bar, left, right, dir, outlines),
    subtitleBlock?.draw(headingTop + bar + titleBlock.height + SPACE.subtitleAbove, left, right, dir, outlines) ?? '',
    authorsBlock?.draw(authorsTop, left, right, dir, outlines) ?? '',
  ].join('');
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">` +
    `<defs>${outlines.defs}</defs>${body}</svg>`;
  return { svg, width, height };
}

/** A paragraph of the cover set in its measure: its lines and height, and their glyphs drawn from a top. */
class Block {
  readonly lines;
  readonly height: number;
  private readonly lineHeight: number;

  constructor(
    private readonly shaped: ShapedText,
    private readonly part: Part,
    measure: number,
    balance: boolean,
  ) {
    this.lines = shaped.lines(part.size, measure, balance);
    this.lineHeight = part.lineHeight === 'normal' ? shaped.normalLineHeight : part.lineHeight;
    this.height = this.lines.length * this.lineHeight * part.size;
  }

  draw(top: number, left: number, right: number, dir: 'ltr' | 'rtl', outlines: Outlines): string {
    const glyphs = this.shaped.place(this.lines, { size: this.part.size, lineHeight: this.lineHeight, top, left, right, dir });
    return `<g fill="${this.part.colour}">${glyphs.map((glyph) => outlines.use(glyph)).join('')}</g>`;
  }
}

/** Each glyph's outline once, in `<defs>`, used wherever the glyph is drawn. */
class Outlines {
  private readonly ids = new Map<string, string | undefined>();
  private readonly paths: string[] = [];

  use(glyph: PlacedGlyph): string {
    if (!this.ids.has(glyph.key)) {
      const outline = glyph.outline();
      const id = outline ? `g${this.paths.length}` : undefined;
      if (id) this.paths.push(`<path id="${id}" d="${outline}"/>`);
      this.ids.set(glyph.key, id);
    }
    const id = this.ids.get(glyph.key);
    // Font units are y up; the page is y down.
    return id ? `<use xlink:href="#${id}" transform="matrix(${num(glyph.scale, 5)} 0 0 ${num(-glyph.scale, 5)} ${num(glyph.x)} ${num(glyph.baseline)})"/>` : '';
  }

  get defs(): string {
    return this.paths.join('');
  }
}

const num = (value: number, digits = 2) => String(Number(value.toFixed(digits)));

/**
 * The title's size in px: as large as a title of that length can be set across the cover, and small enough for its
 * widest word (as shaped) to fit on a line.
 */
function coverTitleSize(title: string, shaped: ShapedText, measure: number): number {
  const length = [...title].length;
  const byLength = length <= 24 ? 200 : length <= 48 ? 170 : length <= 90 ? 130 : 100;
  return Math.min(byLength, Math.floor(measure / Math.max(shaped.widestWord, 1e-6)));
}
