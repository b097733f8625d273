// Calls one Tauri command and turns every failure into `{code, message}`. The generated
// wrappers (./bindings/commands.ts) are the only callers.
import { invoke as tauriInvoke } from '@tauri-apps/api/core';
import type { ErrorPayload } from './bindings';

export function isIpcError(value: unknown): value is ErrorPayload {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ErrorPayload).code === 'string' &&
    typeof (value as ErrorPayload).message === 'string'
  );
}

/** Commands reject with `{code, message}`; Tauri's own failures (a missing command, say) are strings. */
function toIpcError(error: unknown): ErrorPayload {
  if (isIpcError(error)) return error;
  return { code: 'internal', message: error instanceof Error ? error.message : String(error) };
}

export async function invoke<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await tauriInvoke<T>(command, args);
  } catch (error) {
    throw toIpcError(error);
  }
}
