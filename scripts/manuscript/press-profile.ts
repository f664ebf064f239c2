/**
 * The print shop's ICC output profile, which a press file (front matter `press: true`, or the `a4-press`
 * edition) names as its PDF/X output intent: the press and paper it is to be printed on. A file inside
 * the manuscript folder, read and checked here (the `icc` package reads its header and description), so
 * that a missing or wrong profile is an error at its key before anything is printed.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'icc';
import type { Point } from 'unist';
import type { VFile } from 'vfile';
import { fileProblem } from '../base/problems.js';
import { EDITIONS } from '../base/editions.js';
import type { Metadata } from './metadata.js';

export interface PressProfile {
  /** Path relative to the manuscript folder, as the front matter names it. */
  key: string;
  bytes: Uint8Array;
  /** The colour space of the press: the output intent's components. */
  colorSpace: 'CMYK' | 'RGB' | 'GRAY';
  /** The profile's own description (`Coated FOGRA39`): the output condition it names. */
  description: string;
}

/** What a press file is made with: the print shop's profile, and sRGB for the colours the page is written in. */
export interface PressInput {
  profile: PressProfile;
  /** templates/pdf/sRGB.icc. */
  srgb: Uint8Array;
}

const COMPONENTS = { CMYK: 4, RGB: 3, GRAY: 1 } as const;
export const componentsOf = (profile: Pick<PressProfile, 'colorSpace'>) => COMPONENTS[profile.colorSpace];

/** Whether the front matter asks for a press file: `press: true`, or an edition printed for the press only. */
export const wantsPress = (metadata: Pick<Metadata, 'press' | 'editions'>) => metadata.press === true || metadata.editions.some((id) => EDITIONS[id].pressOnly);

const HOW = 'Ask the print shop for the ICC profile of their press and paper (FOGRA39 or FOGRA51 for coated paper in Europe, GRACoL or SWOP in the US), save it in the manuscript folder and name it in the front matter: `pressProfile: FOGRA39.icc`.';

/**
 * The profile front matter `pressProfile` names, when a press file is asked for; each problem recorded on
 * `file`, at its key (`placeOf`).
 */
export async function readPressProfile(metadata: Metadata, root: string, file: VFile, placeOf: (key: string) => Point): Promise<PressProfile | undefined> {
  if (!wantsPress(metadata)) return undefined;
  const text = String(file.value);
  const error = (reason: string, key: string, hint: string) => {
    fileProblem(file, reason, { place: placeOf(key), hint, ruleId: 'press-profile', fatal: true });
    return undefined;
  };
  const src = metadata.pressProfile;
  const asking = /^press\s*:/m.test(text) ? 'press' : 'editions';
  if (!src) return error('a press file needs the print shop’s ICC output profile, and `pressProfile` names none', asking, HOW);
  const absolutePath = path.resolve(root, src);
  const key = path.relative(root, absolutePath).split(path.sep).join('/');
  if (/^[a-z][a-z0-9+.-]*:/i.test(src) || key.startsWith('../') || path.isAbsolute(key)) {
    return error(`the press profile must be a file inside the manuscript folder: ${src}`, 'pressProfile', `Copy it into ${root} and name it from there.`);
  }
  const bytes = await readFile(absolutePath).catch(() => undefined);
  if (!bytes) return error(`press profile not found: ${src}`, 'pressProfile', `No file at ${absolutePath}: check the spelling and the folder. ${HOW}`);
  let profile: ReturnType<typeof parse> | undefined;
  try {
    profile = bytes.subarray(36, 40).toString('latin1') === 'acsp' ? parse(bytes) : undefined;
  } catch {
    profile = undefined;
  }
  if (!profile) return error(`not an ICC profile: ${src}`, 'pressProfile', HOW);
  const colorSpace = profile.colorSpace?.trim().toUpperCase();
  const output = profile.deviceClass === 'Printer' || (profile.deviceClass === 'Monitor' && colorSpace === 'RGB');
  if (!output || (colorSpace !== 'CMYK' && colorSpace !== 'RGB' && colorSpace !== 'GRAY')) {
    return error(
      `${src} is a ${profile.deviceClass ?? 'unknown'} profile in ${colorSpace ?? 'an unknown colour space'}, not a press’s output profile in CMYK, RGB or grey`,
      'pressProfile',
      HOW,
    );
  }
  return { key, bytes, colorSpace, description: profile.description?.trim() || path.basename(src, path.extname(src)) };
}
