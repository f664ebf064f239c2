/**
 * Build one leaflet of a library: its manuscript loaded with the library's shared front
 * matter and logo, built by the same build() as any publication (with the library's one
 * browser), into `<out>/<slug>/`, with its cover images beside it; and its catalogue entry.
 * The same function runs in the library's own process and in a queue's worker.
 */
import path from 'node:path';
import type { VFileMessage } from 'vfile-message';
import { build } from '../build.js';
import type { SharedBrowser } from '../browser/shared-browser.js';
import type { Format } from '../base/formats.js';
import { loadManuscript, type LoadOptions } from '../manuscript/load.js';
import { ImageRefused, readLocalImage, type Asset } from '../manuscript/images.js';
import { problem } from '../base/problems.js';
import { slugOf } from '../manuscript/identity.js';
import { catalogueEntry, type CatalogueEntry } from './entry.js';
import { LIBRARY_FILE, type LeafletSource, type LibraryConfig } from './config.js';
import { coverFiles, type CoverFile } from './thumbnail.js';
import { CATALOGUE_PAGE } from './site.js';

export interface LeafletBuildOptions {
  formats: readonly Format[];
  strict: boolean;
  buildTime: Date;
}

export interface LibraryContext {
  root: string;
  config: LibraryConfig;
  /** dist/: each leaflet goes into a folder of its own in it. */
  outDir: string;
  browser: SharedBrowser;
  options: LeafletBuildOptions;
  /** Claims a slug for a leaflet, or throws when another leaflet of the library has it. */
  claimSlug?: (slug: string, leaflet: LeafletSource) => void;
}

export interface LeafletBuilt {
  entry: CatalogueEntry;
  warnings: VFileMessage[];
  /** The files written, in `<out>/<slug>/`. */
  written: string[];
}

/** A leaflet that failed for several problems at once: its warnings under `strict`, or what a worker found. */
export class LeafletFailed extends Error {
  constructor(readonly problems: VFileMessage[]) {
    super(problems.map((found) => found.reason).join('; '));
  }
}

export async function buildLeaflet(leaflet: LeafletSource, context: LibraryContext): Promise<LeafletBuilt> {
  const { root, config, options } = context;
  refuseLinks(root, leaflet);
  const manuscript = await loadManuscript(leaflet.input, await leafletLoadOptions(root, config));
  const slug = slugOf(manuscript.metadata);
  // Where the library is published gives each leaflet its addresses: its web edition's (where the QR code leads) and its ebook's.
  if (config.downloadBaseUrl) {
    const base = config.downloadBaseUrl.endsWith('/') ? config.downloadBaseUrl : `${config.downloadBaseUrl}/`;
    const { downloadUrl = new URL(`${slug}/${slug}.epub`, base).href, siteUrl = new URL(`${slug}/`, base).href } = manuscript.metadata;
    manuscript.metadata = { ...manuscript.metadata, downloadUrl, siteUrl };
  }
  context.claimSlug?.(slug, leaflet);
  let images: CoverFile[] = [];
  const { files, warnings, languages } = await build({
    input: leaflet.input,
    outDir: path.join(context.outDir, slug),
    formats: options.formats,
    strict: options.strict,
    buildTime: options.buildTime,
    browser: context.browser,
    manuscript,
    companions: async (_, cover) => (images = cover ? await coverFiles(cover) : []),
    library: { title: config.title, href: `../${CATALOGUE_PAGE}`, url: config.downloadBaseUrl },
  });
  const [source, ...translations] = languages;
  if (!source) throw new LeafletFailed(warnings);
  return { entry: catalogueEntry(leaflet.id, source, images, translations), warnings, written: files };
}

/** How a leaflet of the library is loaded: under the library's shared front matter, with its logo. */
export async function leafletLoadOptions(root: string, config: LibraryConfig): Promise<LoadOptions> {
  return { defaults: config.defaults, logo: config.logo ? await libraryLogo(root, config.logo) : undefined };
}

async function libraryLogo(root: string, logo: string): Promise<Asset> {
  return readLocalImage(logo, root, root).catch((error: unknown) => {
    if (!(error instanceof ImageRefused)) throw error;
    throw problem(`library \`logo\`: ${error.message}`, { file: path.join(root, LIBRARY_FILE), hint: error.note });
  });
}

/** A leaflet built from a symbolic link is refused: a link may lead anywhere on the machine. */
export function refuseLinks(root: string, leaflet: LeafletSource): void {
  if (!leaflet.links.length) return;
  throw problem(`symbolic link refused: ${leaflet.links[0]}`, {
    file: path.join(root, leaflet.links[0]!),
    hint: 'A library is built only from the files inside it (a queue sends them to other machines): copy the file here instead of linking it.',
  });
}
