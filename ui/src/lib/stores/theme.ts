// Light, dark, or whatever the system prefers; the choice is remembered on this machine.
import { writable } from 'svelte/store';

export type ThemeChoice = 'system' | 'light' | 'dark';
const KEY = 'assay.theme';

export function parseTheme(value: string | null | undefined): ThemeChoice {
  return value === 'light' || value === 'dark' ? value : 'system';
}

export function nextTheme(current: ThemeChoice): ThemeChoice {
  return current === 'system' ? 'light' : current === 'light' ? 'dark' : 'system';
}

function load(): ThemeChoice {
  try {
    return parseTheme(globalThis.localStorage?.getItem(KEY));
  } catch {
    return 'system';
  }
}

export const theme = writable<ThemeChoice>(load());

theme.subscribe((choice) => {
  try {
    globalThis.localStorage?.setItem(KEY, choice);
  } catch {
    // Storage may be unavailable; the choice then lasts for this window only.
  }
  if (typeof document !== 'undefined') {
    if (choice === 'system') delete document.documentElement.dataset.theme;
    else document.documentElement.dataset.theme = choice;
  }
});
