// The backend every screen talks to. Inside the desktop app this is the typed IPC module
// (src/ipc); in a plain browser (`npm run dev`) it is the in-memory stand-in.
import { commands, importEvidence } from '../ipc';
import type { Backend } from './backend';
import { createMemoryBackend } from './memory';

const inDesktopApp = typeof window !== 'undefined' && '__TAURI_INTERNALS__' in window;

export const desktopBackend: Backend = { ...commands, importEvidence };

const memory = inDesktopApp ? null : createMemoryBackend();

export const api: Backend = memory ?? desktopBackend;

/** Resolves once the backend is ready (in a browser with `?demo`, after seeding sample data). */
export const ready: Promise<void> =
  memory && typeof window !== 'undefined' && new URLSearchParams(window.location.search).has('demo')
    ? import('./demo').then(({ seedDemo }) => seedDemo(memory))
    : Promise.resolve();
