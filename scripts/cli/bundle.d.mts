import type vm from 'node:vm';
/** Where the bundle of `scripts/<name>.ts` for the current sources is, V8's compiled code of it, and the files no longer needed. */
export function bundleFiles(name: string): { bundle: string; compiled: string; outdated: () => string[] };
/** unist-util-visit-parents' source without the statement that names each visitor; the same source if it has none. */
export function withoutVisitorNames(source: string): string;
/** Bundle `entry` (a `.ts` file) into `outfile`, in ASCII (`asciiOnly`). */
export function bundleScript(entry: string, outfile: string): Promise<void>;
/** JavaScript with its non-ASCII characters written as escapes of the same meaning (a template literal's left as they are). */
export function asciiOnly(code: string): Promise<string>;
/** The bundle compiled by V8, with its compiled code from an earlier run when there is one. */
export function compileBundle(bundle: string, cachedData?: Buffer): vm.Script;
/** The packages the bundle leaves out, each replaced by a stand-in that throws, naming it, when used. */
export const LEFT_OUT: RegExp;
