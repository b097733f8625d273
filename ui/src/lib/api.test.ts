import { describe, expect, it } from 'vitest';
import { api, desktopBackend } from './api';
import { createMemoryBackend } from './memory';

describe('backend choice', () => {
  it('uses the in-memory backend outside the desktop app', () => {
    expect(api).not.toBe(desktopBackend);
  });

  it('wires every command of the desktop backend to a function', () => {
    const names = Object.keys(createMemoryBackend()).filter((n) => n !== 'addEvidence');
    for (const name of names) expect(typeof desktopBackend[name as keyof typeof desktopBackend], name).toBe('function');
    expect(Object.keys(desktopBackend).sort()).toEqual(names.sort());
  });
});
