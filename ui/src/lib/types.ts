// The data the desktop shell sends and receives: the types generated from the Rust types
// (src/ipc/bindings), plus a few names the screens use.
import type { ErrorPayload, TrackerTarget } from '../ipc/bindings';

export type * from '../ipc/bindings';

/** Which tracker project an import reads. */
export type ImportTarget = TrackerTarget;

/** What every command rejects with. */
export type IpcError = ErrorPayload;
