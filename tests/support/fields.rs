//! The fields of `tests/hostile_input.rs`, family by family: how each is set through the API
//! and read back, and the rule it is held to (see probe.rs).

#![allow(clippy::unwrap_used)]

use std::path::Path;
use std::time::Duration;

use assay_api::evidence_model::fairness::MappingRule;
use assay_api::store::Store;
use assay_api::{
    AnswerChange, ApiError, Assay, CancellationToken, Credential, EvidenceRequest, ImportSummary,
    ItemChange, NewAssessment, NewItem, NewParticipant, ReportFormat, SystemClock, TargetChange,
    TrackerTarget,
};
use assay_assessment::governance::{Decision, GovernanceItem, ItemStatus, Priority, StatusChange};
use assay_assessment::{Answer, Confidence, EvidenceKind, EvidenceLink, Level, Rating, VoteValue};

use crate::probe::{LONG, Probe, Read, Rule, SHORT, clearable, never, probes, text, unless_blank};
use crate::support::open;

pub fn reopen(dir: &Path) -> Assay {
    Assay::open(&dir.join("assay.db"), Box::new(SystemClock)).unwrap()
}

pub fn new_assessment(assay: &mut Assay, scope: &str) -> String {
    let (name, role) = ("Ana".into(), "Lead".into());
    let participants = vec![NewParticipant { name, role }];
    let scope = scope.into();
    let new = NewAssessment {
        scope,
        participants,
        ..NewAssessment::default()
    };
    assay.create_assessment(new).unwrap().id
}

pub fn new_items(assay: &mut Assay, assessment: &str, n: usize) -> std::vec::IntoIter<String> {
    let mut ids = Vec::new();
    for _ in 0..n {
        let (assessment, title) = (Some(assessment.into()), "Probe".into());
        let new = NewItem {
            assessment,
            title,
            ..NewItem::default()
        };
        ids.push(assay.create_item(new).unwrap().item.id);
    }
    ids.into_iter()
}

/// An item change with one field set.
pub fn item_change(edit: impl FnOnce(&mut ItemChange)) -> ItemChange {
    let mut change = ItemChange::default();
    edit(&mut change);
    change
}

fn answer_change(edit: impl FnOnce(&mut AnswerChange)) -> AnswerChange {
    let mut change = AnswerChange::default();
    edit(&mut change);
    change
}

fn link(target: &str, label: Option<&str>) -> EvidenceLink {
    let (target, label) = (target.to_owned(), label.map(str::to_owned));
    EvidenceLink {
        kind: EvidenceKind::Url,
        target,
        label,
        as_of: None,
        provenance: None,
    }
}

/// A file reference: any text, kept as given (within the text limits).
fn file_link(target: &str) -> EvidenceLink {
    EvidenceLink {
        kind: EvidenceKind::File,
        target: target.to_owned(),
        label: None,
        as_of: None,
        provenance: None,
    }
}

/// Which part of an evidence link a probe string goes into.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Made {
    Link,
    File,
    Label,
}

/// A web link must be an http(s) address; files and tracker references take any text.
const WEB_LINK: Rule = Rule::WebLink {
    max: LONG,
    blank: "evidence reference is empty",
};

const FILE_PATH: Rule = Rule::FilePath {
    max: LONG,
    blank: "evidence reference is empty",
};

pub fn accept_risk(accepted_by: &str, reason: &str) -> ItemChange {
    let (accepted_by, reason) = (accepted_by.into(), reason.into());
    let status = Some(StatusChange::AcceptRisk {
        accepted_by,
        reason,
    });
    item_change(|c| c.status = status)
}

/// Sign-off names, roles and comments.
pub fn sign_offs(probe: &mut Probe, assay: &mut Assay, id: &str) {
    for (field, rule, at) in [
        ("sign-off name", text(SHORT, "name is empty"), 0),
        ("sign-off role", text(SHORT, "role is empty"), 1),
        ("sign-off comment", clearable(LONG), 2),
    ] {
        probe.field(assay, field, rule, |a, s| {
            let mut texts = ["Ana", "Auditor", ""];
            texts[at] = s;
            let signed = a.sign_off(id, texts[0], texts[1], Decision::Approve, texts[2])?;
            let (assessment, signoff) = (id.to_owned(), signed.signoff.id);
            let read: Read = Box::new(move |a| {
                let all = a.signoffs(&assessment).unwrap().into_iter();
                let r = all.map(|v| v.signoff).find(|r| r.id == signoff).unwrap();
                vec![r.name, r.role, r.comment].swap_remove(at)
            });
            Ok(read)
        });
    }
}

