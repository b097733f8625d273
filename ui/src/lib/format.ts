// Formatting shared by the screens.
import type { AssessmentSummary, Rating, VoteValue } from './types';

export const levelNames = ['Absent', 'Initial', 'Repeatable', 'Automated', 'Improving'];

export function formatScore(value: number | null | undefined): string {
  return value === null || value === undefined || Number.isNaN(value) ? '–' : value.toFixed(1);
}

export function formatRating(rating: Rating | null | undefined): string {
  if (!rating) return 'Not answered';
  return rating.kind === 'level' ? `Level ${rating.level}` : 'N/A';
}

export function formatVote(value: VoteValue | undefined): string {
  if (value === undefined) return '–';
  return value === 'not_applicable' ? 'N/A' : String(value.level);
}

export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const mm = String(m).padStart(h ? 2 : 1, '0');
  const ss = String(s).padStart(2, '0');
  return h ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

export function shortHash(hash: string, length = 12): string {
  return hash.length > length ? `${hash.slice(0, length)}…` : hash;
}

export function formatPercent(share: number | null): string {
  return share === null ? '–' : `${Math.round(share * 100)}%`;
}

export function formatStatus(status: string): string {
  const s = status.replace(/_/g, ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Assessments grouped by scope (scopes sorted by name), each group oldest first. */
export function groupByScope(list: AssessmentSummary[]): { scope: string; assessments: AssessmentSummary[] }[] {
  const groups = new Map<string, AssessmentSummary[]>();
  for (const a of list) {
    const group = groups.get(a.scope) ?? [];
    group.push(a);
    groups.set(a.scope, group);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([scope, assessments]) => ({
      scope,
      assessments: [...assessments].sort((x, y) => x.assessed_on.localeCompare(y.assessed_on) || x.id.localeCompare(y.id)),
    }));
}

/** Points of an SVG polyline for a small trend of values 0..max. */
export function sparkline(values: (number | null)[], width: number, height: number, max = 4): string {
  const known = values.map((v, i) => [i, v] as const).filter((p): p is readonly [number, number] => p[1] !== null);
  if (known.length === 0) return '';
  const step = values.length > 1 ? width / (values.length - 1) : 0;
  return known
    .map(([i, v]) => {
      const x = values.length > 1 ? i * step : width / 2;
      const y = height - (Math.min(Math.max(v, 0), max) / max) * height;
      return `${round(x)},${round(y)}`;
    })
    .join(' ');
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

/** A file name for an exported report: scope and date, safe on every file system. */
export function reportFileName(scope: string, date: string, format: string): string {
  const slug = scope
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return `${slug || 'assessment'}-${date}.${format}`;
}

/** A timestamp from the backend (RFC 3339, UTC) as local date and time, to the minute. */
export function formatTime(iso: string, locale?: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(locale, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

/** "1 run", "3 runs": a count with its noun, plural by an added "s". */
export function count(n: number, noun: string): string {
  return `${n} ${n === 1 ? noun : `${noun}s`}`;
}
