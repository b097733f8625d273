import { describe, expect, it } from 'vitest';
import { get } from 'svelte/store';
import { nextTheme, parseTheme, theme } from './theme';

describe('theme', () => {
  it('reads only known choices', () => {
    expect(parseTheme('dark')).toBe('dark');
    expect(parseTheme('light')).toBe('light');
    expect(parseTheme('purple')).toBe('system');
    expect(parseTheme(null)).toBe('system');
  });

  it('cycles system, light, dark', () => {
    expect(nextTheme('system')).toBe('light');
    expect(nextTheme('light')).toBe('dark');
    expect(nextTheme('dark')).toBe('system');
  });

  it('is a store that starts from the system preference without storage', () => {
    expect(get(theme)).toBe('system');
    theme.set('dark');
    expect(get(theme)).toBe('dark');
    theme.set('system');
  });
});
