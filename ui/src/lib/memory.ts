// An in-memory stand-in for the desktop shell: lets the front end run in a plain browser
// (`npm run dev`) and gives the unit tests a backend. It keeps the rules the screens rely on
// (N/A needs a justification, dissent at a spread of two) but none of the real scoring detail.
import type { Backend } from './backend';
import type { Assessment, Bank, Effort, ErrorCode, ItemView, ProjectEvidence, ReportExport, Scorecard, VoteSummary, VoteValue } from './types';

const anchors = ['Absent or ad hoc', 'Initial', 'Repeatable and documented', 'Automated', 'Continuously improved'];

export const sampleBank: Bank = {
  id: 'sample',
  version: '0.0.1',
  title: 'Sample bank',
  levels: anchors,
  headline: { threshold: 3, base_name: 'Manual process', levels: [] },
  frameworks: [],
  pillars: [
    { id: 'people', name: 'People', areas: [{ id: 'org', code: 'ORG', name: 'Organisation design', pillar: 'people' }] },
    {
      id: 'process',
      name: 'Processes',
      areas: [
        { id: 'gov', code: 'GOV', name: 'Governance', pillar: 'process' },
        { id: 'cicd', code: 'CI', name: 'CI/CD and testing', pillar: 'process' },
      ],
    },
  ],
  questions: [
    ['ORG-1', 'org', 'Is there one owner for each model in production?'],
    ['GOV-1', 'gov', 'Are models checked for bias before release?'],
    ['GOV-2', 'gov', 'Can you trace a model back to its training data?'],
    ['CI-1', 'cicd', 'Are training pipelines tested automatically?'],
  ].map(([id, area, text]) => ({
    id,
    area,
    title: text,
    text,
    why: 'Without it, failures are found by customers instead of by the team.',
    evidence: ['A link to the practice in use'],
    anchors,
    crosswalk: {},
  })),
};

/**
 * The stand-in's vote summary: the lower median as the suggestion, a spread of two levels or
 * more as dissent. The desktop app shows the Rust summary (`voteSummaries`, `castVote`).
 */
export function standInVoteSummary(values: VoteValue[]): VoteSummary {
  const levels = values.flatMap((v) => (v === 'not_applicable' ? [] : [v.level])).sort((a, b) => a - b);
  const lowest = levels.length ? levels[0] : null;
  const highest = levels.length ? levels[levels.length - 1] : null;
  return {
    votes: values.length,
    not_applicable: values.length - levels.length,
    lowest,
    highest,
    suggested: levels.length ? levels[Math.floor((levels.length - 1) / 2)] : null,
    dissent: lowest !== null && highest !== null && highest - lowest >= 2,
  };
}

function err(code: ErrorCode, message: string): never {
  throw { code, message };
}

export type MemoryBackend = Backend & { addEvidence(project: ProjectEvidence): void };

