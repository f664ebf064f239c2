import { describe, expect, it } from 'vitest';
import { loadManuscript } from '../scripts/manuscript/load.js';
import { renderMarkdown } from '../scripts/render/markdown.js';
import { fixture } from './support/cli.js';

const manuscript = await loadManuscript(fixture('safe-html.md'));
const { html } = await renderMarkdown(manuscript);

describe('raw HTML in a manuscript', () => {
  it.each([
    '<kbd>Ctrl</kbd>',
    '<abbr title="blood pressure">BP</abbr>',
    'H<sub>2</sub>O, 10<sup>3</sup>.<br>A new line',
    '<mark>marked</mark>',
    '<small>small</small>',
    '<cite>cited</cite>',
    '<dfn>defined</dfn>',
    '<u>underlined</u>',
    '<time datetime="2026-11-24">24 November</time>',
    // Open: on paper the reader cannot open it (rehype-print-blocks).
    '<details open><summary>Read more</summary>',
    // A group on paper: Chromium then tags it a Div around the image's Figure (rehype-print-tags).
    '<figure role="group"><img src="images/dot.png" alt="A dot"><figcaption>A figure caption</figcaption></figure>',
    '<caption>A table caption</caption><colgroup><col span="2"></colgroup>',
    '<th scope="col" colspan="2">Both</th>',
    '<td rowspan="2">Left</td><td headers="x">Right</td>',
    '<li class="task-list-item"><input type="checkbox" checked disabled> A task done</li>',
    '<th align="center">Centre</th>',
    '<code class="language-js">',
  ])('keeps safe semantic markup: %s', (markup) => {
    expect(html).toContain(markup);
  });

  it('is not warned about when it is safe', () => {
    expect(manuscript.files[0]!.file.messages.map(String)).toEqual([]);
  });

  it('keeps ids as written, so heading slugs, footnotes and an author’s anchors all link up', () => {
    expect(html).toContain('<h2 id="safe-html-details">');
    expect(html).toContain('<a id="the-anchor">an anchor an author placed</a>');
    expect(html).not.toContain('user-content-the-anchor');
    const ids = new Set([...html.matchAll(/ id="([^"]+)"/g)].map((match) => match[1]));
    const fragments = [...html.matchAll(/ href="#([^"]+)"/g)].map((match) => match[1]);
    expect(fragments).toContain('the-anchor');
    expect(fragments.filter((fragment) => /fn/.test(fragment!)).length).toBeGreaterThanOrEqual(2); // the note and its way back
    for (const fragment of fragments) expect(ids, `#${fragment}`).toContain(fragment);
  });
});
