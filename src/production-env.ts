/**
 * Imported first by the entry points (cli.ts, the bench): React and its reconciler pick their
 * build when first loaded, and without NODE_ENV they load the development build, several times
 * slower per frame (checks, stack captures for warnings). Tests keep vitest's own NODE_ENV.
 */
process.env['NODE_ENV'] ??= 'production';
