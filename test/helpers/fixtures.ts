import { fileURLToPath } from 'node:url';

/**
 * The real device outputs the parsers and the lab are written against: a copy, in the repository,
 * of the project's shared fixtures (provenance in its README.md), so that `npm test` works in any
 * fresh clone. DRBOOK_FIXTURES points the tests at another folder of samples (e.g. your own hosts').
 */
export const FIXTURES_DIR = (process.env.DRBOOK_FIXTURES ?? fileURLToPath(new URL('../fixtures/devices/', import.meta.url))).replace(
  /\/?$/,
  '/',
);
