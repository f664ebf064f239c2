/**
 * The EPUB's XHTML serializer (scripts/render/xhtml.ts) on HTML as raw-HTML
 * parsing (rehype-raw) will hand it: whatever arrives must come out as
 * well-formed XHTML.
 */
import { fromHtml } from 'hast-util-from-html';
import type { ElementContent } from 'hast';
import { describe, expect, it } from 'vitest';
import { toXhtml } from '../scripts/render/xhtml.js';

const xhtml = (html: string) => toXhtml(fromHtml(html, { fragment: true }).children as ElementContent[]);

describe('XHTML serialization', () => {
  it('closes void elements and keeps end tags on empty ones', () => {
    expect(xhtml('<p>a<br>b<wbr>c</p><hr><img src="a.png" alt=""><a id="x"></a><p></p>')).toBe(
      '<p>a<br/>b<wbr/>c</p><hr/><img src="a.png" alt=""/><a id="x"></a><p></p>',
    );
  });

  it('gives boolean attributes a value', () => {
    expect(xhtml('<input type="checkbox" checked disabled><details open><summary>S</summary>x</details><ol reversed start="3"><li>a</li></ol>')).toBe(
      '<input type="checkbox" checked="" disabled=""/><details open=""><summary>S</summary>x</details><ol reversed="" start="3"><li>a</li></ol>',
    );
  });

  it('writes characters, not HTML entities, and escapes what XML needs', () => {
    expect(xhtml('<p>a&nbsp;b &copy; &mdash; &amp; 1 &lt; 2 &gt; 0 ]]&gt; "q" \'a\'</p><p title="&quot;x&quot; &amp; &lt;y&gt;">t</p>')).toBe(
      '<p>a\u00a0b © — &amp; 1 &lt; 2 &gt; 0 ]]&gt; "q" \'a\'</p><p title="&#x22;x&#x22; &#x26; &#x3C;y>">t</p>',
    );
  });

  it('pairs lang with xml:lang', () => {
    expect(xhtml('<span lang="fr">oui</span>')).toBe('<span lang="fr" xml:lang="fr">oui</span>');
  });

  it('puts SVG and MathML in their namespaces', () => {
    expect(xhtml('<svg viewBox="0 0 1 1"><rect width="1" height="1"/></svg><math><mi>x</mi></math>')).toBe(
      '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><rect width="1" height="1"></rect></svg>' +
        '<math xmlns="http://www.w3.org/1998/Math/MathML"><mi>x</mi></math>',
    );
  });

  it('drops comments, templates, characters XML forbids and attribute names it cannot carry', () => {
    expect(xhtml('<p @click="x" data-ok="1">a<!-- -- -->b\u0001c\u000bd</p><template><p>t</p></template>')).toBe('<p data-ok="1">abcd</p>');
  });

  it('refuses raw HTML that was never parsed', () => {
    expect(() => toXhtml([{ type: 'raw', value: '<b>' } as unknown as ElementContent])).toThrow(/rehype-raw/);
  });
});
