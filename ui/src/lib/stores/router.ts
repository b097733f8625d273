// A hash router: `#/`, `#/new`, `#/a/<id>/<view>` (workshop, results, reports, soa, room), `#/evidence`, `#/register`, `#/history/<scope>`,
// `#/libraries`.
import { readable } from 'svelte/store';

export type Route =
  | { name: 'home' }
  | { name: 'new' }
  | { name: 'workshop'; id: string; question?: string }
  | { name: 'results'; id: string }
  | { name: 'reports'; id: string }
  | { name: 'soa'; id: string }
  | { name: 'room'; id: string }
  | { name: 'evidence' }
  | { name: 'libraries' }
  | { name: 'register'; scope: string | null }
  | { name: 'history'; scope: string };

export function parseHash(hash: string): Route {
  const path = hash.replace(/^#/, '').replace(/^\/+|\/+$/g, '');
  const parts = path ? path.split('/').map(safeDecode) : [];
  switch (parts[0]) {
    case undefined:
      return { name: 'home' };
    case 'new':
      return { name: 'new' };
    case 'a':
      if (parts[1] && parts[2] === 'workshop' && parts[3]) return { name: 'workshop', id: parts[1], question: parts[3] };
      if (parts[1] && (parts[2] === 'workshop' || parts[2] === 'results' || parts[2] === 'reports' || parts[2] === 'soa' || parts[2] === 'room'))
        return { name: parts[2], id: parts[1] };
      if (parts[1] && parts[2] === undefined) return { name: 'workshop', id: parts[1] };
      return { name: 'home' };
    case 'evidence':
      return { name: 'evidence' };
    case 'libraries':
      return { name: 'libraries' };
    case 'register':
      return { name: 'register', scope: parts[1] ?? null };
    case 'history':
      return parts[1] ? { name: 'history', scope: parts[1] } : { name: 'home' };
    default:
      return { name: 'home' };
  }
}

export function hrefFor(route: Route): string {
  switch (route.name) {
    case 'home':
      return '#/';
    case 'new':
      return '#/new';
    case 'workshop':
      return `#/a/${encodeURIComponent(route.id)}/workshop${route.question ? `/${encodeURIComponent(route.question)}` : ''}`;
    case 'results':
    case 'reports':
    case 'soa':
    case 'room':
      return `#/a/${encodeURIComponent(route.id)}/${route.name}`;
    case 'evidence':
      return '#/evidence';
    case 'libraries':
      return '#/libraries';
    case 'register':
      return route.scope === null ? '#/register' : `#/register/${encodeURIComponent(route.scope)}`;
    case 'history':
      return `#/history/${encodeURIComponent(route.scope)}`;
  }
}

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

export function navigate(route: Route): void {
  if (typeof window !== 'undefined') window.location.hash = hrefFor(route);
}

export const route = readable<Route>(
  typeof window === 'undefined' ? { name: 'home' } : parseHash(window.location.hash),
  (set) => {
    if (typeof window === 'undefined') return;
    const update = () => set(parseHash(window.location.hash));
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  },
);
