// Laying out tracker lineage as a graph. The words (names, relations, thresholds, verdicts)
// come from the API (`ProjectEvidence.labels`), worded as the reports word them.
import type { EntityKind, ProjectEvidence } from './types';

/** The name the API gave a lineage entity, or its id when the snapshot does not hold it. */
export function entityName(project: ProjectEvidence, kind: EntityKind, id: string): string {
  return project.labels.names[kind][id] ?? id;
}

/** The badge a verdict wears: passing green, failing red, context plain. */
export function verdictTone(passed: boolean | null): 'ok' | 'bad' | '' {
  return passed === true ? 'ok' : passed === false ? 'bad' : '';
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
