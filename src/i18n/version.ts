import { pick, type Lang } from './lang.js';

/** What `drbook --version --verbose` says when the native module does not load. */
const en = {
  sqliteUnavailable: (p: { error: string }) => `sqlite unavailable: better-sqlite3 did not load: ${p.error}`,
  nativeModuleHint:
    'drbook: the native module better-sqlite3 is not built for this Node: install drbook again with this Node (building it needs python3, make and a C++ compiler: see "Install" in the README)',
};

export type VersionMessages = typeof en;

const ja: VersionMessages = {
  sqliteUnavailable: (p) => `sqlite 利用不可: better-sqlite3 を読み込めませんでした: ${p.error}`,
  nativeModuleHint:
    'drbook: ネイティブモジュール better-sqlite3 がこの Node 用にビルドされていません。この Node で drbook をインストールし直してください (ビルドには python3、make、C++ コンパイラが必要です。README の「Install」を参照)',
};

export function versionMessages(lang: Lang): VersionMessages {
  return pick(lang, { en, ja });
}