/// Participants added to a running assessment: names and roles.
pub fn participants(probe: &mut Probe, assay: &mut Assay, id: &str) {
    let name = text(SHORT, "participant name is empty");
    for (field, rule, at) in [
        ("participant name", name, 0),
        ("participant role", text(SHORT, "role is empty"), 1),
    ] {
        let mut k = 0;
        probe.field(assay, field, rule, |a, s| {
            k += 1;
            let mut texts = vec![format!("Probe {k}"), "Observer".into()];
            texts[at] = s.into();
            let (role, name) = (texts.pop().unwrap(), texts.pop().unwrap());
            let added = a.add_participant(id, NewParticipant { name, role })?;
            let (assessment, participant) = (id.to_owned(), added.id);
            let read: Read = Box::new(move |a| {
                let all = a.assessment(&assessment).unwrap().participants;
                let p = all.into_iter().find(|p| p.id == participant).unwrap();
                vec![p.name, p.role].swap_remove(at)
            });
            Ok(read)
        });
    }
}

fn read_item(item: String, pick: PickItem) -> Read {
    Box::new(move |a| pick(a.item(&item).unwrap().item).unwrap_or_default())
}

type PickItem = fn(GovernanceItem) -> Option<String>;
type SetItem = fn(&str) -> ItemChange;

/// Register items: a scope of their own, then every text an update changes, each probe on an
/// item of its own; then evidence of a done item.
pub fn register(probe: &mut Probe, assay: &mut Assay, id: &str) {
    probe.field(
        assay,
        "item scope",
        text(SHORT, "scope is empty"),
        |a, s| {
            let (scope, title) = (s.into(), "Scoped".into());
            let new = NewItem {
                scope,
                title,
                ..NewItem::default()
            };
            Ok(read_item(a.create_item(new)?.item.id, |i| Some(i.scope)))
        },
    );
    let incomplete = "needs the name of the person accepting it and the reason";
    let fields: [(&str, Rule, SetItem, PickItem); 5] = [
        (
            "item title",
            text(SHORT, "title is empty"),
            |s| item_change(|c| c.title = Some(s.into())),
            |i| Some(i.title),
        ),
        (
            "item description",
            clearable(LONG),
            |s| item_change(|c| c.description = Some(s.into())),
            |i| Some(i.description),
        ),
        (
            "item owner",
            clearable(SHORT),
            |s| item_change(|c| c.owner = Some(s.into())),
            |i| i.owner,
        ),
        (
            "risk accepted by",
            text(SHORT, incomplete),
            |s| accept_risk(s, "Low impact"),
            |i| i.acceptance.map(|x| x.accepted_by),
        ),
        (
            "risk acceptance reason",
            text(LONG, incomplete),
            |s| accept_risk("Dana", s),
            |i| i.acceptance.map(|x| x.reason),
        ),
    ];
    for (field, rule, change, pick) in fields {
        let mut items = new_items(assay, id, probes().len());
        probe.field(assay, field, rule, |a, s| {
            let item = items.next().unwrap();
            a.update_item(&item, change(s))?;
            Ok(read_item(item, pick))
        });
    }
    let done = new_items(assay, id, 1).next().unwrap();
    let to_done = item_change(|c| c.status = Some(StatusChange::To(ItemStatus::Done)));
    assay.update_item(&done, to_done).unwrap();
    for (field, rule, made) in [
        ("item evidence (web link)", WEB_LINK, Made::Link),
        ("item evidence (file)", FILE_PATH, Made::File),
        (
            "item evidence label",
            text(SHORT, "evidence label is empty"),
            Made::Label,
        ),
    ] {
        let label = made == Made::Label;
        probe.field(assay, field, rule, |a, s| {
            let added = match made {
                Made::Label => link("https://example.org/x", Some(s)),
                Made::Link => link(s, None),
                Made::File => file_link(s),
            };
            let change = item_change(|c| c.add_evidence = vec![added]);
            let at = a.update_item(&done, change)?.item.evidence.len() - 1;
            let item = done.clone();
            let read: Read = Box::new(move |a| {
                let link = a.item(&item).unwrap().item.evidence.swap_remove(at);
                if label {
                    link.label.unwrap_or_default()
                } else {
                    link.target
                }
            });
            Ok(read)
        });
    }
}

