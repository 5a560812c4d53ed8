import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OperatorError } from '../../src/errors.js';
import { wizardMessages } from '../../src/i18n/wizard.js';
import { parseSite } from '../../src/runbook/site.js';
import { exampleDraft, exampleSiteYaml, renderSiteYaml, type SiteDraft } from '../../src/wizard/site-document.js';
import { writeSiteFile } from '../../src/wizard/write-site.js';
import { wrapText } from '../../src/wizard/ask.js';
import stringWidth from 'string-width';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const EXAMPLE = path.join(root, 'inventory/site.example.yaml');
const t = wizardMessages('en');

function minimalDraft(): SiteDraft {
  return {
    site: 'small',
    esxi: { user: 'root', auth: { method: 'agent' }, hosts: [{ name: 'esx01', address: '127.0.0.1', port: 22 }] },
    ontap: { name: 'c1', address: '127.0.0.1', port: 2222, user: 'admin', auth: { method: 'password', passwordEnv: 'ONTAP_PW' } },
    relationship: { source: 'a:b', destination: 'c:d' },
    datastores: {
      primary: { name: 'p', nfsHost: 'n1', share: '/b' },
      mirror: { name: 'm', nfsHost: 'n2', share: '/d' },
    },
    jobs: ['j'],
    priorityGroups: [],
  };
}

describe('the shipped example site file', () => {
  it('is valid', () => {
    const site = parseSite(readFileSync(EXAMPLE, 'utf8'), EXAMPLE);
    expect(site.esxi.hosts).toHaveLength(2);
    expect(site.callouts).toHaveLength(2);
    expect(site.vcenter).toEqual({ vm: 'vcsa01' });
  });

  it('is what the renderer writes, so the example and init never drift apart', () => {
    // Regenerate with: npx tsx -e "import('./src/wizard/site-document.ts').then(m => process.stdout.write(m.exampleSiteYaml()))" > inventory/site.example.yaml
    expect(readFileSync(EXAMPLE, 'utf8')).toBe(exampleSiteYaml());
  });

  it('is valid in Japanese too, with every value unchanged', () => {
    const ja = parseSite(exampleSiteYaml('ja'), 'ja.yaml');
    const en = parseSite(exampleSiteYaml('en'), 'ja.yaml');
    expect(ja).toEqual(en);
    expect(exampleSiteYaml('ja')).toContain('# サイトの名前');
  });
});

describe('renderSiteYaml', () => {
  it('writes a minimal draft that parseSite accepts, with defaults spelled out and comments for what is missing', () => {
    const text = renderSiteYaml(minimalDraft(), { lang: 'en', header: { kind: 'wizard', date: '2026-01-02' } });
    const site = parseSite(text, 'x.yaml');
    expect(site.esxi.hosts[0]?.hostKey).toBeUndefined();
    expect(site.ontap.auth).toEqual({ method: 'password', passwordEnv: 'ONTAP_PW' });
    expect(site.concurrency).toEqual({ perHost: 4, hosts: 16 });
    expect(site.vcenter).toBeUndefined();
    expect(text).toContain('# No hostKey for esx01 yet');
    expect(text).toContain('# No hostKey for c1 yet');
    expect(text).toContain('# vcenter: { vm: <display name> }');
    expect(text).not.toContain('null');
  });

  it('round-trips the example draft', () => {
    const site = parseSite(exampleSiteYaml(), 'x.yaml');
    const d = exampleDraft();
    expect(site.esxi.hosts.map((h) => h.hostKey)).toEqual(d.esxi.hosts.map((h) => h.hostKey));
    expect(site.priorityGroups).toEqual(d.priorityGroups);
  });
});

describe('writeSiteFile', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'drbook-site-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const text = (): string => renderSiteYaml(minimalDraft(), { lang: 'en', header: { kind: 'example' } });

  it('writes mode 0600 and leaves no temp file', () => {
    const file = path.join(dir, 'site.yaml');
    writeSiteFile(file, text(), { force: false, t });
    expect(readFileSync(file, 'utf8')).toBe(text());
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['site.yaml']);
  });

  it('refuses to overwrite without force and keeps the old file', () => {
    const file = path.join(dir, 'site.yaml');
    writeFileSync(file, 'old\n');
    const err = (() => {
      try {
        writeSiteFile(file, text(), { force: false, t });
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(OperatorError);
    expect((err as OperatorError).hint).toBe('pass --force to replace it, or --out with another file name');
    expect(readFileSync(file, 'utf8')).toBe('old\n');
    expect(readdirSync(dir)).toEqual(['site.yaml']);
  });

  it('replaces with force', () => {
    const file = path.join(dir, 'site.yaml');
    writeFileSync(file, 'old\n', { mode: 0o644 });
    writeSiteFile(file, text(), { force: true, t });
    expect(readFileSync(file, 'utf8')).toBe(text());
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('refuses text that is not a valid site file, and writes nothing', () => {
    const file = path.join(dir, 'site.yaml');
    expect(() => writeSiteFile(file, 'site: "bad name"\n', { force: false, t })).toThrow(OperatorError);
    expect(existsSync(file)).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('wrapText', () => {
  it('wraps English at spaces and keeps a long path whole', () => {
    expect(wrapText('If that shell does not find ssh-keygen, it is at /usr/lib/vmware/openssh/bin/ssh-keygen.', 40)).toEqual([
      'If that shell does not find ssh-keygen,',
      'it is at',
      '/usr/lib/vmware/openssh/bin/ssh-keygen.',
    ]);
  });

  it('wraps Japanese between characters by display width', () => {
    const lines = wrapText('ホスト自身のコンソールで次のコマンドを実行し、表示と比べてください:', 20);
    expect(lines.join('')).toBe('ホスト自身のコンソールで次のコマンドを実行し、表示と比べてください:');
    for (const l of lines) expect(stringWidth(l)).toBeLessThanOrEqual(20);
    expect(lines.length).toBeGreaterThan(1);
  });
});
