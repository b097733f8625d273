//! The two cells of a bank workbook's question row that hold its crosswalk, written and read
//! here together so that the two cannot drift.
//!
//! `crosswalk` has one line per framework, each linked clause followed by its relationship in
//! brackets when the bank gives one: `iso_42001: A.3.2 [subset], A.6.2.2`. `crosswalk rationale`
//! has one line per typed link that says why it has its type:
//! `iso_42001 A.3.2: Checks only the written list of roles.` The line is split at its first
//! `": "`, so a rationale may hold commas, colons and brackets; framework ids hold no space, so
//! the first space ends the framework and the rest is the clause (`nist_ai_rmf MAP 3.5: ...`).

use std::collections::BTreeMap;

use assay_assessment::bank::{ClauseRelation, Question, Relationship};

use super::read::{Problems, clip};

/// Framework id -> clause ids, in the order the cell lists them.
pub(crate) type Crosswalk = BTreeMap<String, Vec<String>>;
/// Framework id -> clause id -> the link's type, for typed links only.
pub(crate) type Relations = BTreeMap<String, BTreeMap<String, ClauseRelation>>;

/// The `crosswalk` cell of a question.
pub(crate) fn crosswalk_cell(question: &Question) -> String {
    question
        .crosswalk
        .iter()
        .map(|(framework, clauses)| {
            let links: Vec<String> = clauses
                .iter()
                .map(|clause| match question.relation(framework, clause) {
                    Some(relation) => format!("{clause} [{}]", relation.relationship),
                    None => clause.clone(),
                })
                .collect();
            format!("{framework}: {}", links.join(", "))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The `crosswalk rationale` cell of a question: one line per link with a rationale.
pub(crate) fn rationale_cell(question: &Question) -> String {
    let mut lines = Vec::new();
    for (framework, clauses) in &question.crosswalk {
        for clause in clauses {
            let Some(rationale) = question
                .relation(framework, clause)
                .and_then(|r| r.rationale.as_deref())
            else {
                continue;
            };
            // A line break would start another link's line. Written as a space, the rationale
            // reads back changed, and the export, which reads its own file back, refuses the
            // bank rather than alter it.
            let one_line = rationale.replace(['\r', '\n'], " ");
            lines.push(format!("{framework} {clause}: {one_line}"));
        }
    }
    lines.join("\n")
}

/// Reads the `crosswalk` cell named `cell`: the linked clauses and the types given in brackets.
pub(crate) fn read_crosswalk(
    text: &str,
    cell: &str,
    problems: &mut Problems,
) -> (Crosswalk, Relations) {
    let mut crosswalk = Crosswalk::new();
    let mut relations = Relations::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let Some((framework, clauses)) = line.split_once(':') else {
            problems.add(
                cell.to_owned(),
                format!("`{}` is not `framework: clause, clause`", clip(line)),
            );
            continue;
        };
        let framework = framework.trim().to_owned();
        let mut ids: Vec<String> = Vec::new();
        let mut typed: BTreeMap<String, ClauseRelation> = BTreeMap::new();
        for link in clauses.split(',').map(str::trim).filter(|c| !c.is_empty()) {
            let (clause, relationship) = match parse_link(link) {
                Ok(parsed) => parsed,
                Err(problem) => {
                    problems.add(cell.to_owned(), problem);
                    continue;
                }
            };
            // One clause cannot have two types; a clause listed twice untyped reads as it always did.
            if ids.contains(&clause) && (relationship.is_some() || typed.contains_key(&clause)) {
                problems.add(
                    cell.to_owned(),
                    format!("clause {} of {framework} is listed twice", clip(&clause)),
                );
                continue;
            }
            if let Some(relationship) = relationship {
                let relation = ClauseRelation {
                    relationship,
                    rationale: None,
                };
                typed.insert(clause.clone(), relation);
            }
            ids.push(clause);
        }
        if crosswalk.insert(framework.clone(), ids).is_some() {
            problems.add(
                cell.to_owned(),
                format!("framework {framework} is listed twice"),
            );
        }
        if !typed.is_empty() {
            relations.insert(framework, typed);
        }
    }
    (crosswalk, relations)
}

/// One entry of a crosswalk line: a clause id, and the relationship when it ends in
/// `[word]`. Anything else is a bare clause id, as in workbooks written before typed links.
fn parse_link(link: &str) -> Result<(String, Option<Relationship>), String> {
    let typed = link
        .strip_suffix(']')
        .and_then(|head| head.rsplit_once('['));
    let Some((clause, word)) = typed else {
        return Ok((link.to_owned(), None));
    };
    let clause = clause.trim();
    if clause.is_empty() {
        return Err(format!(
            "`{}` gives a relationship but no clause id",
            clip(link)
        ));
    }
    match Relationship::parse(word) {
        Some(relationship) => Ok((clause.to_owned(), Some(relationship))),
        None => Err(format!(
            "`{}` after clause {} is not a relationship: use {}",
            clip(word.trim()),
            clip(clause),
            relationship_names()
        )),
    }
}

/// "equal, subset, superset or intersects".
fn relationship_names() -> String {
    let names: Vec<&str> = Relationship::ALL.iter().map(|r| r.as_str()).collect();
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => names.join(""),
    }
}

/// Reads the `crosswalk rationale` cell named `cell` into the typed links of `relations`;
/// `crosswalk_cell` names the question's `crosswalk` cell in problems.
pub(crate) fn read_rationales(
    text: &str,
    cell: &str,
    crosswalk_cell: &str,
    crosswalk: &Crosswalk,
    relations: &mut Relations,
    problems: &mut Problems,
) {
    let mut problem = |message: String| problems.add(cell.to_owned(), message);
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let parts = line
            .split_once(": ")
            .or_else(|| line.trim_end().strip_suffix(':').map(|link| (link, "")));
        let link = parts.and_then(|(link, rationale)| {
            let (framework, clause) = link.trim().split_once(char::is_whitespace)?;
            Some((framework, clause.trim(), rationale.trim()))
        });
        let Some((framework, clause, rationale)) = link else {
            problem(format!(
                "`{}` is not `framework clause: rationale`",
                clip(line)
            ));
            continue;
        };
        let named = format!("{} {}", clip(framework), clip(clause));
        if rationale.is_empty() {
            problem(format!("the line for {named} gives no rationale"));
            continue;
        }
        let linked = crosswalk
            .get(framework)
            .is_some_and(|ids| ids.iter().any(|id| id == clause));
        if !linked {
            problem(format!(
                "{named} is not linked in {crosswalk_cell}: a rationale goes with a link there"
            ));
            continue;
        }
        let Some(relation) = relations
            .get_mut(framework)
            .and_then(|clauses| clauses.get_mut(clause))
        else {
            problem(format!(
                "the link to {named} has no relationship: give it one in {crosswalk_cell}, e.g. \
                 `{} [subset]`",
                clip(clause)
            ));
            continue;
        };
        if relation.rationale.is_some() {
            problem(format!("{named} has a rationale on an earlier line"));
            continue;
        }
        relation.rationale = Some(rationale.to_owned());
    }
}
