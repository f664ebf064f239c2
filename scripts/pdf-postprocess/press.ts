/**
 * A press file for a print shop, after PDF/X-4 (ISO 15930-7): Chromium prints the page 3 mm larger on
 * every side (the bleed: backgrounds that touch the edge run on into it, styles/editions/trifold.css), and
 * here the page gets
 * - its boxes: the TrimBox (the page as cut), the BleedBox (3 mm beyond it), and a MediaBox with room
 *   beyond the bleed for the marks;
 * - crop marks at the trim's corners and registration marks at the middle of each side, all outside the
 *   bleed, in the registration colour (`Separation /All`: every plate), marked as artifacts;
 * - no annotations (a link is no use on paper, and PDF/X allows none on the printed area);
 * - the output intent: the print shop's ICC profile (front matter `pressProfile`) as `GTS_PDFX`;
 * - where the press is CMYK or grey, sRGB (templates/pdf/sRGB.icc) as the DefaultRGB of every resource
 *   dictionary and transparency group, so that Chromium's DeviceRGB colours are defined colours, which the
 *   print shop's RIP converts with its profile.
 * The XMP says `pdfxid:GTS_PDFXVersion` PDF/X-4 and the document information `/Trapped /False`
 * (outputs/pdf.ts), and the file is written as PDF 1.6.
 */
import { PDFArray, PDFDict, PDFName, PDFNumber, PDFRawStream, PDFRef, PDFString, type PDFObject } from 'pdf-lib';
import { deflateSync } from 'node:zlib';
import { points, type Size } from '../base/editions.js';
import { componentsOf, type PressInput, type PressProfile } from '../manuscript/press-profile.js';
import type { ChromiumPdf } from './chromium-pdf.js';

/** Millimetres of bleed beyond the trim on every side. */
export const BLEED_MM = 3;
/** Millimetres of paper beyond the bleed for the marks. */
const SLUG_MM = 10;
/** Crop marks start this far from the trim (outside the bleed) and run this long. */
const MARK_OFFSET_MM = 4;
const MARK_LENGTH_MM = 6;
/** Registration targets: their centre beyond the trim, and radius. */
const TARGET_CENTRE_MM = 8;
const TARGET_RADIUS_MM = 2.2;


const name = (text: string) => PDFName.of(text);