export function createMemoryBackend(bank: Bank = sampleBank): MemoryBackend {
  const projects: ProjectEvidence[] = [];
  const exports: ReportExport[] = [];
  let cancelled = false;
  const assessments = new Map<string, Assessment>();
  const items: ItemView[] = [];
  const efforts = new Map<string, Effort>();
  let next = 1;
  const id = () => `mem${String(next++).padStart(5, '0')}`;
  const get = (key: string) => assessments.get(key) ?? err('assessment_not_found', `no assessment has the id \`${key}\``);
  const now = () => new Date().toISOString();

  function score(a: Assessment): Scorecard {
    const areas = bank.pillars.flatMap((p) => p.areas).map((area) => {
      const levels = bank.questions
        .filter((q) => q.area === area.id)
        .flatMap((q) => {
          const r = a.answers[q.id]?.rating;
          return r && r.kind === 'level' ? [r.level] : [];
        });
      const mean = levels.length ? levels.reduce((s, l) => s + l, 0) / levels.length : null;
      return {
        area: area.id,
        pillar: area.pillar,
        name: area.name,
        score: { mean, min: levels.length ? Math.min(...levels) : null },
        target: a.targets.areas[area.id] ?? a.targets.default,
        answered: levels.length,
        not_applicable: 0,
        unanswered: 0,
      };
    });
    const gaps = bank.questions.flatMap((q) => {
      const r = a.answers[q.id]?.rating;
      const target = a.targets.questions[q.id] ?? a.targets.areas[q.area] ?? a.targets.default;
      if (!r || r.kind !== 'level' || target === null || target === undefined || r.level >= target) return [];
      return [{ question: q.id, area: q.area, level: r.level, target, size: target - r.level }];
    });
    const means = areas.flatMap((x) => (x.score.mean === null ? [] : [x.score.mean]));
    return {
      bank_id: bank.id,
      bank_version: bank.version,
      overall: { mean: means.length ? means.reduce((s, m) => s + m, 0) / means.length : null, min: means.length ? Math.min(...means) : null },
      weakest_area: null,
      pillars: [],
      areas,
      headline: { level: 0, name: 'Manual process', checks: [] },
      gaps: gaps.sort((x, y) => y.size - x.size),
      answered: Object.values(a.answers).filter((x) => x.rating).length,
      not_applicable: 0,
      unanswered: 0,
      dissent: bank.questions.filter((q) => standInVoteSummary(a.votes.filter((v) => v.question_id === q.id).map((v) => v.value)).dissent).map((q) => q.id),
    };
  }

  const empty = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"></svg>';
  return {
    async listAssessments() {
      return [...assessments.values()].map((a) => ({
        id: a.id,
        scope: a.scope,
        title: a.title,
        assessed_on: a.assessed_on,
        bank_version: a.bank_version,
        participants: a.participants.length,
        answered: Object.keys(a.answers).length,
        questions: bank.questions.length,
        headline_level: 0,
        overall_mean: score(a).overall.mean,
      }));
    },
    async getBank() {
      return bank;
    },
    async assessmentBank(key) {
      get(key);
      return bank;
    },
    async historyBank() {
      return bank;
    },
    async listBanks() {
      return [
        {
          id: bank.id,
          version: bank.version,
          title: bank.title,
          digest: '0'.repeat(64),
          origin: 'builtin',
          stored: true,
          questions: bank.questions.length,
          areas: bank.pillars.flatMap((p) => p.areas).length,
          frameworks: bank.frameworks.map((f) => f.name),
          assessments: assessments.size,
          is_default: true,
          upgrades_from: [],
        },
      ];
    },
    async findBank(name) {
      const [id, version] = name.split('@');
      if (id !== bank.id || (version !== undefined && version !== bank.version)) err('unknown_bank', `no question bank \`${name}\``);
      return bank;
    },
    async chooseBankFile() {
      return null;
    },
    async importBank() {
      return err('invalid_bank', 'the browser preview cannot read bank files');
    },
    async exportBank() {
      return null;
    },
    async exportQuestionnaire() {
      return null;
    },
    async finalState() {
      return null;
    },
    async finaliseAssessment() {
      return err('invalid_input', 'the browser preview does not finalise assessments');
    },
    async reopenAssessment() {
      return err('invalid_input', 'the browser preview does not finalise assessments');
    },
    async importQuestionnaire() {
      return null;
    },
    async createAssessment(input) {
      if (!input.scope.trim()) err('invalid_input', 'scope is empty');
      const a: Assessment = {
        id: id(),
        scope: input.scope.trim(),
        title: input.title.trim() || `${input.scope.trim()} maturity assessment`,
        assessed_on: input.assessed_on ?? now().slice(0, 10),
        bank_id: bank.id,
        bank_version: bank.version,
        participants: input.participants.map((p) => ({ id: id(), name: p.name, role: p.role })),
        targets: input.targets,
        answers: {},
        votes: [],
        created_at: now(),
        updated_at: now(),
      };
      assessments.set(a.id, a);
      return structuredClone(a);
    },
    async getAssessment(key) {
      return structuredClone(get(key));
    },
    async addParticipant(key, name, role) {
      const a = get(key);
      if (!name.trim()) err('invalid_input', 'participant name is empty');
      if (a.participants.some((p) => p.name.toLowerCase() === name.trim().toLowerCase()))
        err('duplicate_participant', `\`${name.trim()}\` already takes part in this assessment`);
      const p = { id: id(), name: name.trim(), role: role.trim() };
      a.participants.push(p);
      return p;
    },
    async castVote(key, question, participant, value) {
      const a = get(key);
      const p = a.participants.find((x) => x.id === participant || x.name === participant) ?? err('unknown_participant', participant);
      a.votes = a.votes.filter((v) => !(v.question_id === question && v.participant_id === p.id));
      a.votes.push({ question_id: question, participant_id: p.id, value });
      return standInVoteSummary(a.votes.filter((v) => v.question_id === question).map((v) => v.value));
    },
    async voteSummaries(key) {
      const a = get(key);
      return Object.fromEntries(
        bank.questions.map((q) => [q.id, standInVoteSummary(a.votes.filter((v) => v.question_id === q.id).map((v) => v.value))]),
      );
    },
    async updateAnswer(key, question, change) {
      const a = get(key);
      const answer = a.answers[question] ?? { rating: null, note: null, confidence: null, evidence: [] };
      // Any change, confirming included, marks a carried answer as reviewed.
      delete answer.carried;
      if (change.rating?.kind === 'not_applicable' && !change.rating.justification.trim())
        err('invalid_input', 'N/A needs a justification: say why the question does not apply');
      if (change.rating) answer.rating = change.rating;
      if (change.clear_rating) answer.rating = null;
      if (change.accept_votes) {
        const s = standInVoteSummary(a.votes.filter((v) => v.question_id === question).map((v) => v.value));
        if (s.suggested === null) err('invalid_input', `nobody has voted a level on ${question} yet`);
        answer.rating = { kind: 'level', level: s.suggested };
      }
      if (change.note !== undefined && change.note !== null) answer.note = change.note.trim() || null;
      if (change.confidence) answer.confidence = change.confidence;
      answer.evidence.push(...(change.add_evidence ?? []));
      a.answers[question] = answer;
      return structuredClone(answer);
    },
    async score(key) {
      return score(get(key));
    },
    async charts() {
      return { radar_svg: empty, pillars_svg: empty, trend_svg: null };
    },
    // The Statement of Applicability is built by the Rust core from the bank's ISO/IEC 42001
    // catalogue; the stand-in's sample bank has none.
    async statementOfApplicability() {
      err('invalid_input', 'the sample bank has no ISO/IEC 42001 catalogue to build a statement from');
    },
    async setSoaDecision() {
      err('invalid_input', 'the sample bank has no ISO/IEC 42001 catalogue to build a statement from');
    },
    // Evidence ages by the Rust core's rule; the stand-in keeps no dates to age.
    async staleEvidence() {
      return { period_days: null, today: now().slice(0, 10), stale: [] };
    },
    async setReattestPeriod(_key, days) {
      return { period_days: days, today: now().slice(0, 10), stale: [] };
    },
    async staleEvidenceCounts() {
      return {};
    },
    async chooseWorkbookPath() {
      return null;
    },
    async exportWorkbook() {
      err('invalid_input', 'exporting needs the desktop app');
    },
    async soaApprovals() {
      return [];
    },
    async approveSoa() {
      err('invalid_input', 'the sample bank has no ISO/IEC 42001 catalogue to build a statement from');
    },
    async chooseSoaPath() {
      return null;
    },
    async exportSoa() {
      err('invalid_input', 'exporting needs the desktop app');
    },
    // The Annex IV draft is drawn by the Rust core from the stored records.
    async chooseDossierPath() {
      return null;
    },
    async exportDossier() {
      err('invalid_input', 'exporting needs the desktop app');
    },
    // Model cards and OSCAL results are rendered by the Rust core from the stored records.
    async chooseModelCardPath() {
      return null;
    },
    async exportModelCard() {
      err('invalid_input', 'exporting needs the desktop app');
    },
    async chooseOscalResultsPath() {
      return null;
    },
    async exportOscalResults() {
      err('invalid_input', 'exporting needs the desktop app');
    },
    // The roadmap here is the stand-in's gaps in order of size; the real rule (blockers of the
    // next headline level first) lives in the Rust core.
    async roadmap(key) {
      const a = get(key);
      const card = score(a);
      const guess = (climb: number): Effort => (climb >= 3 ? 'large' : climb === 2 ? 'medium' : 'small');
      return {
        level: card.headline.level,
        level_name: card.headline.name,
        next: null,
        steps: card.gaps.map((g) => {
          const estimate = efforts.get(`${a.id}/${g.question}`);
          return {
            question: g.question,
            area: g.area,
            title: g.question,
            level: g.level,
            not_applicable: false,
            goal: g.target,
            climb: g.size,
            blocks_level: null,
            blocks_next: false,
            effort: estimate ?? guess(g.size),
            effort_estimated: estimate !== undefined,
          };
        }),
      };
    },
    async setRoadmapEffort(key, question, effort) {
      const a = get(key);
      if (effort === null) efforts.delete(`${a.id}/${question}`);
      else efforts.set(`${a.id}/${question}`, effort);
      return this.roadmap(key);
    },
    async raiseRoadmap(key) {
      const map = await this.roadmap(key);
      const created: ItemView[] = [];
      const already_tracked = [];
      for (const step of map.steps) {
        const open = items.find((i) => i.links.questions.includes(step.question) && (i.status === 'open' || i.status === 'in_progress'));
        if (open) already_tracked.push({ question: step.question, item_id: open.id, item_title: open.title });
        else created.push(await this.itemFromGap(key, step.question));
      }
      return { created, already_tracked };
    },
    async itemFromGap(key, question) {
      const a = get(key);
      const item: ItemView = {
        id: id(),
        scope: a.scope,
        assessment_id: a.id,
        title: `Close the gap on ${question}`,
        description: '',
        links: { questions: [question], areas: [], clauses: [] },
        owner: null,
        due_on: null,
        priority: 'medium',
        status: 'open',
        acceptance: null,
        evidence: [],
        created_at: now(),
        updated_at: now(),
        overdue: false,
      };
      items.push(item);
      return structuredClone(item);
    },
    async listItems(scope, overdueOnly) {
      return items.filter((i) => (scope === null || i.scope === scope) && (!overdueOnly || i.overdue)).map((i) => structuredClone(i));
    },
    async updateItem(itemId, change) {
      const item = items.find((i) => i.id === itemId) ?? err('item_not_found', `no governance item has the id \`${itemId}\``);
      const status = change.status;
      if (status && 'accept_risk' in status) {
        const { accepted_by, reason } = status.accept_risk;
        if (!accepted_by.trim() || !reason.trim())
          err('invalid_input', 'accepting a risk needs the name of the person accepting it and the reason');
        item.status = 'risk_accepted';
        item.acceptance = { accepted_by: accepted_by.trim(), reason: reason.trim() };
      } else if (status) {
        if (status.to === 'risk_accepted') err('invalid_input', 'accepting a risk needs the name of the person accepting it and the reason');
        item.status = status.to;
        item.acceptance = null;
      }
      if (change.owner !== undefined) item.owner = change.owner.trim() || null;
      if (change.due_on !== undefined) item.due_on = change.due_on;
      if (change.priority) item.priority = change.priority;
      return structuredClone(item);
    },
    async history(scope) {
      return [...assessments.values()]
        .filter((a) => a.scope === scope)
        .map((a) => ({ assessment_id: a.id, title: a.title, assessed_on: a.assessed_on, headline_level: 0, overall_mean: score(a).overall.mean, areas: [] }));
    },
    async diff(from, to) {
      return { from, to, headline: [0, 0], overall_mean: [null, null], answers: [], areas: [], dissent_resolved: [], dissent_new: [], items_opened: [], items_closed: [], items_overdue: [], votes_cast: false, notes_to_review: [] };
    },
    // The browser preview keeps no earlier assessments' notes to compare with.
    async notesToReview() {
      return [];
    },
    // A live room is a network server: only the desktop app runs one.
    async openRoom() {
      err('invalid_input', 'a live room needs the desktop app: the browser preview cannot open a server');
    },
    async roomStatus() {
      return null;
    },
    async roomCommand() {
      err('invalid_input', 'no live room is open');
    },
    async closeRoom() {
      return false;
    },
    async signOff(key, name, role, decision, comment) {
      get(key);
      const labels = { approve: 'Approved', approve_with_conditions: 'Approved with conditions', reject: 'Rejected' } as const;
      return { id: id(), assessment_id: key, name, role, decision, decision_label: labels[decision], comment, signed_on: now().slice(0, 10), data_hash: '0'.repeat(64), created_at: now(), stale: false, earlier_format: false };
    },
    async checkLinkedFiles() {
      return [];
    },
    async signoffs() {
      return [];
    },
    async exportReport(key, format, path) {
      get(key);
      const record = { assessment_id: key, kind: 'report' as const, format, path, document_id: `ASSAY-${key}`, content_hash: '0'.repeat(64), exported_at: now(), stale: false };
      exports.push(record);
      return { path, document_id: record.document_id, content_hash: record.content_hash };
    },
    async listExports(key) {
      return exports.filter((e) => e.assessment_id === key);
    },
    async evidence(scope) {
      return projects.filter((p) => scope === null || p.scopes.includes(scope));
    },
    addEvidence(project) {
      projects.push(project);
    },
    async importEvidence(request, onProgress) {
      // A pretend import: a few steps of progress that a cancel stops, then nothing new.
      cancelled = false;
      const total = 8;
      for (let done = 0; done <= total; done++) {
        if (cancelled) err('cancelled', 'the import was cancelled');
        onProgress?.({ phase: done < 4 ? 'runs' : 'models', done, total: done < 4 ? null : total });
        await new Promise((resolve) => setTimeout(resolve, 150));
      }
      const t = request.target;
      const source = { tracker: t.tracker, instance: t.tracker === 'mlflow' ? t.url : t.base_url, project: t.tracker === 'mlflow' ? t.experiment : `${t.entity}/${t.project}` };
      const counts = { new: 0, changed: 0, unchanged: 0, datasets: 0, runs: 0, model_versions: 0, edges: 0, bias_metrics: 0, unmatched: 0 };
      return { import: { id: next++, source, started_at: now(), finished_at: now(), incremental: false, counts, content_hash: '0'.repeat(64), watermark: null }, fetched_runs: 0, warnings: [] };
    },
    async cancelImport() {
      cancelled = true;
      return true;
    },
    async setToken() {},
    async chooseExportPath() {
      return null;
    },
    async openExport() {},
    async revealExport() {},
  };
}
