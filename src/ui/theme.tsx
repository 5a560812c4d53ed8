import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import { useInput, useStdout, type Key } from 'ink';
import type { Lang } from '../i18n/lang.js';
import { uiMessages, type UiMessages } from '../i18n/ui.js';
import { commonMessages, type CommonMessages } from '../i18n/common.js';

export interface Ui {
  lang: Lang;
  msg: UiMessages;
  common: CommonMessages;
  /** NO_COLOR: no colours, no bold or inverse either; icons and words carry the state. */
  noColor: boolean;
}

const UiContext = createContext<Ui | undefined>(undefined);

export function UiProvider(props: { lang: Lang; noColor: boolean; children: ReactNode }) {
  const value: Ui = {
    lang: props.lang,
    msg: uiMessages(props.lang),
    common: commonMessages(props.lang),
    noColor: props.noColor,
  };
  return <UiContext.Provider value={value}>{props.children}</UiContext.Provider>;
}

export function useUi(): Ui {
  const ui = useContext(UiContext);
  if (!ui) throw new Error('useUi() outside <UiProvider>');
  return ui;
}

/** Text props for a colour, or none under NO_COLOR. */
export function tint(ui: Ui, color: string | undefined, extra?: { bold?: boolean; dim?: boolean; inverse?: boolean }) {
  if (ui.noColor) return {};
  return { ...(color ? { color } : {}), ...extra };
}

/** Terminal size, updated on resize (Ink re-lays out; we recompute column widths). */
export function useTerminalSize(): { columns: number; rows: number } {
  const { stdout } = useStdout();
  const read = () => ({ columns: stdout.columns || 80, rows: stdout.rows || 24 });
  const [size, setSize] = useState(read);
  useEffect(() => {
    const onResize = () => setSize(read());
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `read` only reads `stdout`'s size
  }, [stdout]);
  return size;
}

/** The wall clock, ticking once a second while `active` (elapsed times and ETAs). */
export function useNow(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [active]);
  return now;
}

/** The keys a terminal sends as one character that Ink names (Ink's own parse-keypress). */
const CONTROL_KEYS: Record<string, Partial<Key>> = {
  '\r': { return: true },
  '\n': { return: true },
  '\t': { tab: true },
  '\b': { backspace: true },
  '\x7f': { delete: true },
};

/**
 * useInput whose handler always sees the latest state: Ink re-subscribes a new handler only in
 * an effect, so keys arriving in one burst (typing over SSH, a paste) would hit a stale closure.
 * Ink hands the characters of one read that are not escape sequences to the handler as one string
 * (Space then Enter over a slow jump host, or tmux send-keys, is " \r"): each is passed on as the
 * key it is, so none is lost and a paste still types every character.
 */
export function useKeys(handler: (input: string, key: Key) => void, options?: { isActive?: boolean }): void {
  const ref = useRef(handler);
  ref.current = handler;
  const stable = useCallback((input: string, key: Key) => {
    const chars = Array.from(input);
    if (chars.length <= 1) return ref.current(input, key);
    const plain: Key = { ...key, return: false, tab: false, backspace: false, delete: false };
    for (const ch of chars) {
      const control = CONTROL_KEYS[ch];
      ref.current(control ? '' : ch, control ? { ...plain, ...control } : plain);
    }
  }, []);
  useInput(stable, options);
}

/**
 * State whose latest value key handlers can read at once (`ref.current`), even when several
 * keys arrive before React has rendered: typing fast or pasting must not lose characters.
 */
export function useSyncState<T>(initial: T | (() => T)): [T, (next: T | ((prev: T) => T)) => void, { readonly current: T }] {
  const [value, setValue] = useState(initial);
  const ref = useRef(value);
  const set = useCallback((next: T | ((prev: T) => T)) => {
    const v = typeof next === 'function' ? (next as (prev: T) => T)(ref.current) : next;
    ref.current = v;
    setValue(v);
  }, []);
  return [value, set, ref];
}
