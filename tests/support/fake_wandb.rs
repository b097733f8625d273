//! A stand-in W&B GraphQL server on 127.0.0.1 for `tests/hostile_input.rs`: one project whose
//! runs, datasets, registered models and fairness reports are all named with hostile strings
//! (run `i` carries string `i` everywhere a tracker lets a user type a name). Any other project
//! exists but is empty. Nothing leaves the machine.

#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;

use assay_api::evidence_model::Snapshot;
use serde_json::{Value, json};

/// Starts the server in the background; returns its base URL. `project` is the one project
/// with runs in it, of any entity.
pub fn serve(names: Vec<String>, project: &str) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let world = Arc::new((names, project.to_owned()));
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let world = Arc::clone(&world);
            std::thread::spawn(move || answer(stream, &world.0, &world.1));
        }
    });
    url
}

/// The W&B run id (GraphQL `name`) of run `i`.
pub fn run_id(i: usize, name: &str) -> String {
    format!("r{i}-{name}")
}

/// The artifact id of run `i`'s dataset.
pub fn dataset_id(i: usize, name: &str) -> String {
    format!("d{i}-{name}")
}

/// One request per connection (`Connection: close`), answered with JSON.
fn answer(stream: TcpStream, names: &[String], project: &str) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut length = 0;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((key, value)) = line.split_once(':')
            && key.eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse().unwrap();
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).unwrap();
    let request: Value = serde_json::from_slice(&body).unwrap();
    let reply = respond(&request, names, project).to_string();
    let mut stream = stream;
    let head = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n",
        reply.len()
    );
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(reply.as_bytes());
}

fn connection(nodes: Vec<Value>) -> Value {
    let edges: Vec<Value> = nodes
        .into_iter()
        .map(|node| json!({"node": node}))
        .collect();
    json!({"edges": edges, "pageInfo": {"hasNextPage": false, "endCursor": null}})
}

fn respond(request: &Value, names: &[String], project: &str) -> Value {
    let vars = &request["variables"];
    let run_index = || {
        let run = vars["run"].as_str().unwrap();
        let i: usize = run[1..].split_once('-').unwrap().0.parse().unwrap();
        (i, names[i].as_str())
    };
    match request["operationName"].as_str().unwrap() {
        "Runs" => {
            let runs: Vec<Value> = if vars["project"] == project {
                names.iter().enumerate().map(|(i, s)| run(i, s)).collect()
            } else {
                Vec::new()
            };
            json!({"data": {"project": {"runCount": runs.len(), "runs": connection(runs)}}})
        }
        "RunInputArtifacts" => {
            let (i, s) = run_index();
            let dataset = json!({
                "id": dataset_id(i, s), "artifactSequence": sequence(s), "versionIndex": i,
                "artifactType": {"name": "dataset"}, "metadata": null, "digest": s,
            });
            json!({"data": {"project": {"run": {"artifacts": connection(vec![dataset])}}}})
        }
        "RunOutputArtifacts" => {
            let (i, s) = run_index();
            let model = json!({
                "id": format!("m{i}"), "artifactSequence": sequence(s), "versionIndex": 0,
                "artifactType": {"name": "model"},
            });
            let report = json!({"sensitive_features": {s: {
                "reference_group": s,
                "overall": {"demographic_parity_difference": {"value": 0.3, "threshold": 0.1}},
                "by_group": {"selection_rate": {s: 0.4, "others": 0.7}},
            }}});
            let audit = json!({
                "id": format!("b{i}"), "artifactSequence": sequence(s), "versionIndex": 0,
                "artifactType": {"name": "bias-audit"}, "metadata": {"report": report},
            });
            json!({"data": {"project": {"run": {"artifacts": connection(vec![model, audit])}}}})
        }
        "FetchLinkedArtifacts" => {
            let i: usize = vars["artifactID"].as_str().unwrap()[1..].parse().unwrap();
            let s = &names[i];
            let link = json!({
                "versionIndex": i,
                "aliases": [{"alias": s}, {"alias": "production"}],
                "artifactCollection": {"__typename": "ArtifactPortfolio", "name": s,
                    "project": {"name": "wandb-registry-model", "entity": {"name": s}}},
            });
            json!({"data": {"artifact": {"artifactMemberships": connection(vec![link])}}})
        }
        other => json!({"errors": [{"message": format!("unknown operation {other}")}]}),
    }
}