type PickAnswer = fn(Answer, usize) -> String;
type SetAnswer = fn(&str) -> AnswerChange;

/// Answer notes, N/A justifications and evidence links, each probe on the next question so
/// that none overwrites another.
pub fn answers(probe: &mut Probe, assay: &mut Assay, id: &str) {
    let fields: [(&str, Rule, SetAnswer, PickAnswer); 5] = [
        (
            "answer note",
            clearable(LONG),
            |s| answer_change(|c| c.note = Some(s.into())),
            |x, _| x.note.unwrap_or_default(),
        ),
        (
            "N/A justification",
            text(LONG, "N/A needs a justification"),
            |s| {
                let justification = s.into();
                answer_change(|c| c.rating = Some(Rating::NotApplicable { justification }))
            },
            |x, _| match x.rating {
                Some(Rating::NotApplicable { justification }) => justification,
                other => format!("{other:?}"),
            },
        ),
        (
            "answer evidence (web link)",
            WEB_LINK,
            |s| answer_change(|c| c.add_evidence = vec![link(s, None)]),
            |x, n| x.evidence[n - 1].target.clone(),
        ),
        (
            "answer evidence (file)",
            FILE_PATH,
            |s| answer_change(|c| c.add_evidence = vec![file_link(s)]),
            |x, n| x.evidence[n - 1].target.clone(),
        ),
        (
            "answer evidence label",
            text(SHORT, "evidence label is empty"),
            |s| answer_change(|c| c.add_evidence = vec![link("https://example.org/y", Some(s))]),
            |x, n| x.evidence[n - 1].label.clone().unwrap_or_default(),
        ),
    ];
    let bank = assay.bank().questions.iter();
    let questions: Vec<String> = bank.map(|q| q.id.clone()).collect();
    let mut q = 0;
    for (field, rule, change, pick) in fields {
        probe.field(assay, field, rule, |a, s| {
            q += 1;
            let question = questions[q % questions.len()].clone();
            let links = a.update_answer(id, &question, change(s))?.evidence.len();
            let assessment = id.to_owned();
            let read: Read = Box::new(move |a| {
                let answers = a.assessment(&assessment).unwrap().answers;
                pick(answers[&question].clone(), links)
            });
            Ok(read)
        });
    }
}

/// The audit trail's actor: another `Assay` on the same file changes an answer of an
/// assessment of its own under that name.
pub fn actor(probe: &mut Probe, assay: &mut Assay, dir: &Path) {
    let id = &new_assessment(assay, "Actors");
    let mut notes = 0;
    probe.field(
        assay,
        "audit actor",
        text(SHORT, "actor is empty"),
        |_, s| {
            let mut other = open(dir).with_actor(s)?;
            notes += 1;
            let change = answer_change(|c| c.note = Some(format!("note {notes}")));
            other.update_answer(id, "GOV-1", change).unwrap();
            let seq = other.assessment_history(id).unwrap().last().unwrap().seq;
            let assessment = id.to_owned();
            let read: Read = Box::new(move |a| {
                let events = a.assessment_history(&assessment).unwrap().into_iter();
                events.filter(|e| e.seq == seq).map(|e| e.actor).collect()
            });
            Ok(read)
        },
    );
}

fn mlflow(experiment: &str) -> TrackerTarget {
    let (url, experiment) = ("http://127.0.0.1:5000".into(), experiment.into());
    TrackerTarget::Mlflow { url, experiment }
}

type PickRule = fn(MappingRule) -> Option<String>;
type MakeRule = fn(&str, &str) -> MappingRule;

/// The rule for `raw` of `experiment` as the database file `db` holds it: no user-level
/// call lists the rules of a project that was never imported.
fn read_rule(db: &Path, experiment: &str, raw: &str, pick: PickRule) -> Read {
    let (source, raw) = (mlflow(experiment).source().unwrap(), raw.to_owned());
    let db = db.to_owned();
    Box::new(move |_| {
        let rules = Store::open(&db).unwrap().mapping_rules(&source).unwrap();
        let rule = rules.into_iter().find(|r| r.raw_name == raw);
        rule.and_then(pick).unwrap_or_else(|| "<missing>".into())
    })
}

