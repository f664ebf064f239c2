/**
 * Read an OPDS 1 feed as Readium-based reading apps (Thorium) do: xmldom parses the XML,
 * r2-utils-js maps it onto r2-opds-js's OPDS classes, and r2-opds-js converts it to the
 * OPDS 2 model apps then show. What cannot be read so is not a feed those apps can use.
 */
import { createRequire } from 'node:module';
import type { OPDS } from 'r2-opds-js/dist/es8-es2017/src/opds/opds1/opds.js';
import type { OPDSFeed } from 'r2-opds-js/dist/es8-es2017/src/opds/opds2/opds2.js';

const require = createRequire(import.meta.url);
const { DOMParser } = require('@xmldom/xmldom') as typeof import('@xmldom/xmldom');
const { XML } = require('r2-utils-js/dist/es8-es2017/src/_utils/xml-js-mapper') as {
  XML: { deserialize<T>(document: unknown, type: new () => T): T };
};
const opds1 = require('r2-opds-js/dist/es8-es2017/src/opds/opds1/opds') as { OPDS: new () => OPDS };
const { convertOpds1ToOpds2 } = require('r2-opds-js/dist/es8-es2017/src/opds/converter') as { convertOpds1ToOpds2(feed: OPDS): OPDSFeed };
const { initGlobalConverters_OPDS, initGlobalConverters_GENERIC } = require('r2-opds-js/dist/es8-es2017/src/opds/init-globals') as Record<string, () => void>;
const shared = require('r2-shared-js/dist/es8-es2017/src/init-globals') as Record<string, () => void>;

initGlobalConverters_OPDS!();
initGlobalConverters_GENERIC!();
shared.initGlobalConverters_SHARED?.();
shared.initGlobalConverters_GENERIC?.();

export interface ReadFeed {
  opds1: OPDS;
  opds2: OPDSFeed;
}

/** The feed as the apps' parser reads it, and as their OPDS 2 model; throws on XML that does not parse. */
export function readOpdsFeed(xml: string): ReadFeed {
  const errors: string[] = [];
  const document = new DOMParser({ onError: (level, message) => void (level !== 'warning' && errors.push(message)) }).parseFromString(xml, 'application/xml');
  if (errors.length) throw new Error(`the feed is not well-formed XML: ${errors.join('; ')}`);
  const feed = XML.deserialize<OPDS>(document, opds1.OPDS);
  return { opds1: feed, opds2: convertOpds1ToOpds2(feed) };
}
