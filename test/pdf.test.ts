import { describe, expect, inject, it } from 'vitest';
import { flattenOutline, foldSpace, pdfFonts, pdfInfo, pdfOutline, pdfPages, seedText } from './support/outputs.js';

const pdf = inject('articleFiles').find((file) => file.endsWith('.pdf'))!;

// The manuscript's headings: the seed's own, plus the two condition headings its layout lost.
const RESTORED_HEADINGS = ['Bunions', 'Arthritis'];
const PAGE_FOOTER = /^\s*(\d+)\s*\/\s*(\d+)\s*$/;

describe('the article as a PDF handout', () => {
  it('is named after the publication', () => {
    expect(pdf).toMatch(/the-many-benefits-of-foot-massage\.pdf$/);
  });

  it('is A4, tagged, and carries the document metadata', async () => {
    const info = await pdfInfo(pdf);
    expect(info['Page size']).toMatch(/^594\.9\d x 841\.9\d pts \(A4\)$/);
    expect(info['Tagged']).toBe('yes');
    expect(info['Title']).toBe('The Many Benefits of Foot Massage');
    expect(info['Author']).toBe('Patient Education Team');
    expect(info['Subject']).toMatch(/^A patient handout on how foot massage/);
    expect(info['Keywords']).toContain('reflexology');
    expect(Number(info['Pages'])).toBeGreaterThanOrEqual(2);
    expect(Number(info['Pages'])).toBeLessThanOrEqual(4);
  });

  it('sets the document language and shows the title in the window bar', async () => {
    const { tool } = await import('./support/outputs.js');
    const catalog = JSON.parse(await tool('qpdf', ['--json', '--json-key=qpdf', pdf]));
    const objects = catalog.qpdf[1] as Record<string, { value?: Record<string, unknown> }>;
    const root = Object.values(objects).find((object) => object.value?.['/Type'] === '/Catalog')!.value!;
    expect(root['/Lang']).toBe('u:en');
    expect(root['/MarkInfo']).toMatchObject({ '/Marked': true });
    expect(root['/StructTreeRoot']).toBeDefined();
  });

  it('embeds only the Source Serif 4 and Source Sans 3 fonts from @fontsource', async () => {
    const fonts = await pdfFonts(pdf);
    expect(fonts.length).toBeGreaterThan(0);
    for (const font of fonts) {
      expect(font.embedded, font.name).toBe(true);
      expect(font.name, 'a system font slipped in').toMatch(/^[A-Z]{6}\+(SourceSerif4|SourceSans3)/);
    }
    expect(fonts.some((font) => font.name.includes('SourceSerif4'))).toBe(true);
    expect(fonts.some((font) => font.name.includes('SourceSans3'))).toBe(true);
  });

  it('numbers every page "page / pages" in the footer', async () => {
    const pages = await pdfPages(pdf);
    pages.forEach((page, index) => {
      const footer = page.trim().split('\n').at(-1)!;
      expect(footer, `page ${index + 1}`).toMatch(PAGE_FOOTER);
      const [, number, total] = PAGE_FOOTER.exec(footer)!;
      expect(Number(number)).toBe(index + 1);
      expect(Number(total)).toBe(pages.length);
    });
  });

  it('repeats the title as a running header from page 2 on, not over the masthead', async () => {
    const pages = await pdfPages(pdf);
    expect(pages[0]!.trim().split('\n')[0]).toBe('HOME MASSAGE HEALTH LIBRARY');
    for (const page of pages.slice(1)) expect(page.trim().split('\n')[0]).toBe('THE MANY BENEFITS OF FOOT MASSAGE');
  });

  it('has every sentence of the client’s text in its text layer', async () => {
    const pages = await pdfPages(pdf);
    const body = foldSpace(pages.map(withoutPageFurniture).join('\n'));
    const { sentences } = await seedText();
    expect(sentences.length).toBeGreaterThan(50);
    const missing = sentences.filter((sentence) => !body.includes(foldSpace(sentence)));
    expect(missing).toEqual([]);
  });

  it('has a bookmark for every heading, nested under the title', async () => {
    const outline = await pdfOutline(pdf);
    const { headings } = await seedText();
    expect(outline.map((entry) => entry.title)).toEqual(['The Many Benefits of Foot Massage']);
    const titles = flattenOutline(outline).map((entry) => entry.title);
    const expected = [...headings, ...RESTORED_HEADINGS];
    expect([...titles].sort()).toEqual([...expected].sort());
    const conditions = outline[0]!.kids.find((entry) => entry.title === 'Relieves Foot Conditions')!;
    expect(conditions.kids.map((entry) => entry.title)).toEqual(['Bunions', 'Arthritis', 'Flat Feet', 'Restless Foot Syndrome']);
  });
});

/** Drop the running header and the page-number footer, so sentences that cross a page read whole. */
function withoutPageFurniture(page: string): string {
  return page
    .split('\n')
    .filter((line) => !PAGE_FOOTER.test(line) && !/^(THE MANY BENEFITS OF FOOT MASSAGE|Home Massage Health Library)$/.test(line.trim()))
    .join('\n');
}