fn fairness_rule(raw: &str, feature: Option<&str>, group: Option<&str>) -> MappingRule {
    MappingRule {
        raw_name: raw.into(),
        metric: "demographic_parity_difference".into(),
        sensitive_feature: feature.map(str::to_owned),
        group: group.map(str::to_owned),
    }
}

/// Fairness mapping rules: the raw metric name, feature and group, and the experiment named.
pub fn fairness_rules(probe: &mut Probe, assay: &mut Assay) {
    let fields: [(&str, Rule, MakeRule, PickRule); 3] = [
        (
            "fairness rule metric name",
            text(SHORT, "metric name is empty"),
            |s, _| fairness_rule(s, None, None),
            |r| Some(r.raw_name),
        ),
        (
            "fairness rule feature",
            unless_blank("sensitive feature is empty"),
            |s, raw| fairness_rule(raw, Some(s), None),
            |r| r.sensitive_feature,
        ),
        (
            "fairness rule group",
            unless_blank("group is empty"),
            |s, raw| fairness_rule(raw, Some("sex"), Some(s)),
            |r| r.group,
        ),
    ];
    let db = probe.db().to_owned();
    for (field, rule, make, pick) in fields {
        let mut k = 0;
        probe.field(assay, field, rule, |a, s| {
            k += 1;
            let rule = make(s, &format!("{field} {k}"));
            a.map_fairness_metric(&mlflow("exp"), rule.clone())?;
            Ok(read_rule(&db, "exp", &rule.raw_name, pick))
        });
    }
    // MLflow experiment names are not checked: any text is kept as given.
    let rule = Rule::AsGiven {
        refuse: |_| false,
        code: "",
        says: "",
    };
    probe.field(assay, "MLflow experiment", rule, |a, s| {
        a.map_fairness_metric(&mlflow(s), fairness_rule("dpd_sex", None, None))?;
        let found = read_rule(&db, s, "dpd_sex", |r| Some(r.raw_name));
        let experiment = s.to_owned();
        let read: Read = Box::new(move |a| match found(a).as_str() {
            "dpd_sex" => experiment.clone(),
            other => other.to_owned(),
        });
        Ok(read)
    });
    probe.field(
        assay,
        "MLflow URL",
        Rule::Lookup("invalid_config"),
        |_, s| {
            let (url, experiment) = (s.into(), "e".into());
            TrackerTarget::Mlflow { url, experiment }
                .source()
                .map(|_| never())
        },
    );
}

pub fn wandb_import(
    assay: &mut Assay,
    (base_url, entity, project): (&str, &str, &str),
    scope: Option<&str>,
) -> Result<ImportSummary, ApiError> {
    let (base_url, entity, project) = (base_url.into(), entity.into(), project.into());
    let request = EvidenceRequest {
        target: TrackerTarget::Wandb {
            base_url,
            entity,
            project,
        },
        credential: Credential::None,
        timeout: Some(Duration::from_secs(20)),
        ca_cert: None,
        full: true,
        scope: scope.map(str::to_owned),
    };
    let progress = assay_api::trackers::ignore_progress();
    assay.import_evidence(&request, progress, CancellationToken::new())
}

/// Reads back the W&B project path an import stored, or `<missing>`.
fn read_project(path: String, strip: fn(&str) -> &str) -> Read {
    Box::new(move |a| {
        let found = a.evidence(None).unwrap();
        let found = found.iter().find(|p| p.source.project == path);
        found.map_or_else(|| "<missing>".into(), |p| strip(&p.source.project).into())
    })
}

