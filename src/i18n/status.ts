import type { NextStep, SiteReason, SiteStateName } from '../site/state.js';
import { pick, type Lang } from './lang.js';

/**
 * `drbook status` and the site-state lines `drbook check` prints: the state in one word, the
 * sentence that says why, and what to do next. Ids, paths, names and device words stay verbatim.
 */
const en = {
  stateWord: {
    protected: 'PROTECTED',
    'primary-lost': 'PRIMARY LOST',
    'failover-in-progress': 'FAILOVER IN PROGRESS',
    'failed-over': 'FAILED OVER',
    reprotecting: 'REPROTECTING',
    reprotected: 'REPROTECTED',
    'failing-back': 'FAILING BACK',
    unknown: 'UNKNOWN',
  } as Record<SiteStateName, string>,
  reason: (r: SiteReason, x: { primary: string; mirror: string; source: string; destination: string }): string => {
    switch (r.kind) {
      case 'protected':
        return r.healthy === false
          ? `${x.source} is mirrored to ${x.destination}, but ONTAP says the relationship is not healthy.`
          : `${x.source} is mirrored to ${x.destination} and the VMs run from ${x.primary}.`;
      case 'primary-lost':
        return r.why === 'volume-missing'
          ? `The primary volume ${x.source} is gone from the cluster; the mirror ${x.destination} still holds the last transfer.`
          : r.why === 'volume-offline'
            ? `The primary volume ${x.source} is ${r.volumeState ?? 'not online'}; the mirror ${x.destination} still holds the last transfer.`
            : `Datastore ${x.primary} is missing or inaccessible on every host that could be read (${r.hosts.join(', ')}).`;
      case 'broken-nothing-on-mirror':
        return `The relationship is broken off, and no VM is registered from ${x.mirror} yet.`;
      case 'run-unfinished':
        return `Failover run ${r.runId} did not finish (${r.status}).`;
      case 'partly-recovered':
        return `The relationship is broken off and ${r.onMirror} of the ${r.expected} VMs of the last good capture are registered from ${x.mirror}.`;
      case 'failed-over':
        return r.evidence === 'devices'
          ? `The relationship is broken off; ${r.registered} VM(s) are registered from ${x.mirror} (${r.running} running) on ${r.hosts.join(', ')}.` +
              (r.notRead.length > 0
                ? ` Partial count: ${r.notRead.length} host(s) could not be looked into (${r.notRead.join(', ')}: lockdown or no answer).`
                : '')
          : `The relationship is broken off and a failover finished; lockdown on ${r.hosts.join(', ')} hides which VMs run from ${x.mirror}.`;
      case 'quiesced':
        return `The relationship is quiesced: transfers to ${x.destination} are stopped.`;
      case 'ontap-unreachable':
        return `The cluster could not be read: ${r.error}`;
      case 'no-relationship':
        return `No SnapMirror relationship into ${x.destination} was found.`;
      case 'relationship-state':
        return `The relationship is ${r.state ?? 'in an unknown state'}.`;
      case 'reprotecting':
        return r.state === null
          ? `Reprotect run ${r.runId ?? '?'} did not finish: the relationship ${x.destination} → ${x.source} is not set up yet.`
          : `The VMs run from ${x.mirror}; the way back ${x.destination} → ${x.source} is ${r.state} (${r.status ?? '?'}): its transfer is not done yet.`;
      case 'reprotected':
        return `The VMs run from ${x.mirror}, and ${x.destination} is mirrored back to ${x.source} (lag ${r.lag ?? '?'}).`;
      case 'failing-back':
        return r.runId
          ? `Failback run ${r.runId} did not finish (the way back is ${r.reverseState ?? 'gone'}).`
          : `The way back ${x.destination} → ${x.source} is broken off: a failback started.`;
    }
  },
  next: (n: NextStep, file: string): string => {
    switch (n.kind) {
      case 'nothing':
        return `nothing to do; drbook check --site ${file} says whether the site is ready for the day it is needed`;
      case 'failover':
        return `this is the failover situation: drbook failover --site ${file}`;
      case 'resume':
        return `continue it: drbook resume ${n.runId} (it reads the site again before it acts)`;
      case 'continue-failover':
        return `drbook failover --site ${file} continues: it recovers only the VMs that are not back yet`;
      case 'reprotect-failback':
        return 'do not fail over again; once the primary is back, reprotect (reverse resync), then fail back';
      case 'check':
        return `drbook check --site ${file} says what is wrong`;
      case 'drill-cleanup':
        return `an unfinished drill left its clone: drbook drill cleanup --site ${file}`;
      case 'wait-reprotect':
        return `wait for the transfer to finish (drbook status --site ${file} again), then drbook failback --site ${file} in a maintenance window`;
      case 'failback':
        return `in a maintenance window: drbook failback --site ${file} (the VMs are shut down and come back on the original volume)`;
      case 'reprotect':
        return `the original volume is back: drbook reprotect --site ${file} mirrors the site back to it`;
    }
  },
  title: (p: { site: string; word: string; sentence: string }) => `site ${p.site}: ${p.word} — ${p.sentence}`,
  drillRunning: (p: { clones: string }) => `a drill is running beside it (${p.clones})`,
  labelRelationship: 'relationship',
  labelBackup: 'mirror backup',
  labelCapture: 'capture',
  labelRun: 'last run',
  labelLock: 'lock',
  labelDrill: 'drill',
  labelHost: 'hosts',
  labelNext: 'next',
  relationship: (p: { source: string; destination: string; state: string; status: string; healthy: string; lag: string }) =>
    `${p.source} → ${p.destination}: ${p.state}, ${p.status}, ${p.healthy}; lag ${p.lag}`,
  noRelationship: 'none found',
  replacedByReverse: (p: { source: string; destination: string }) =>
    `none: reprotect replaced it by the way back ${p.source} → ${p.destination} (failback makes it again)`,
  healthy: 'healthy',
  unhealthy: 'not healthy',
  unknown: 'unknown',
  backup: (p: { name: string; age: string }) => `${p.name}, ${p.age} old`,
  backupNoTime: (p: { name: string }) => `${p.name} (time unknown)`,
  noBackup: 'no VSC snapshot on the mirror',
  capture: (p: { id: string; age: string; vms: number }) => `${p.id}, ${p.age} old, ${p.vms} VMs`,
  noCapture: 'none (run drbook capture before you need it)',
  degraded: (p: { id: string; reason: string }) => `the newest, ${p.id}, is degraded (${p.reason}) and is not used`,
  run: (p: { id: string; kind: string; status: string; age: string }) => `${p.id}: ${p.kind} ${p.status}, ${p.age} ago`,
  noRun: 'none in this database',
  lock: (p: { runId: string; kind: string; pid: number; host: string; age: string }) =>
    `held by ${p.kind} run ${p.runId} (pid ${p.pid} on ${p.host}), for ${p.age}`,
  noLock: 'free',
  host: (p: { name: string; lockdown: string; primary: string; mirror: string; vms: string }) =>
    `${p.name}: lockdown ${p.lockdown}; ${p.primary}; ${p.mirror}; ${p.vms}`,
  hostUnreachable: (p: { name: string; error: string }) => `${p.name}: could not be reached (${p.error})`,
  hostHidden: (p: { name: string }) => `${p.name}: lockdown on (what runs there is hidden)`,
  on: 'on',
  off: 'off',
  datastore: (p: { name: string; access: string }) => `${p.name} ${p.access}`,
  access: { accessible: 'accessible', inaccessible: 'inaccessible', missing: 'not mounted' } as Record<
    'accessible' | 'inaccessible' | 'missing',
    string
  >,
  hostVms: (p: { primary: number; mirror: number; running: number }) =>
    `${p.primary} VM(s) from the primary, ${p.mirror} from the mirror (${p.running} running)`,
  noDb: (p: { file: string }) => `(no database at ${p.file}: runs, captures and the lock are unknown)`,
  duration: (s: number): string => {
    if (s < 60) return `${s} s`;
    const min = Math.floor(s / 60);
    if (min < 60) return `${min} min`;
    const h = Math.floor(min / 60);
    if (h < 48) return `${h} h ${min % 60} min`;
    return `${Math.floor(h / 24)} days ${h % 24} h`;
  },
};

