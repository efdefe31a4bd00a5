import { cliPackage, version } from '../../package.json';

/*
 * How the CLI reaches the repositories and CI systems that use it: the npm package (scoped, so
 * that nobody else's bare `landing-zone` package is ever what a pipeline installs), its version
 * (the extension's: one release, one number), the container image, and the job lines a CI
 * system runs. The generated pipelines, the README's CI section and the extension's "Copy CI
 * Snippet" all come from here, so they cannot disagree.
 */

/** The published name of the CLI package. */
export const CLI_PACKAGE: string = cliPackage.name;

/** The CLI's (and the extension's) version. */
export const CLI_VERSION: string = version;

/** `@scaleway-landing-zone/cli@X.Y.Z`: what a pipeline pins. */
export const CLI_SPEC = `${CLI_PACKAGE}@${CLI_VERSION}`;

/** The CI variable that holds what `npm install --global` installs: the pinned package, a mirror's URL or a tarball. */
export const PACKAGE_VARIABLE = 'LZ_CLI_PACKAGE';

/**
 * The install line, the same in every CI system. `--no-fund --no-audit` keep the log to the
 * point; the package is a bundle with one native dependency (the PNG rasteriser), so this takes
 * seconds and needs no package.json in the repository.
 */
export const INSTALL_LINE = `npm install --global --no-fund --no-audit "$${PACKAGE_VARIABLE}"`;

/** The node image that runs the CLI when it is installed with npm (the CLI needs Node ≥ 20.19.4). */
export const NODE_IMAGE = 'node:20';

export type CiSystem = 'gitlab' | 'github';

export interface CiSnippetOptions {
  /** The landing-zone file, relative to the repository root. */
  file?: string;
}

/**
 * A validation job for a merge request: the install line and `validate --format sarif`. This is
 * what the README's CI section shows and what "Copy CI Snippet" puts on the clipboard.
 */
export function ciSnippet(ci: CiSystem, options: CiSnippetOptions = {}): string {
  const file = options.file ?? 'landing-zone.yaml';
  if (ci === 'gitlab') {
    return [
      'landing-zone:validate:',
      `  image: ${NODE_IMAGE}`,
      '  variables:',
      `    ${PACKAGE_VARIABLE}: "${CLI_SPEC}"`,
      '  script:',
      `    - ${INSTALL_LINE}`,
      `    - landing-zone validate --file ${file} --format sarif > landing-zone.sarif`,
      '  artifacts:',
      '    when: always',
      '    paths: [landing-zone.sarif]',
      '',
    ].join('\n');
  }
  return [
    'name: landing-zone',
    'on: [push, pull_request]',
    'jobs:',
    '  validate:',
    '    runs-on: ubuntu-latest',
    '    env:',
    `      ${PACKAGE_VARIABLE}: "${CLI_SPEC}"`,
    '    steps:',
    '      - uses: actions/checkout@v4',
    '      - uses: actions/setup-node@v4',
    '        with: { node-version: 20 }',
    `      - run: ${INSTALL_LINE}`,
    `      - run: landing-zone validate --file ${file} --format sarif > landing-zone.sarif`,
    '      - if: always()',
    '        uses: github/codeql-action/upload-sarif@v3',
    '        with: { sarif_file: landing-zone.sarif }',
    '',
  ].join('\n');
}
