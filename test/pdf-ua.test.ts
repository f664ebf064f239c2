/**
 * PDF/UA-1 (ISO 14289-1): the machine-checkable conditions of the Matterhorn Protocol that
 * the build's PDFs used to fail, read from each PDF's own tag tree, annotations, XMP and
 * content streams (test/support/pdf-tags.ts), on every edition of the article, the
 * torture-test book and the fixtures.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { unexplainedPdfUaWarning, type PdfUaVerdict } from '../scripts/pdf-postprocess/structure.js';
import { noAccessibilityGaps } from '../scripts/render/plugins/rehype-accessibility-warnings.js';
import { flatChildren, readPdfStructure, STANDARD_TYPES, type PdfStructure, type StructNode } from './support/pdf-tags.js';
import { sharedBuild, type SharedBuildName } from './support/shared-builds.js';

const PDFUA_PART_1 = /<pdfuaid:part>1<\/pdfuaid:part>/;
const PDFUA_NAMESPACE = 'xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/"';

const pdfsOf = (name: SharedBuildName) => sharedBuild(name).files.filter((file) => file.endsWith('.pdf'));
const articlePdfs = pdfsOf('article');
const torturePdfs = pdfsOf('torture');

const structures = new Map<string, Promise<PdfStructure>>();
const structureOf = (file: string) => {
  if (!structures.has(file)) structures.set(file, readPdfStructure(file));
  return structures.get(file)!;
};

const ofType = (structure: PdfStructure, type: string) => structure.elements.filter((element) => element.type === type);
const widthOf = (row: StructNode) => row.children.filter((cell) => cell.type === 'TD' || cell.type === 'TH').reduce((sum, cell) => sum + cell.colSpan, 0);
const rowsOf = (table: StructNode): StructNode[] =>
  table.children.flatMap((child) => (child.type === 'TR' ? [child] : ['THead', 'TBody', 'TFoot'].includes(child.type ?? '') ? rowsOf(child) : []));

/** Every condition the build makes sure of, whatever the manuscript. */
async function expectTaggedAsPdfUaAsks(file: string): Promise<void> {
  const structure = await structureOf(file);
  const name = path.basename(file);
  // 02-001, 02-003: every type is a standard one or maps to one; 02-004: no standard type is remapped.
  expect(structure.elements.filter((element) => element.type === undefined).map((element) => element.written), name).toEqual([]);
  expect([...structure.roleMap.keys()].filter((type) => STANDARD_TYPES.has(type)), name).toEqual([]);
  // 13-004: a figure is tagged once, not as a figure without a description around its image's.
  const nestedFigures = ofType(structure, 'Figure').filter((figure) => figure.alt === undefined && figure.children.some((child) => child.type === 'Figure'));
  expect(nestedFigures.length, name).toBe(0);
  // 09-005 (veraPDF 7.2-17…20): lists are L > LI > Lbl, LBody.
  for (const list of ofType(structure, 'L')) expect(flatChildren(list).map((child) => child.type).filter((type) => !['L', 'LI', 'Caption'].includes(type!)), name).toEqual([]);
  for (const item of ofType(structure, 'LI')) {
    expect(flatChildren(item).map((child) => child.type).filter((type) => type !== 'Lbl' && type !== 'LBody'), `${name}: ${item.text}`).toEqual([]);
    expect(flatChildren(item).some((child) => child.type === 'LBody'), `${name}: ${item.text}`).toBe(true);
  }
  // 09-004: every row of a table as wide as the others; 15-003: header cells say what they head.
  for (const table of ofType(structure, 'Table')) expect(new Set(rowsOf(table).map(widthOf)).size, `${name}: ${table.text.slice(0, 40)}`).toBe(1);
  for (const header of ofType(structure, 'TH')) expect(header.scope, name).toMatch(/^(Row|Column|Both)$/);
  // 28-011, 28-012: every link annotation sits in a Link element and says where it goes.
  for (const link of structure.links) {
    expect(link.parent?.type, `${name}: link to ${link.uri ?? link.dest}`).toBe('Link');
    expect(link.contents?.trim(), `${name}: link to ${link.uri ?? link.dest}`).toBeTruthy();
  }
  // 01-005: nothing is painted that is neither tagged nor an artifact.
  expect(structure.untaggedPainting, name).toEqual(structure.untaggedPainting.map(() => 0));
}

