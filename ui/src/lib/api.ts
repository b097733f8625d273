// The backend every screen talks to. Inside the desktop app this is the typed IPC module
// (src/ipc); in a plain browser (`npm run dev`) it is the in-memory stand-in.
import * as ipc from '../ipc';
import type { Backend } from './backend';
import { createMemoryBackend } from './memory';

const inDesktopApp = typeof window !== 'undefined' && '__TAURI_INTERNALS__' in window;

export const desktopBackend: Backend = {
  listAssessments: ipc.listAssessments,
  getBank: ipc.getBank,
  createAssessment: ipc.createAssessment,
  getAssessment: ipc.getAssessment,
  addParticipant: ipc.addParticipant,
  castVote: ipc.castVote,
  updateAnswer: ipc.updateAnswer,
  score: ipc.score,
  charts: ipc.charts,
  itemFromGap: ipc.itemFromGap,
  listItems: ipc.listItems,
  updateItem: ipc.updateItem,
  history: ipc.history,
  diff: ipc.diff,
  signOff: ipc.signOff,
  signoffs: ipc.signoffs,
  exportReport: ipc.exportReport,
  listExports: ipc.listExports,
  evidence: ipc.evidence,
  importEvidence: ipc.importEvidence,
  cancelImport: ipc.cancelImport,
  setToken: ipc.setToken,
  chooseExportPath: ipc.chooseExportPath,
  openExport: ipc.openExport,
  revealExport: ipc.revealExport,
};

const memory = inDesktopApp ? null : createMemoryBackend();

export const api: Backend = memory ?? desktopBackend;

/** Resolves once the backend is ready (in a browser with `?demo`, after seeding sample data). */
export const ready: Promise<void> =
  memory && typeof window !== 'undefined' && new URLSearchParams(window.location.search).has('demo')
    ? import('./demo').then(({ seedDemo }) => seedDemo(memory))
    : Promise.resolve();
