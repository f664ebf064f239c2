import { describe, expect, it } from 'vitest';
import { toUnicodeMap, weightFreeName } from '../scripts/pdf-postprocess/text-layer.js';

describe('naming a face by the weight that prints', () => {
  it('drops the variable font’s default instance from the family name, and nothing else', () => {
    expect(weightFreeName('BAAAAA+SourceSans3ExtraLight-SemiBold')).toBe('BAAAAA+SourceSans3-SemiBold');
    expect(weightFreeName('SourceSans3ExtraLight-Regular')).toBe('SourceSans3-Regular');
    expect(weightFreeName('HAAAAA+SourceCodeProExtraLight-Regular')).toBe('HAAAAA+SourceCodePro-Regular');
    expect(weightFreeName('DAAAAA+SourceSerif4-Regular')).toBe('DAAAAA+SourceSerif4-Regular');
    expect(weightFreeName('SourceSans3ExtraLight-ExtraLight')).toBe('SourceSans3ExtraLight-ExtraLight');
    expect(weightFreeName('KAAAAA+DejaVuSans')).toBe('KAAAAA+DejaVuSans');
  });
});

describe('reading a ToUnicode CMap', () => {
  it('reads single mappings, ligatures and ranges, as Skia writes them', () => {
    const cmap = [
      '1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange',
      '3 beginbfchar\n<0001> <0020>\n<0082> <0000>\n<007D> <00660069>\nendbfchar',
      '1 beginbfrange\n<00A8> <00A9> <2018>\nendbfrange',
    ].join('\n');
    expect([...toUnicodeMap(cmap)]).toEqual([
      [0x01, ' '],
      [0x82, '\0'],
      [0x7d, 'fi'],
      [0xa8, '\u2018'],
      [0xa9, '\u2019'],
    ]);
  });
});
