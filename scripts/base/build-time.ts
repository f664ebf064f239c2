/**
 * The moment a build stands for: SOURCE_DATE_EPOCH (seconds since 1970) when
 * set, so that two builds of the same manuscript are byte-identical and tests
 * can pin the date the review check compares with; otherwise now.
 */
export function buildTimeFromEnv(env: NodeJS.ProcessEnv = process.env): Date {
  const epoch = env.SOURCE_DATE_EPOCH;
  return epoch && /^\d+$/.test(epoch) ? new Date(Number(epoch) * 1000) : new Date();
}
