/**
 * render/changes.ts on its own: two versions of a rendered text, and the marks it puts in the newer
 * one. The review copy's tests (review.test.ts) read the same marks back from the printed PDF.
 */
import { fromHtml } from 'hast-util-from-html';
import { toHtml } from 'hast-util-to-html';
import { describe, expect, it } from 'vitest';
import { markChanges } from '../scripts/render/changes.js';

/** The newer HTML with its marks, and what was counted. */
function marked(before: string, after: string, lang = 'en', images?: { before: Record<string, string>; after: Record<string, string> }) {
  const tree = fromHtml(after, { fragment: true });
  const count = markChanges(
    { tree: fromHtml(before, { fragment: true }), imageIdentity: images && ((src) => images.before[src]) },
    { tree, imageIdentity: images && ((src) => images.after[src]) },
    lang,
  );
  return { html: toHtml(tree), count };
}

describe('marking what changed', () => {
  it('marks nothing when the text is the same, whatever its markup', () => {
    const { html, count } = marked('<p>Rest your <strong>feet</strong>.</p>', '<p>Rest your <strong>feet</strong>.</p>');
    expect(html).toBe('<p>Rest your <strong>feet</strong>.</p>');
    expect(count).toEqual({ insertedWords: 0, deletedWords: 0, changedBlocks: 0 });
  });

  it('marks words within a sentence, the deleted before the inserted, and leaves the other sentences alone', () => {
    const { html, count } = marked(
      '<p>Stretch three times a day. Hold each stretch for 30 seconds.</p>',
      '<p>Stretch twice a day. Hold each stretch for 30 seconds.</p>',
    );
    expect(html).toBe('<p class="change-bar">Stretch <del>three times</del> <ins>twice</ins> a day. Hold each stretch for 30 seconds.</p>');
    expect(count).toEqual({ insertedWords: 1, deletedWords: 2, changedBlocks: 1 });
  });

  it('shows a sentence rewritten almost whole as deleted and inserted whole', () => {
    const { html } = marked('<p>Ice helps. Rest your foot on a cushion.</p>', '<p>Ice helps. Wear soft shoes with a good heel.</p>');
    // A paragraph rewritten whole is one block deleted, then the one that took its place.
    expect(marked('<p>Rest your foot on a cushion.</p><p>Call us.</p>', '<p>Wear soft shoes with a good heel.</p><p>Call us.</p>').html).toBe(
      '<p class="change-deleted change-bar"><del>Rest your foot on a cushion.</del></p><p class="change-inserted change-bar"><ins>Wear soft shoes with a good heel.</ins></p><p>Call us.</p>',
    );
    expect(html).toBe('<p class="change-bar">Ice helps. <del>Rest your foot on a cushion.</del> <ins>Wear soft shoes with a good heel.</ins></p>');
  });

  it('marks inside emphasis and links without breaking them, and a link that goes elsewhere as replaced', () => {
    const { html } = marked(
      '<p>Walk <em>slowly</em> each day; see <a href="https://a.example/">the clinic</a>.</p>',
      '<p>Walk <em>very slowly</em> each day; see <a href="https://b.example/">the clinic</a>.</p>',
    );
    expect(html).toBe(
      '<p class="change-bar">Walk <em><ins>very</ins> slowly</em> each day; see <del><a href="https://a.example/">the clinic</a></del> <ins><a href="https://b.example/">the clinic</a></ins>.</p>',
    );
  });

  it('puts a list item back, struck through, where it stood, and marks a new one whole', () => {
    const { html } = marked('<ul><li>Towel stretch.</li><li>Wall stretch.</li><li>Stair stretch.</li></ul>', '<ul><li>Towel stretch.</li><li>Stair stretch.</li><li>Heel raise.</li></ul>');
    expect(html).toBe(
      '<ul><li>Towel stretch.</li><li class="change-deleted change-bar"><del>Wall stretch.</del></li><li>Stair stretch.</li><li class="change-inserted change-bar"><ins>Heel raise.</ins></li></ul>',
    );
  });

  it('puts a list gone whole back whole, after the block before it', () => {
    const { html } = marked('<p>Do this:</p><ol><li>Sit.</li><li>Roll.</li></ol><p>Then rest.</p>', '<p>Do this:</p><p>Then rest.</p>');
    expect(html).toBe('<p>Do this:</p><ol class="change-deleted"><li class="change-bar"><del>Sit.</del></li><li class="change-bar"><del>Roll.</del></li></ol><p>Then rest.</p>');
  });

  it('bars a table, a figure or a call-out whole for a change inside it', () => {
    const { html } = marked(
      '<table><tr><td>Ice</td><td>20 minutes</td></tr></table><aside class="callout"><p>Stop if it hurts.</p></aside>',
      '<table><tr><td>Ice</td><td>15 minutes</td></tr></table><aside class="callout"><p>Stop if it hurts a lot.</p></aside>',
    );
    expect(html).toBe(
      '<table class="change-bar"><tbody><tr><td>Ice</td><td><del>20</del> <ins>15</ins> minutes</td></tr></tbody></table><aside class="callout change-bar"><p>Stop if it hurts <ins>a lot</ins>.</p></aside>',
    );
  });

  it('sees a picture replaced under the same name, and a ticked box', () => {
    const { html } = marked('<figure><img src="chart.png" alt="A chart"></figure><ul><li><input type="checkbox" disabled> Done</li></ul>', '<figure><img src="chart.png" alt="A chart"></figure><ul><li><input type="checkbox" checked disabled> Done</li></ul>', 'en', {
      before: { 'chart.png': 'aaaa' },
      after: { 'chart.png': 'bbbb' },
    });
    expect(html).toBe(
      '<figure class="change-deleted change-bar"><del><img src="chart.png" alt="A chart"></del></figure><figure class="change-inserted change-bar"><ins><img src="chart.png" alt="A chart"></ins></figure><ul><li class="change-bar"><del><input type="checkbox" disabled></del> <ins><input type="checkbox" checked disabled></ins> Done</li></ul>',
    );
  });

  it('compares Japanese by its words, not by whole sentences', () => {
    const { html } = marked('<p>毎朝足をストレッチしてください。</p>', '<p>毎晩足をストレッチしてください。</p>', 'ja');
    expect(html).toMatch(/^<p class="change-bar"><del>毎朝<\/del> <ins>毎晩<\/ins>足をストレッチしてください。<\/p>$|<del>朝<\/del>/);
    expect(html).toContain('ストレッチしてください。');
  });
});
