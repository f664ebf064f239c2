/** unist-util-visit-parents' source without the statement that names each visitor; the same source if it has none. */
export function withoutVisitorNames(source: string): string;
/** Bundle `entry` (a `.ts` file) into `outfile`. */
export function bundleScript(entry: string, outfile: string): Promise<void>;