/// W&B imports from the stand-in at `wandb` (all its projects empty): entity, project, the
/// scope the evidence is linked to, and the server URL.
pub fn tracker_targets(probe: &mut Probe, assay: &mut Assay, wandb: &str) {
    let says = "without '/' or control characters";
    let refuse = |name: &str| name.contains('/') || name.chars().any(char::is_control);
    let rule = Rule::AsGiven {
        refuse,
        code: "invalid_config",
        says,
    };
    probe.field(assay, "W&B entity", rule, |a, s| {
        let path = wandb_import(a, (wandb, s, "plain"), None)?
            .import
            .source
            .project;
        Ok(read_project(path, |p| p.strip_suffix("/plain").unwrap()))
    });
    probe.field(assay, "W&B project", rule, |a, s| {
        let path = wandb_import(a, (wandb, "plain", s), None)?
            .import
            .source
            .project;
        Ok(read_project(path, |p| p.strip_prefix("plain/").unwrap()))
    });
    probe.field(
        assay,
        "evidence scope",
        text(SHORT, "scope is empty"),
        |a, s| {
            wandb_import(a, (wandb, "scoped", "plain"), Some(s))?;
            let scope = s.to_owned();
            let read: Read = Box::new(move |a| match a.evidence(Some(&scope)).unwrap().len() {
                1 => scope.clone(),
                n => format!("linked to {n} projects"),
            });
            Ok(read)
        },
    );
    probe.field(
        assay,
        "W&B server URL",
        Rule::Lookup("invalid_config"),
        |a, s| wandb_import(a, (s, "plain", "plain"), None).map(|_| never()),
    );
}

/// Ids, names and keywords that must match something, refused whatever they hold; tried on
/// an assessment of its own, whose one participant is Ana.
pub fn lookups(probe: &mut Probe, assay: &mut Assay) {
    let id = new_assessment(assay, "Lookups");
    for (field, code, lookup) in LOOKUPS {
        probe.field(assay, field, Rule::Lookup(code), |a, s| {
            lookup(a, &id, s).map(|()| never())
        });
    }
}

type Lookup = fn(&mut Assay, &str, &str) -> Result<(), ApiError>;

const LOOKUPS: [(&str, &str, Lookup); 18] = [
    ("assessment id", "assessment_not_found", |a, _, s| {
        a.assessment(s).map(drop)
    }),
    ("item id", "item_not_found", |a, _, s| a.item(s).map(drop)),
    ("history scope", "invalid_input", |a, _, s| {
        a.history(s).map(drop)
    }),
    ("diff from", "assessment_not_found", |a, l, s| {
        a.diff(s, l).map(drop)
    }),
    ("vote participant", "unknown_participant", |a, l, s| {
        let vote = VoteValue::Level(Level::saturating(2));
        a.cast_vote(l, "GOV-1", s, vote).map(drop)
    }),
    ("vote question", "unknown_question", |a, l, s| {
        a.cast_vote(l, s, "Ana", VoteValue::NotApplicable).map(drop)
    }),
    ("target area", "unknown_area", |a, l, s| {
        a.set_target(l, TargetChange::Area(s, None))
    }),
    ("target question", "unknown_question", |a, l, s| {
        a.set_target(l, TargetChange::Question(s, None))
    }),
    ("gap question", "unknown_question", |a, l, s| {
        a.item_from_gap(l, s).map(drop)
    }),
    ("item question", "unknown_question", |a, l, s| {
        let (assessment, questions) = (Some(l.into()), vec![s.into()]);
        let title = "t".into();
        let new = NewItem {
            assessment,
            title,
            questions,
            ..NewItem::default()
        };
        a.create_item(new).map(drop)
    }),
    ("start from", "assessment_not_found", |a, _, s| {
        let (scope, start_from) = ("x".into(), Some(s.into()));
        let new = NewAssessment {
            scope,
            start_from,
            ..NewAssessment::default()
        };
        a.create_assessment(new).map(drop)
    }),
    ("area target", "unknown_area", |a, _, s| {
        let scope = "x".into();
        let mut new = NewAssessment {
            scope,
            ..NewAssessment::default()
        };
        new.targets.areas.insert(s.into(), Level::saturating(2));
        a.create_assessment(new).map(drop)
    }),
    ("sign-off decision", "invalid_input", |a, l, s| {
        let decision = Decision::parse(s).map_err(ApiError::from)?;
        a.sign_off(l, "Ana", "Lead", decision, "c").map(drop)
    }),
    ("report format", "invalid_input", |_, _, s| {
        ReportFormat::parse(s).map(drop)
    }),
    ("level", "invalid_input", |_, _, s| {
        Ok(Level::parse(s).map(drop)?)
    }),
    ("confidence", "invalid_input", |_, _, s| {
        Ok(Confidence::parse(s).map(drop)?)
    }),
    ("priority", "invalid_input", |_, _, s| {
        Ok(Priority::parse(s).map(drop)?)
    }),
    ("item status", "invalid_input", |_, _, s| {
        Ok(ItemStatus::parse(s).map(drop)?)
    }),
];