/** `trim`: the page as cut (the edition's size); Chromium prints the page rounded to the CSS pixel, round which the trim is centred. */
export function makePressReady(pdf: ChromiumPdf, catalog: PDFDict, pages: PDFRef[], { profile, srgb }: PressInput, trim: Size): void {
  const { context } = pdf;
  const stream = (entries: Record<string, PDFObject | string | number>, bytes: Uint8Array) =>
    pdf.add(PDFRawStream.of(context.obj({ ...entries, Length: bytes.length }) as PDFDict, bytes));
  const iccStream = (bytes: Uint8Array, components: number) => stream({ N: components, Filter: 'FlateDecode' }, deflateSync(bytes));
  const outputProfile = iccStream(profile.bytes, componentsOf(profile));
  catalog.set(
    name('OutputIntents'),
    context.obj([
      context.obj({
        Type: 'OutputIntent',
        S: 'GTS_PDFX',
        OutputConditionIdentifier: PDFString.of(profile.description),
        OutputCondition: PDFString.of(profile.description),
        Info: PDFString.of(profile.description),
        RegistryName: PDFString.of('http://www.color.org'),
        DestOutputProfile: outputProfile,
      }),
    ]),
  );
  let defaultRgb: PDFObject | undefined;
  if (profile.colorSpace !== 'RGB') {
    const srgbRef = iccStream(srgb, 3);
    defaultRgb = context.obj([name('ICCBased'), srgbRef]);
    defineDeviceRgb(pdf, defaultRgb);
  }
  const registration = pdf.add(registrationColour(pdf, profile));
  const slug = points(SLUG_MM);
  for (const ref of pages) {
    const page = pdf.lookupDict(ref)!;
    const [, , width, height] = (pdf.lookup(page.get(name('MediaBox'))) as PDFArray).asArray().map((value) => (value as PDFNumber).asNumber()) as [number, number, number, number];
    const box = (insetX: number, insetY = insetX) => context.obj([-insetX, -insetY, width + insetX, height + insetY].map(round));
    // The printed page (trim and bleed) keeps its place; the media grows round it for the marks.
    const bleedX = (width - points(trim.width)) / 2;
    const bleedY = (height - points(trim.height)) / 2;
    page.set(name('MediaBox'), box(slug));
    page.set(name('CropBox'), box(slug));
    page.set(name('BleedBox'), box(0));
    page.set(name('TrimBox'), box(-bleedX, -bleedY));
    page.delete(name('Annots'));
    const group = pdf.lookupDict(page.get(name('Group')));
    if (group && defaultRgb && group.get(name('CS')) === name('DeviceRGB')) group.set(name('CS'), defaultRgb);
    // Chromium's content starts with a transform it never undoes: it is put in q … Q, and the marks drawn after it.
    const resources = pdf.lookupDict(page.get(name('Resources')))!;
    const colourSpaces = pdf.lookupDict(resources.get(name('ColorSpace'))) ?? (context.obj({}) as PDFDict);
    colourSpaces.set(name('CSRegistration'), registration);
    resources.set(name('ColorSpace'), colourSpaces);
    const contents = pdf.lookup(page.get(name('Contents')));
    const existing = contents instanceof PDFArray ? contents.asArray() : [page.get(name('Contents'))!];
    const open = stream({}, Buffer.from('q\n', 'latin1'));
    const close = stream({}, Buffer.from(`\nQ\n${marksContent(points(trim.width), points(trim.height), bleedX, bleedY)}`, 'latin1'));
    page.set(name('Contents'), context.obj([open, ...existing, close]));
    if (!(page.get(name('Resources')) instanceof PDFRef)) page.set(name('Resources'), resources);
    else pdf.set(page.get(name('Resources')) as PDFRef, resources);
    pdf.set(ref, page);
  }
}

const round = (value: number) => Math.round(value * 1000) / 1000;

/**
 * Crop marks at the four corners of a `trimWidth` × `trimHeight` page whose trim starts `bleedX`, `bleedY` from the
 * origin, and a registration target at the middle of each side, in the registration colour.
 */
function marksContent(trimWidth: number, trimHeight: number, bleedX: number, bleedY: number): string {
  const [offset, length, centre, radius] = [MARK_OFFSET_MM, MARK_LENGTH_MM, TARGET_CENTRE_MM, TARGET_RADIUS_MM].map(points) as [number, number, number, number];
  const left = bleedX;
  const bottom = bleedY;
  const right = bleedX + trimWidth;
  const top = bleedY + trimHeight;
  const f = (value: number) => String(round(value));
  const line = (x1: number, y1: number, x2: number, y2: number) => `${f(x1)} ${f(y1)} m ${f(x2)} ${f(y2)} l S\n`;
  let ops = '/Artifact <</Type /Layout>> BDC\nq\n/CSRegistration CS 1 SCN\n0.25 w\n';
  for (const [x, horizontal] of [
    [left, -1],
    [right, 1],
  ] as const) {
    for (const [y, vertical] of [
      [bottom, -1],
      [top, 1],
    ] as const) {
      // One mark along each edge of the corner, in line with the trim, beyond the bleed.
      ops += line(x + horizontal * offset, y, x + horizontal * (offset + length), y);
      ops += line(x, y + vertical * offset, x, y + vertical * (offset + length));
    }
  }
  // A circle (four Bézier quarters) with a cross through it.
  const target = (cx: number, cy: number) => {
    const k = 0.5523 * radius;
    return (
      `${f(cx + radius)} ${f(cy)} m ` +
      `${f(cx + radius)} ${f(cy + k)} ${f(cx + k)} ${f(cy + radius)} ${f(cx)} ${f(cy + radius)} c ` +
      `${f(cx - k)} ${f(cy + radius)} ${f(cx - radius)} ${f(cy + k)} ${f(cx - radius)} ${f(cy)} c ` +
      `${f(cx - radius)} ${f(cy - k)} ${f(cx - k)} ${f(cy - radius)} ${f(cx)} ${f(cy - radius)} c ` +
      `${f(cx + k)} ${f(cy - radius)} ${f(cx + radius)} ${f(cy - k)} ${f(cx + radius)} ${f(cy)} c S\n` +
      line(cx - radius * 1.5, cy, cx + radius * 1.5, cy) +
      line(cx, cy - radius * 1.5, cx, cy + radius * 1.5)
    );
  };
  ops += target((left + right) / 2, top + centre) + target((left + right) / 2, bottom - centre);
  ops += target(left - centre, (bottom + top) / 2) + target(right + centre, (bottom + top) / 2);
  return `${ops}Q\nEMC\n`;
}

