/**
 * Look at the failover screen in a real terminal:
 *   tmux new -d -s ui -x 80 -y 24 'npx tsx test/ui/preview.tsx [--ja] [--vms N] [--dialog typed|choose|checklist] [--done]'
 *   tmux capture-pane -p -t ui
 * Not a test: it renders a realistic run folded by the engine's reducer and keeps it alive.
 */
import { detectLang } from '../../src/i18n/lang.js';
import { InkPrompter } from '../../src/ui/ink-prompter.js';
import { renderFailover } from '../../src/ui/render-failover.js';
import { createStore } from '../../src/ui/store.js';
import { renderProgress } from '../../src/ui/render-progress.js';
import type { ProgressScreenData } from '../../src/ui/types.js';
import { runViewModel } from './fixtures.js';

const args = process.argv.slice(2);
const opt = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const lang = args.includes('--ja') ? 'ja' : detectLang(process.env);
if (args.includes('--progress')) {
  // capture/drill look: hosts advance every 300 ms, then the findings.
  const hosts = Array.from({ length: 6 }, (_, i) => ({
    id: `h${i}`,
    label: i % 2 ? `東京-esx0${i}` : `esx0${i}.dc1.example`,
    total: 20 + i * 5,
  }));
  const started = Date.now();
  const state = (t: number): ProgressScreenData => ({
    kind: 'capture',
    site: 'dc1',
    startedAt: started,
    rows: hosts.map((h, i) => {
      const done = Math.max(0, Math.min(h.total, t * 2 - i * 3));
      return {
        ...h,
        done,
        state: done >= h.total ? 'done' : done > 0 ? 'running' : 'waiting',
        activity: `vim-cmd vmsvc/get.summary ${done}`,
        startedAt: started,
        finishedAt: done >= h.total ? started + 1000 * i : undefined,
      };
    }),
    log: [],
    findings: [],
  });
  const pstore = createStore(state(0));
  let t = 0;
  const timer = setInterval(() => {
    t++;
    const next = state(t);
    if (next.rows.every((r) => r.state === 'done')) {
      clearInterval(timer);
      pstore.set({
        ...next,
        finishedAt: Date.now(),
        outcome: 'findings',
        findings: [
          {
            severity: 'warn',
            subject: 'app-db-0004',
            text: lang === 'ja' ? 'VSC スナップショットがありません。クラッシュ整合のみです。' : 'No VSC snapshot: crash-consistent only.',
          },
          {
            severity: 'error',
            subject: '会計サーバー-000',
            text: lang === 'ja' ? '.vmx の displayName が記録と異なります。' : 'The .vmx displayName differs from the record.',
          },
        ],
      });
    } else pstore.set(next);
  }, 300);
  const ps = renderProgress({ store: pstore, lang, noColor: 'NO_COLOR' in process.env, onInterrupt: () => {} });
  await ps.waitUntilExit();
  process.exit(0);
}
const vms = Number(opt('--vms') ?? 24);
const store = createStore(
  runViewModel({
    vms,
    japanese: lang === 'ja' || args.includes('--ja-names'),
    outcome: args.includes('--done') ? 'done' : args.includes('--failed') ? 'failed' : undefined,
  }),
);
const prompter = new InkPrompter();
const screen = renderFailover({
  viewModelStore: store,
  prompter,
  lang,
  noColor: 'NO_COLOR' in process.env,
  onPause: () => {},
  onQuit: () => {},
});
const dialog = opt('--dialog');
const ask = async () => {
  if (dialog === 'typed')
    return prompter.confirmTyped({
      promptId: 'p1',
      title: lang === 'ja' ? 'SnapMirror 関係を解除します' : 'Break the SnapMirror relationship',
      lines: [
        'snapmirror quiesce -destination-path svm2:vol_vm_mirror',
        'snapmirror break -destination-path svm2:vol_vm_mirror',
        lang === 'ja' ? 'ミラーは書き込み可能になり、更新は止まります。' : 'The mirror becomes writable and stops receiving updates.',
      ],
      expect: 'svm2:vol_vm_mirror',
    });
  if (dialog === 'checklist')
    return prompter.checklist({
      promptId: 'p2',
      title: lang === 'ja' ? 'vCenter を Windows Server Backup から復元してください' : 'Restore vCenter from Windows Server Backup',
      items: [
        'Open the console of vcenter01 on esx01',
        'Boot into Windows RE and restore the latest backup',
        'Wait until the vSphere Client answers',
      ],
    });
  if (dialog === 'choose')
    return prompter.choose({
      promptId: 'p3',
      title: lang === 'ja' ? 'VMの登録に失敗しました' : 'Registering a VM failed',
      lines: [],
      options: [
        { key: 'retry', label: 'Retry' },
        { key: 'skip', label: 'Skip' },
        { key: 'abort', label: 'Abort' },
      ],
      default: 'retry',
      failure: {
        vm: 'app-db-0004',
        host: 'esx01.dc1.example',
        command: "vim-cmd solo/registervm '/vmfs/volumes/ds_mirror/app-db-0004/app-db-0004.vmx' 'app-db-0004'",
        message: 'The specified key, name, or identifier already exists.',
      },
    });
  return undefined;
};
void ask().catch(() => {});
await screen.waitUntilExit();
