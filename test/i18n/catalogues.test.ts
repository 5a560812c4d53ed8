/**
 * The Japanese catalogues: every key of the English one (the type says so at compile time; this
 * checks the nested records too, at run time) and no English sentence left untranslated.
 */
import { describe, expect, it } from 'vitest';
import { commandMessages } from '../../src/i18n/commands.js';
import { commonMessages } from '../../src/i18n/common.js';
import { demoMessages } from '../../src/i18n/demo.js';
import { failoverMessages } from '../../src/i18n/failover.js';
import { lifecycleMessages } from '../../src/i18n/lifecycle.js';
import type { Lang } from '../../src/i18n/lang.js';
import { placementMessages } from '../../src/i18n/placement.js';
import { reportMessages } from '../../src/i18n/report.js';
import { uiMessages } from '../../src/i18n/ui.js';
import { versionMessages } from '../../src/i18n/version.js';
import { hypervMessages } from '../../src/i18n/hyperv.js';
import { drillPlanMessages } from '../../src/i18n/drill-plan.js';

const CATALOGUES: Record<string, (lang: Lang) => object> = {
  common: commonMessages,
  demo: demoMessages,
  failover: failoverMessages,
  report: reportMessages,
  commands: commandMessages,
  ui: uiMessages,
  version: versionMessages,
  placement: placementMessages,
  hyperv: hypervMessages,
  lifecycle: lifecycleMessages,
  drillPlan: drillPlanMessages,
};

/** Parameters that answer any name: strings, numbers, lists and flags all render as "X". */
function anyParams(): unknown {
  return new Proxy(
    {},
    {
      get: (_t, key) => (key === 'exts' ? ['.json', '.html'] : key === 'more' ? true : 'X'),
    },
  );
}

/** Every string a catalogue can produce, with its key path. */
function texts(value: unknown, at: string): [string, string][] {
  if (typeof value === 'string') return [[at, value]];
  if (typeof value === 'function') return texts((value as (p: unknown) => unknown)(anyParams()), at);
  if (Array.isArray(value)) return value.flatMap((v, i) => texts(v, `${at}[${i}]`));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => texts(v, at ? `${at}.${k}` : k));
  return [];
}

function shape(value: unknown): unknown {
  if (typeof value === 'function') return 'fn';
  if (typeof value === 'string') return 'string';
  if (Array.isArray(value)) return 'array';
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, shape((value as Record<string, unknown>)[k])]),
    );
  return typeof value;
}

/**
 * Runs of text without a Japanese character, minus what is verbatim on purpose: commands, flags,
 * paths, product names. A run of more than five English words left is an untranslated sentence.
 */
const VERBATIM = [
  /drbook [a-z-]+( [A-Za-z$./{}-]+)*/g, // drbook commands with their arguments
  /ssh -i \S+ -p \S+ \S+ vim-cmd \S+/g,
  /volume snapshot restore-file/g,
  /--[a-z-]+/g,
  /\S*\/\S*/g, // paths
  /I moved it/g, // the button ESXi shows, quoted
  /Windows Server|VMware Tools|ESXi Host Client|SnapMirror|SnapRestore|vCenter|VSC/g,
];
const JAPANESE = /[\u3000-\u30ff\u4e00-\u9fff\uff00-\uffef]/;

function englishRuns(text: string): string[] {
  let rest = text;
  for (const re of VERBATIM) rest = rest.replace(re, ' ');
  return rest
    .split(JAPANESE)
    .map((run) => run.split(/\s+/).filter((w) => /^[A-Za-z']{2,}[.,:;]?$/.test(w) && w !== 'X'))
    .filter((words) => words.length > 5)
    .map((words) => words.join(' '));
}

describe('catalogues', () => {
  for (const [name, of] of Object.entries(CATALOGUES)) {
    it(`${name}: ja has exactly the keys and kinds of en`, () => {
      // English shows the runbook's own step titles, so its stepTitles table is empty by design.
      const { stepTitles: _ja, ...ja } = of('ja') as Record<string, unknown>;
      const { stepTitles: _en, ...en } = of('en') as Record<string, unknown>;
      expect(shape(ja)).toEqual(shape(en));
    });

    it(`${name}: no English sentence left in ja`, () => {
      const left = texts(of('ja'), '').flatMap(([at, t]) => englishRuns(t).map((run) => `${at}: ${run}`));
      expect(left).toEqual([]);
    });
  }

  it('the heuristic does catch an English sentence', () => {
    expect(englishRuns('ロックダウン: the mirror becomes writable and stops receiving updates')).toHaveLength(1);
    expect(englishRuns('続行するには: drbook resume 20261122-0300-a9f9 --site /x/site.yaml')).toEqual([]);
  });

  it('a finding recorded with its parameters is said in Japanese; one without falls back to its stored English', async () => {
    const { findingText } = await import('../../src/i18n/commands.js');
    const ja = commandMessages('ja');
    const f = { message: 'x: no quiesce point', detail: { key: 'noQuiesceAny' as const, params: { vm: 'ウェブ01', examined: 3 } } };
    expect(findingText(ja, f)).toBe(
      'ウェブ01: どの VSC バックアップにも静止点がありません (3件を確認)。どのジョブにも入っていないか、VMware スナップショットが毎回失敗しています',
    );
    expect(findingText(commandMessages('en'), f)).toBe(
      'ウェブ01: no quiesce point in any VSC backup (3 examined): it is in no job, or its VMware snapshot failed every time',
    );
    expect(findingText(ja, { message: 'old capture' })).toBe('old capture');
  });
});
