import { describe, expect, it } from 'vitest';
import { hrefFor, parseHash, type Route } from './router';

describe('hash router', () => {
  it('parses every screen', () => {
    expect(parseHash('')).toEqual({ name: 'home' });
    expect(parseHash('#/')).toEqual({ name: 'home' });
    expect(parseHash('#/new')).toEqual({ name: 'new' });
    expect(parseHash('#/a/abc123/results')).toEqual({ name: 'results', id: 'abc123' });
    expect(parseHash('#/a/abc123')).toEqual({ name: 'workshop', id: 'abc123' });
    expect(parseHash('#/a/abc123/workshop/DE-3')).toEqual({ name: 'workshop', id: 'abc123', question: 'DE-3' });
    expect(parseHash('#/evidence')).toEqual({ name: 'evidence' });
    expect(parseHash('#/register')).toEqual({ name: 'register', scope: null });
    expect(parseHash('#/history/Fraud%20models')).toEqual({ name: 'history', scope: 'Fraud models' });
  });

  it('falls back to home for anything unknown or broken', () => {
    expect(parseHash('#/nowhere')).toEqual({ name: 'home' });
    expect(parseHash('#/a/x/delete')).toEqual({ name: 'home' });
    expect(parseHash('#/history')).toEqual({ name: 'home' });
    expect(parseHash('#/history/%E0%A4%A')).toEqual({ name: 'history', scope: '%E0%A4%A' });
  });

  it('round-trips every route, including scopes with slashes', () => {
    const routes: Route[] = [
      { name: 'home' },
      { name: 'new' },
      { name: 'workshop', id: 'a1b2' },
      { name: 'workshop', id: 'a1b2', question: 'GOV-2' },
      { name: 'reports', id: 'a1b2' },
      { name: 'evidence' },
      { name: 'register', scope: 'Team / EU' },
      { name: 'register', scope: null },
      { name: 'history', scope: 'Fraud #1' },
    ];
    for (const route of routes) expect(parseHash(hrefFor(route))).toEqual(route);
  });
});