fn sequence(name: &str) -> Value {
    json!({"__typename": "ArtifactSequence", "name": name,
           "project": {"name": name, "entity": {"name": name}}})
}

fn run(i: usize, s: &str) -> Value {
    json!({
        "name": run_id(i, s), "displayName": s, "state": "finished", "tags": [s],
        "group": s, "jobType": s, "commit": s,
        "createdAt": format!("2026-05-01T09:{i:02}:00"), "heartbeatAt": "2026-05-01T10:00:00",
        "config": {s: {"value": s}},
        "summaryMetrics": {s: 0.5},
    })
}

/// Asserts that an import of this server's project kept every name verbatim, where the
/// evidence model holds it; returns how many (field, string) pairs it checked.
pub fn assert_kept(snap: &Snapshot, names: &[String]) -> usize {
    let mut pairs = 0;
    for (i, s) in names.iter().enumerate() {
        let s = s.as_str();
        let run_id = run_id(i, s);
        let run = snap.runs.iter().find(|r| r.external_id == run_id).unwrap();
        let data_id = dataset_id(i, s);
        let data = snap.datasets.iter().find(|d| d.external_id == data_id);
        let data = data.unwrap();
        let model_id = format!("{s}/v{i}");
        let model = snap
            .model_versions
            .iter()
            .find(|m| m.external_id == model_id);
        let model = model.unwrap();
        let bias = |group: Option<&str>| {
            let of_run = snap.bias.iter().filter(|b| b.run == run_id);
            let mut of_feature = of_run.filter(|b| b.sensitive_feature.as_deref() == Some(s));
            of_feature.find(|b| b.group.as_deref() == group).unwrap()
        };
        let key = |map: &'_ BTreeMap<String, String>| map.keys().find(|k| *k == s).cloned();
        let metric = run.metrics.keys().find(|k| *k == s).cloned();
        let alias = model.aliases.iter().find(|a| *a == s).cloned();
        let context = snap
            .edges
            .iter()
            .find_map(|e| e.context.clone().filter(|c| c == s));
        let kept = [
            ("run name", Some(run.name.clone())),
            ("run tag", key(&run.tags)),
            ("run group", run.tags.get("wandb.group").cloned()),
            ("job type", run.tags.get("wandb.job_type").cloned()),
            ("commit", run.code_commit.clone()),
            ("config key", key(&run.params)),
            ("config value", run.params.get(s).cloned()),
            ("metric name", metric),
            ("dataset name", Some(data.name.clone())),
            ("dataset digest", data.digest.clone()),
            ("model name", Some(model.registry_name.clone())),
            ("model alias", alias),
            ("reference group", bias(Some(s)).reference_group.clone()),
            ("fairness group", bias(Some(s)).group.clone()),
            ("lineage context", context),
        ];
        for (what, stored) in &kept {
            let shown = stored
                .as_deref()
                .map(|t| t.chars().take(40).collect::<String>());
            assert!(stored.as_deref() == Some(s), "{what} of run {i}: {shown:?}");
        }
        let uri = data.source.as_deref().unwrap();
        assert!(
            uri.contains(&format!("{s}/{s}/{s}:v{i}")),
            "dataset URI of run {i}"
        );
        assert_eq!(
            bias(None).passed,
            Some(false),
            "the fairness finding of run {i}"
        );
        // With the run, dataset and model ids, the dataset URI and the feature.
        pairs += kept.len() + 5;
    }
    pairs
}