/** `Separation /All`: full tint on every plate, in the press's own colour space when a RIP cannot separate. */
function registrationColour(pdf: ChromiumPdf, profile: PressProfile): PDFObject {
  const alternate = { CMYK: 'DeviceCMYK', RGB: 'DeviceRGB', GRAY: 'DeviceGray' }[profile.colorSpace];
  const full = { CMYK: [1, 1, 1, 1], RGB: [0, 0, 0], GRAY: [0] }[profile.colorSpace];
  const none = { CMYK: [0, 0, 0, 0], RGB: [1, 1, 1], GRAY: [1] }[profile.colorSpace];
  const tint = pdf.context.obj({ FunctionType: 2, Domain: [0, 1], C0: none, C1: full, N: 1 });
  return pdf.context.obj([name('Separation'), name('All'), name(alternate), tint]);
}

/**
 * sRGB as the DefaultRGB of every resource dictionary that draws (pages', forms', patterns', Type 3
 * fonts'), and of every transparency group blended in DeviceRGB: Chromium writes its colours as DeviceRGB.
 */
function defineDeviceRgb(pdf: ChromiumPdf, defaultRgb: PDFObject): void {
  const seen = new Set<PDFDict>();
  const visitResources = (holder: PDFDict, key: PDFRef | undefined) => {
    const resourcesValue = holder.get(name('Resources'));
    const resources = pdf.lookupDict(resourcesValue);
    if (!resources || seen.has(resources)) return;
    seen.add(resources);
    const spaces = pdf.lookupDict(resources.get(name('ColorSpace'))) ?? (pdf.context.obj({}) as PDFDict);
    spaces.set(name('DefaultRGB'), defaultRgb);
    const spacesValue = resources.get(name('ColorSpace'));
    if (spacesValue instanceof PDFRef) pdf.set(spacesValue, spaces);
    else resources.set(name('ColorSpace'), spaces);
    for (const kind of ['XObject', 'Pattern', 'Font']) {
      const entries = pdf.lookupDict(resources.get(name(kind)));
      for (const [, value] of entries?.entries() ?? []) {
        const child = pdf.lookup(value);
        const dict = child instanceof PDFRawStream ? child.dict : child instanceof PDFDict ? child : undefined;
        if (!dict) continue;
        const group = pdf.lookupDict(dict.get(name('Group')));
        if (group && group.get(name('CS')) === name('DeviceRGB')) group.set(name('CS'), defaultRgb);
        visitResources(dict, value instanceof PDFRef ? value : undefined);
      }
    }
    if (resourcesValue instanceof PDFRef) pdf.set(resourcesValue, resources);
    if (key) pdf.set(key, pdf.lookup(key)!);
  };
  for (const ref of pdf.pageRefs()) {
    const page = pdf.lookupDict(ref)!;
    visitResources(page, undefined);
    pdf.set(ref, page);
  }
}