/** A PDF that claims PDF/UA-1 in its XMP, as one whose every figure is described may. */
async function expectClaimsPdfUa(file: string): Promise<void> {
  const structure = await structureOf(file);
  expect(structure.xmp, path.basename(file)).toMatch(PDFUA_PART_1);
  expect(structure.xmp).toContain(PDFUA_NAMESPACE);
  for (const figure of ofType(structure, 'Figure')) expect(figure.alt ?? figure.actualText, path.basename(file)).toBeTruthy();
}

describe('the article as PDF/UA-1', () => {
  it('is tagged as PDF/UA asks, in every edition, and says so in its XMP', async () => {
    expect(articlePdfs).toHaveLength(3);
    for (const file of articlePdfs) {
      await expectTaggedAsPdfUaAsks(file);
      await expectClaimsPdfUa(file);
    }
  });

  it('links the ebook’s address in its imprint, described by the sentence around it', async () => {
    for (const file of articlePdfs) {
      const { links } = await structureOf(file);
      const ebook = links.filter((link) => link.uri === 'https://example.com/handouts/foot-massage.epub');
      expect(ebook, path.basename(file)).toHaveLength(1);
      expect(ebook[0]!.contents).toBe('Get this handout as an ebook: example.com/handouts/foot-massage.epub');
      expect(ebook[0]!.parent!.text.replace(/\u00ad/g, '')).toContain('example.com/handouts/foot-massage.epub');
    }
  });

  it('maps PDF 2.0’s Strong and Aside to PDF 1.7 types', async () => {
    const structure = await structureOf(articlePdfs[0]!);
    expect(structure.elements.some((element) => element.written === 'Strong')).toBe(true);
    expect(structure.roleMap.get('Strong')).toBe('Span');
    expect(structure.roleMap.get('Aside')).toBe('Sect');
  });
});

describe('the torture-test book as PDF/UA-1', () => {
  it('is tagged as PDF/UA asks, in every edition', async () => {
    expect(torturePdfs).toHaveLength(3);
    for (const file of torturePdfs) await expectTaggedAsPdfUaAsks(file);
  });

  it('claims PDF/UA-1, now that its Greek, Russian, Japanese and Hebrew each have a font', async () => {
    for (const file of torturePdfs) expect((await structureOf(file)).xmp, path.basename(file)).toContain('<pdfuaid:part>1</pdfuaid:part>');
  });

  it('tags footnote references as links and the notes as a list', async () => {
    for (const file of torturePdfs) {
      const structure = await structureOf(file);
      const references = structure.links.filter((link) => link.dest?.startsWith('user-content-fn-'));
      expect(references.length, path.basename(file)).toBeGreaterThanOrEqual(7);
      for (const reference of references) {
        expect(reference.parent?.type).toBe('Link');
        expect(reference.contents).toMatch(/^Note \d+$/);
      }
      const notes = ofType(structure, 'LI').filter((item) => item.text.includes('The first note of this file'));
      expect(notes, path.basename(file)).toHaveLength(1);
      expect(notes[0]!.parent!.type).toBe('L');
    }
  });

  it('tags each image once with its description, and decorative ones not at all', async () => {
    for (const file of torturePdfs) {
      const figures = ofType(await structureOf(file), 'Figure');
      expect(figures.map((figure) => figure.alt).sort(), path.basename(file)).toEqual(
        [
          'A bar chart: four bars rising from left to right.',
          'A close-up of the sole of a foot.',
          'The sole of a foot, again.',
          'A reflexology map: three zones of the foot.',
          'The chart, as a link.',
          'The chart, from raw HTML',
        ].sort(),
      );
    }
  });

  it('marks each change of language with /Lang on a Span', async () => {
    for (const file of torturePdfs) {
      const spans = ofType(await structureOf(file), 'Span').filter((span) => span.lang);
      const byLang = Object.fromEntries(spans.map((span) => [span.lang, span.text.replace(/[\u00ad\s-]/g, '')]));
      expect(byLang, path.basename(file)).toMatchObject({ fr: 'unephraseenfrançais', el: 'Ελληνικά', ru: 'Русский' });
      expect(Object.keys(byLang)).toEqual(expect.arrayContaining(['ja', 'he']));
    }
  });

  it('keeps an empty table cell in the tag tree', async () => {
    for (const file of torturePdfs) {
      const table = ofType(await structureOf(file), 'Table').find((candidate) => candidate.text.includes('Centre'))!;
      expect(rowsOf(table).map(widthOf), path.basename(file)).toEqual([4, 4, 4, 4]);
      const emptyCells = rowsOf(table).flatMap((row) => row.children).filter((cell) => cell.type === 'TD' && cell.text === '' && cell.children.length === 0);
      expect(emptyCells).toHaveLength(1);
    }
  });
});

