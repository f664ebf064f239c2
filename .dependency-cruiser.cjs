/**
 * The shape of scripts/, checked by dependency-cruiser in `npm test` (test/architecture.test.ts)
 * and by hand with `npx depcruise scripts`: no import cycle, and no import from a lower stage into
 * a higher one. docs/architecture.md draws the layers.
 *
 * Stages, lowest first: a module may import its own stage and any lower one, never a higher one.
 */
const STAGES = [
  ['base', '^scripts/base/'],
  ['languages', '^scripts/languages/'],
  ['fonts and browser', '^scripts/(fonts|browser)/'],
  ['manuscript', '^scripts/manuscript/'],
  ['render', '^scripts/render/'],
  ['pdf post-processing', '^scripts/pdf-postprocess/'],
  ['outputs', '^scripts/outputs/'],
  ['the flow', '^scripts/(prepare|build)\\.ts$'],
  ['check, preview, library and review', '^scripts/(check|preview|library|review)/'],
  ['entry points, bench and developer tools', '^scripts/(cli|bench|dev-tools)/'],
];

const higherStages = STAGES.slice(0, -1).map(([name, path], index) => ({
  name: `not-into-a-higher-stage-from-${name.replace(/\W+/g, '-')}`,
  comment: `${name} imports only its own stage and those below it`,
  severity: 'error',
  from: { path },
  to: { path: STAGES.slice(index + 1).map(([, higher]) => higher) },
}));

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'A cycle ties modules that should be read and changed one at a time.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    ...higherStages,
    {
      name: 'entry-points-are-imported-by-nothing',
      comment: 'scripts/cli/ holds programs: the pipeline never depends on its command line.',
      severity: 'error',
      from: { path: '^scripts/', pathNot: '^scripts/cli/' },
      to: { path: '^scripts/cli/' },
    },
    {
      name: 'bench-and-developer-tools-are-not-the-product',
      comment: 'The build never runs the bench or the tests’ helpers.',
      severity: 'error',
      from: { path: '^scripts/', pathNot: '^scripts/(bench|dev-tools)/' },
      to: { path: '^scripts/(bench|dev-tools)/' },
    },
    {
      name: 'scripts-do-not-import-tests',
      severity: 'error',
      from: { path: '^scripts/' },
      to: { path: '^test/' },
    },
    {
      name: 'every-module-is-known',
      comment: 'A relative import that resolves to nothing is a typo, or a file moved without its importers.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true, path: '^[.]' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^scripts/types/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.mts', '.mjs', '.js', '.d.ts'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};
