// Showing tracker evidence: thresholds, verdicts and lineage names.
import type { BiasEvidence, EntityKind, ProjectEvidence, Threshold } from './types';

export function thresholdText(threshold: Threshold | null): string {
  if (!threshold) return 'no threshold';
  if (threshold.rule === 'abs_at_most') return `|x| ≤ ${threshold.max}`;
  return threshold.two_sided ? `between ${threshold.min} and ${round(1 / threshold.min)}` : `≥ ${threshold.min}`;
}

export function valueText(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return 'not a number';
  return String(round(value));
}

export function verdict(bias: BiasEvidence): { text: string; tone: 'ok' | 'bad' | '' } {
  if (bias.passed === true) return { text: 'Pass', tone: 'ok' };
  if (bias.passed === false) return { text: 'Fail', tone: 'bad' };
  return { text: 'Context only', tone: '' };
}

export function sourceText(bias: BiasEvidence): string {
  return bias.source.kind === 'metric' ? 'run metric' : `report ${bias.source.detail}`;
}

/** A readable name for a lineage entity of the project. */
export function entityName(project: ProjectEvidence, kind: EntityKind, id: string): string {
  const snap = project.snapshot;
  if (kind === 'dataset') {
    const d = snap.datasets.find((x) => x.external_id === id);
    return d ? `${d.name}${d.digest ? ` @${d.digest.slice(0, 8)}` : ''}` : id;
  }
  if (kind === 'run') {
    const r = snap.runs.find((x) => x.external_id === id);
    return r ? r.name || id : id;
  }
  const m = snap.model_versions.find((x) => x.external_id === id);
  return m ? `${m.registry_name} v${m.version}` : id;
}

export const edgeLabels: Record<string, string> = {
  used_by: 'used by',
  produced: 'produced',
  registered_as: 'registered as',
  evaluated_on: 'evaluated on',
};

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

export interface GraphNode {
  key: string;
  label: string;
  x: number;
  y: number;
}

export interface GraphLayout {
  nodes: GraphNode[];
  edges: { from: GraphNode; to: GraphNode; kind: string }[];
  hidden: number;
  width: number;
  height: number;
}

const COLUMNS: EntityKind[] = ['dataset', 'run', 'model_version'];

/** Datasets, runs and model versions in three columns, at most `perColumn` each. */
export function layoutLineage(project: ProjectEvidence, perColumn = 25, columnWidth = 260, rowHeight = 26): GraphLayout {
  const snap = project.snapshot;
  const ids: Record<EntityKind, string[]> = {
    dataset: snap.datasets.map((d) => d.external_id),
    run: snap.runs.map((r) => r.external_id),
    model_version: snap.model_versions.map((m) => m.external_id),
  };
  const byKey = new Map<string, GraphNode>();
  let hidden = 0;
  let rows = 0;
  COLUMNS.forEach((kind, column) => {
    const shown = ids[kind].slice(0, perColumn);
    hidden += ids[kind].length - shown.length;
    rows = Math.max(rows, shown.length);
    shown.forEach((id, row) => {
      const label = entityName(project, kind, id);
      byKey.set(`${kind}:${id}`, {
        key: `${kind}:${id}`,
        label: label.length > 30 ? `${label.slice(0, 29)}…` : label,
        x: column * columnWidth,
        y: row * rowHeight,
      });
    });
  });
  const edges = snap.edges.flatMap((e) => {
    const from = byKey.get(`${e.from.kind}:${e.from.external_id}`);
    const to = byKey.get(`${e.to.kind}:${e.to.external_id}`);
    return from && to ? [{ from, to, kind: e.kind }] : [];
  });
  return { nodes: [...byKey.values()], edges, hidden, width: columnWidth * COLUMNS.length, height: Math.max(rows, 1) * rowHeight };
}

/** Failing metrics first, then passing ones, then context; each by run and metric. */
export function sortBias(rows: BiasEvidence[]): BiasEvidence[] {
  const rank = (b: BiasEvidence) => (b.passed === false ? 0 : b.passed === true ? 1 : 2);
  return [...rows].sort((a, b) => rank(a) - rank(b) || a.run.localeCompare(b.run) || a.metric.localeCompare(b.metric) || (a.group ?? '').localeCompare(b.group ?? ''));
}
