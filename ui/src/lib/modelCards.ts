// Which model versions the Evidence screen offers model cards for, and in what order.
import type { ModelVersion } from './types';

/** A version with an alias or a stage is one a team deploys or compares against. */
export function isMarked(version: ModelVersion): boolean {
  return version.aliases.length > 0 || version.stage !== null;
}

/** "3", "v3" and "V3" are the same version; anything else compares as text. */
function versionNumber(version: string): number | null {
  const bare = version.trim().replace(/^[vV]+/, '');
  return /^\d+$/.test(bare) ? Number(bare) : null;
}

function newestFirst(a: string, b: string): number {
  const [x, y] = [versionNumber(a), versionNumber(b)];
  if (x !== null && y !== null) return y - x;
  if (x !== null) return -1;
  if (y !== null) return 1;
  return b.localeCompare(a);
}

/**
 * The versions with an alias or a stage first, then the rest; within each, by model name and
 * newest version first. A project with hundreds of versions shows the ones that matter on top.
 */
export function modelCardOrder(versions: readonly ModelVersion[]): ModelVersion[] {
  return [...versions].sort(
    (a, b) => Number(isMarked(b)) - Number(isMarked(a)) || a.registry_name.localeCompare(b.registry_name) || newestFirst(a.version, b.version),
  );
}

/** "v3" whether the tracker wrote "3" or "v3". */
export function versionLabel(version: string): string {
  return `v${version.trim().replace(/^[vV]+/, '')}`;
}