describe('the fixtures as PDF/UA-1', () => {
  it('tags the handout with logo, figure, tables and QR code as PDF/UA asks, and claims it', async () => {
    expect(pdfsOf('handout')).toHaveLength(2);
    for (const file of pdfsOf('handout')) {
      await expectTaggedAsPdfUaAsks(file);
      await expectClaimsPdfUa(file);
    }
  });

  it('tags a book of two files with links between them as PDF/UA asks, and claims it', async () => {
    for (const file of pdfsOf('links')) {
      await expectTaggedAsPdfUaAsks(file);
      await expectClaimsPdfUa(file);
    }
  });

  it('tags a clinic leaflet as PDF/UA asks, each call-out box an Aside that opens with its title, and claims it', async () => {
    const titles = ['Key points', 'Note', 'Tip: Make it a habit', 'Important: Using a foot massager', 'Caution', 'Warning: When to get help'];
    const plain = (text: string) => text.replace(/[\u00ad\s]+/g, ' ').trim().toLowerCase();
    for (const file of pdfsOf('leaflet')) {
      await expectTaggedAsPdfUaAsks(file);
      await expectClaimsPdfUa(file);
      const structure = await structureOf(file);
      expect(structure.roleMap.get('Aside')).toBe('Sect');
      const asides = structure.elements.filter((element) => element.written === 'Aside' && element.children[0]?.type === 'P');
      const opening = asides.map((aside) => plain(aside.children[0]!.text));
      expect(opening, path.basename(file)).toEqual(expect.arrayContaining(titles.map(plain)));
    }
  });

  it('makes no PDF/UA claim for a handout with an image it does not describe', async () => {
    const [file] = pdfsOf('warnings');
    await expectTaggedAsPdfUaAsks(file!);
    const structure = await structureOf(file!);
    expect(structure.xmp).not.toContain('pdfuaid');
    // The image is there, as a figure that says nothing: the PDF does not pretend it is decorative.
    expect(ofType(structure, 'Figure').filter((figure) => !figure.alt)).toHaveLength(1);
  });
});

describe('a PDF without its PDF/UA claim', () => {
  const nothingWarned = () => ({ ...noAccessibilityGaps(), charactersWithoutFont: [] });
  const verdict = (cause: PdfUaVerdict['problems'][number]['cause'], text: string): PdfUaVerdict => ({ conforms: false, problems: [{ cause, text }] });

  it('is one more warning when no warning of the manuscript says why', () => {
    const warning = unexplainedPdfUaWarning([verdict('tag-tree', 'a table has rows of different lengths in the tag tree')], nothingWarned(), '/m/a.md');
    expect(warning?.reason).toBe('the PDF makes no PDF/UA-1 claim: a table has rows of different lengths in the tag tree');
    expect(warning?.file).toBe('/m/a.md');
  });

  it('is no more warning when the manuscript’s warnings already give the reason', () => {
    const gaps = { ...noAccessibilityGaps(), undescribedImages: ['images/dot.png'], charactersWithoutFont: ['日'] };
    expect(unexplainedPdfUaWarning([verdict('undescribed-image', '1 image has no description'), verdict('missing-glyph', '1 character is printed as an empty box')], gaps, '/m/a.md')).toBeUndefined();
    expect(unexplainedPdfUaWarning([verdict('missing-glyph', '1 character is printed as an empty box')], nothingWarned(), '/m/a.md')).toBeDefined();
  });
});
