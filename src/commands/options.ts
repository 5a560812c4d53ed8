/**
 * The options every command spells the same way, defined once: where the database is (one rule,
 * src/session/locate.ts), which site, which language.
 */
import { Option } from 'commander';

export function dbOption(): Option {
  return new Option('--db <path>', 'the drbook database (default: $DRBOOK_DB, else drbook.db beside the site file)');
}

export function siteOption(o: { required?: boolean; what?: string } = {}): Option {
  const opt = new Option('--site <file|name>', o.what ?? 'the site file, or the site name (its file in this folder)');
  return o.required ? opt.makeOptionMandatory(true) : opt;
}

export function langOption(o: { json?: boolean; what?: string } = {}): Option {
  return new Option(
    '--lang <lang>',
    o.what ?? (o.json ? 'en or ja (default: from LANG); JSON is never translated' : 'en or ja (default: from LANG)'),
  );
}
