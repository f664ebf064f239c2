/**
 * A library whose leaflets have translations (tired-feet.es.md, tired-feet.ar.md beside tired-feet.md): the
 * catalogue page and the OPDS feeds list each language's edition as an entry of its own, in that language, linked
 * to the leaflet's other editions, and every link leads to a file in dist/ (or an item of the page).
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fromHtml } from 'hast-util-from-html';
import { selectAll } from 'hast-util-select';
import { toString } from 'hast-util-to-string';
import { cli } from './support/cli.js';
import { copyLibrary, pageLinks, resolveLink } from './support/library.js';
import { readOpdsFeed } from './support/opds.js';

const SPANISH = `---
lang: es
title: Cuidado de los pies cansados
description: Formas sencillas de descansar y aliviar los pies cansados al final del día.
keywords: [cuidado de los pies, descanso]
translator: Equipo de desarrollo de massage-press (traducción de prueba, no revisada)
---

# Cuidado de los pies cansados

Los pies cansados duelen, se hinchan y pesan después de un largo día de pie.

## Descansar y elevar

Siéntese, eleve los pies sobre un cojín y descánselos durante quince minutos.

## Un baño tibio

Remoje los pies en agua tibia durante diez minutos y luego séquelos bien, también entre los dedos.
`;

const ARABIC = `---
lang: ar
title: العناية بالقدمين المتعبتين
description: طرق بسيطة لإراحة القدمين المتعبتين وتهدئتهما في نهاية اليوم.
keywords: [العناية بالقدمين, الراحة]
translator: فريق تطوير massage-press (ترجمة اختبارية، غير مراجعة)
---

# العناية بالقدمين المتعبتين

تؤلم القدمان المتعبتان وتتورمان وتثقلان بعد يوم طويل من الوقوف.

## الراحة والرفع

اجلس وارفع قدميك على وسادة وأرحهما لمدة خمس عشرة دقيقة.

## نقع دافئ

انقع قدميك في ماء دافئ لمدة عشر دقائق، ثم جففهما جيدًا، وبين الأصابع أيضًا.
`;

const SLUG = 'caring-for-tired-feet';

describe('a library with translated leaflets', () => {
  let out: string;
  let run: Awaited<ReturnType<typeof cli>>;

  beforeAll(async () => {
    let library: string;
    ({ library, out } = await copyLibrary());
    await writeFile(path.join(library, 'tired-feet.es.md'), SPANISH);
    await writeFile(path.join(library, 'tired-feet.ar.md'), ARABIC);
    run = await cli([library, '--out', out, '--format', 'epub,pdf']);
  }, 300_000);

  it('builds each translation with its source, into the source’s folder', () => {
    expect(run.code, run.stderr).toBe(0);
    for (const lang of ['es', 'ar']) {
      expect(existsSync(path.join(out, SLUG, `${SLUG}.${lang}.epub`)), lang).toBe(true);
      expect(existsSync(path.join(out, SLUG, `${SLUG}.${lang}-a4.pdf`)), lang).toBe(true);
    }
  });

  it('lists every edition on the catalogue page, each in its language’s section, linked to the others', async () => {
    const page = fromHtml(await readFile(path.join(out, 'index.html'), 'utf8'));
    const sections = selectAll('section.library-language', page).map((section) => [section.properties.lang, section.properties.dir]);
    expect(sections).toEqual([
      ['en-GB', 'ltr'],
      ['ar', 'rtl'],
      ['es', 'ltr'],
    ]);
    const item = (lang: string) => selectAll(`section[lang="${lang}"] li.library-leaflet`, page).find((li) => li.properties.id === `leaflet-${SLUG}-${lang}`);
    expect(toString(selectAll('h3', item('es')!)[0]!)).toBe('Cuidado de los pies cansados');
    expect(toString(selectAll('h3', item('ar')!)[0]!)).toBe('العناية بالقدمين المتعبتين');
    // Each edition links to the leaflet's others, named in their own language.
    const others = (lang: string) => selectAll('.library-editions a', item(lang)!).map((a) => [a.properties.href, a.properties.hrefLang, toString(a)]);
    expect(others('en-GB')).toEqual([
      [`#leaflet-${SLUG}-ar`, 'ar', 'العربية'],
      [`#leaflet-${SLUG}-es`, 'es', 'español'],
    ]);
    expect(others('es')).toEqual([
      [`#leaflet-${SLUG}-en-GB`, 'en-GB', 'British English'],
      [`#leaflet-${SLUG}-ar`, 'ar', 'العربية'],
    ]);
    // Each edition's own files: the Spanish one lists the Spanish EPUB and PDF, and no other language's.
    const files = selectAll('.library-files a', item('es')!).map((a) => String(a.properties.href));
    expect(files.toSorted()).toEqual([`${SLUG}/${SLUG}.es-a4.pdf`, `${SLUG}/${SLUG}.es.epub`]);
    // Every link resolves: to a file in dist/, or to an item of the page.
    const ids = new Set(selectAll('[id]', page).map((element) => String(element.properties.id)));
    for (const href of await pageLinks(path.join(out, 'index.html'))) {
      if (href.startsWith('#')) expect(ids.has(href.slice(1)), href).toBe(true);
      else expect(existsSync(resolveLink(out, 'index.html', href)), href).toBe(true);
    }
  });

  it('has an OPDS navigation feed per language, each edition an entry with its dc:language and alternate links to the others', async () => {
    const navigation = readOpdsFeed(await readFile(path.join(out, 'catalog.xml'), 'utf8'));
    const subsections = navigation.opds1.Entries.map((entry) => entry.Links.find((link) => link.Rel === 'subsection')!.Href);
    expect(subsections.toSorted()).toEqual(['catalog-ar.xml', 'catalog-en-GB.xml', 'catalog-es.xml']);
    const xml = await readFile(path.join(out, 'catalog-es.xml'), 'utf8');
    const spanish = readOpdsFeed(xml);
    expect(spanish.opds1.Entries.map((entry) => entry.Title)).toEqual(['Cuidado de los pies cansados']);
    expect(xml).toContain('<dc:language>es</dc:language>');
    // (r2-opds-js keeps no hreflang: the feed's own XML says it.)
    const alternates = [...xml.matchAll(/<link rel="alternate" href="([^"]+)" type="([^"]+)" hreflang="([^"]+)"/g)].map(([, href, type, hreflang]) => [hreflang, href, type]);
    expect(alternates).toEqual([
      ['en-GB', `${SLUG}/${SLUG}.epub`, 'application/epub+zip'],
      ['ar', `${SLUG}/${SLUG}.ar.epub`, 'application/epub+zip'],
    ]);
    // The apps' OPDS 2 model shows the Spanish edition in Spanish.
    expect(spanish.opds2.Publications![0]!.Metadata.Language).toEqual(['es']);
    // Every link of every feed leads to a file in dist/.
    for (const feed of ['catalog.xml', 'catalog-es.xml', 'catalog-ar.xml', 'catalog-en-GB.xml']) {
      const { opds1 } = readOpdsFeed(await readFile(path.join(out, feed), 'utf8'));
      for (const link of [...opds1.Links, ...opds1.Entries.flatMap((entry) => entry.Links)]) expect(existsSync(resolveLink(out, feed, link.Href)), `${feed}: ${link.Href}`).toBe(true);
    }
  });
});