export type StatusMessages = typeof en;

const ja: StatusMessages = {
  stateWord: {
    protected: '保護中',
    'primary-lost': 'プライマリ喪失',
    'failover-in-progress': 'フェイルオーバー途中',
    'failed-over': 'フェイルオーバー済み',
    reprotecting: '再保護中',
    reprotected: '再保護済み',
    'failing-back': 'フェイルバック中',
    unknown: '不明',
  },
  reason: (r, x) => {
    switch (r.kind) {
      case 'protected':
        return r.healthy === false
          ? `${x.source} は ${x.destination} へミラーされていますが、ONTAP は関係が正常でないと報告しています。`
          : `${x.source} は ${x.destination} へミラーされ、VM は ${x.primary} から動いています。`;
      case 'primary-lost':
        return r.why === 'volume-missing'
          ? `プライマリ ボリューム ${x.source} がクラスタにありません。ミラー ${x.destination} には最後の転送が残っています。`
          : r.why === 'volume-offline'
            ? `プライマリ ボリューム ${x.source} は ${r.volumeState ?? 'オンラインではありません'} です。ミラー ${x.destination} には最後の転送が残っています。`
            : `データストア ${x.primary} が、読み取れたすべてのホスト (${r.hosts.join(', ')}) で見つからないかアクセスできません。`;
      case 'broken-nothing-on-mirror':
        return `関係は解除されていますが、${x.mirror} から登録された VM はまだありません。`;
      case 'run-unfinished':
        return `フェイルオーバーの実行 ${r.runId} は終わっていません (${r.status})。`;
      case 'partly-recovered':
        return `関係は解除され、最後の正常なキャプチャの ${r.expected} 台のうち ${r.onMirror} 台が ${x.mirror} から登録されています。`;
      case 'failed-over':
        return r.evidence === 'devices'
          ? `関係は解除され、${r.hosts.join(', ')} で ${r.registered} 台の VM が ${x.mirror} から登録されています (実行中 ${r.running} 台)。` +
              (r.notRead.length > 0
                ? `一部のみの台数です: ${r.notRead.length} 台のホスト (${r.notRead.join(', ')}) はロックダウン中または応答がなく、確認できませんでした。`
                : '')
          : `関係は解除され、フェイルオーバーは完了しています。${r.hosts.join(', ')} はロックダウン中のため、${x.mirror} から動いている VM は見えません。`;
      case 'quiesced':
        return `関係は休止中です: ${x.destination} への転送は止まっています。`;
      case 'ontap-unreachable':
        return `クラスタを読み取れませんでした: ${r.error}`;
      case 'no-relationship':
        return `${x.destination} への SnapMirror 関係が見つかりません。`;
      case 'relationship-state':
        return `関係の状態は ${r.state ?? '不明'} です。`;
      case 'reprotecting':
        return r.state === null
          ? `再保護の実行 ${r.runId ?? '?'} は終わっていません: ${x.destination} → ${x.source} の関係はまだできていません。`
          : `VM は ${x.mirror} から動いています。戻りの関係 ${x.destination} → ${x.source} は ${r.state} (${r.status ?? '?'}) で、転送はまだ終わっていません。`;
      case 'reprotected':
        return `VM は ${x.mirror} から動いており、${x.destination} は ${x.source} へミラーされています (遅延 ${r.lag ?? '?'})。`;
      case 'failing-back':
        return r.runId
          ? `フェイルバックの実行 ${r.runId} は終わっていません (戻りの関係: ${r.reverseState ?? 'なし'})。`
          : `戻りの関係 ${x.destination} → ${x.source} が解除されています: フェイルバックが始まっています。`;
    }
  },
  next: (n, file) => {
    switch (n.kind) {
      case 'nothing':
        return `対応は不要です。必要な日に備えられているかは drbook check --site ${file} で確認できます`;
      case 'failover':
        return `フェイルオーバーが必要な状況です: drbook failover --site ${file}`;
      case 'resume':
        return `続行してください: drbook resume ${n.runId} (実行前にサイトを読み直します)`;
      case 'continue-failover':
        return `drbook failover --site ${file} で続行できます: まだ戻っていない VM だけを復旧します`;
      case 'reprotect-failback':
        return '再度フェイルオーバーしないでください。プライマリが戻ったら再保護 (逆方向の再同期) してからフェイルバックします';
      case 'check':
        return `drbook check --site ${file} で問題を確認してください`;
      case 'drill-cleanup':
        return `終わっていない訓練がクローンを残しています: drbook drill cleanup --site ${file}`;
      case 'wait-reprotect':
        return `転送の完了を待ってください (drbook status --site ${file} で再確認)。その後、メンテナンス時間内に drbook failback --site ${file}`;
      case 'failback':
        return `メンテナンス時間内に: drbook failback --site ${file} (VM を停止し、元のボリュームで起動し直します)`;
      case 'reprotect':
        return `元のボリュームが戻りました: drbook reprotect --site ${file} でサイトを逆方向にミラーします`;
    }
  },
  title: (p) => `サイト ${p.site}: ${p.word} — ${p.sentence}`,
  drillRunning: (p) => `訓練も実行中です (${p.clones})`,
  labelRelationship: '関係',
  labelBackup: 'ミラーのバックアップ',
  labelCapture: 'キャプチャ',
  labelRun: '最後の実行',
  labelLock: 'ロック',
  labelDrill: '訓練',
  labelHost: 'ホスト',
  labelNext: '次の手順',
  relationship: (p) => `${p.source} → ${p.destination}: ${p.state}、${p.status}、${p.healthy}。遅延 ${p.lag}`,
  noRelationship: '見つかりません',
  replacedByReverse: (p) => `なし: 再保護で戻りの関係 ${p.source} → ${p.destination} に置き換えました (フェイルバックで元に戻します)`,
  healthy: '正常',
  unhealthy: '異常',
  unknown: '不明',
  backup: (p) => `${p.name}、${p.age}前`,
  backupNoTime: (p) => `${p.name} (時刻不明)`,
  noBackup: 'ミラーに VSC スナップショットがありません',
  capture: (p) => `${p.id}、${p.age}前、VM ${p.vms} 台`,
  noCapture: 'なし (必要になる前に drbook capture を実行してください)',
  degraded: (p) => `最新の ${p.id} は劣化しているため使いません (${p.reason})`,
  run: (p) => `${p.id}: ${p.kind} ${p.status}、${p.age}前`,
  noRun: 'このデータベースにはありません',
  lock: (p) => `${p.kind} の実行 ${p.runId} が保持しています (${p.host} の pid ${p.pid})、${p.age}前から`,
  noLock: 'なし',
  host: (p) => `${p.name}: ロックダウン ${p.lockdown}。${p.primary}。${p.mirror}。${p.vms}`,
  hostUnreachable: (p) => `${p.name}: 接続できませんでした (${p.error})`,
  hostHidden: (p) => `${p.name}: ロックダウン中 (動いている VM は見えません)`,
  on: 'オン',
  off: 'オフ',
  datastore: (p) => `${p.name} ${p.access}`,
  access: { accessible: 'アクセス可', inaccessible: 'アクセス不可', missing: '未マウント' },
  hostVms: (p) => `プライマリから VM ${p.primary} 台、ミラーから ${p.mirror} 台 (実行中 ${p.running} 台)`,
  noDb: (p) => `(${p.file} にデータベースがありません: 実行、キャプチャ、ロックは不明です)`,
  duration: (s) => {
    if (s < 60) return `${s}秒`;
    const min = Math.floor(s / 60);
    if (min < 60) return `${min}分`;
    const h = Math.floor(min / 60);
    if (h < 48) return `${h}時間${min % 60}分`;
    return `${Math.floor(h / 24)}日${h % 24}時間`;
  },
};

export function statusMessages(lang: Lang): StatusMessages {
  return pick(lang, { en, ja });
}
