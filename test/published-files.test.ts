import { describe, expect, it } from 'vitest';
import { fileLabel } from '../scripts/outputs/published-files.js';

describe('edition labels', () => {
  it('name each kind of file the build can write', () => {
    const slug = 'leaflet';
    expect(fileLabel('leaflet.pdf', slug)).toBe('PDF handout');
    expect(fileLabel('leaflet-a4.pdf', slug)).toBe('PDF handout, A4');
    expect(fileLabel('leaflet-letter.pdf', slug)).toBe('PDF handout, US Letter');
    expect(fileLabel('leaflet-large-print.pdf', slug)).toBe('PDF handout, Large print (A4)');
    expect(fileLabel('leaflet.epub', slug)).toBe('EPUB ebook');
    expect(fileLabel('leaflet.zh-Hans-large-print.pdf', slug, 'zh-Hans')).toBe('PDF handout, Large print (A4)');
    expect(fileLabel('leaflet.es.epub', slug, 'es')).toBe('EPUB ebook');
  });
});
