//! GraphQL over the shared HTTP client: the operation documents, the request body, and
//! the mapping of GraphQL `errors` (which W&B sends with HTTP 200) to [`TrackerError`].

use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use crate::error::{TrackerError, excerpt};
use crate::http::{HttpClient, target_of};

/// One operation: its name and a complete document holding exactly the fragments it uses
/// (a spec-compliant server rejects unused fragments).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Operation {
    pub name: &'static str,
    pub document: &'static str,
}

pub(crate) const RUNS: Operation = Operation {
    name: "Runs",
    document: concat!(
        include_str!("queries/runs.graphql"),
        include_str!("queries/run_fields.graphql"),
        include_str!("queries/page_fields.graphql"),
    ),
};

pub(crate) const RUN: Operation = Operation {
    name: "Run",
    document: concat!(
        include_str!("queries/run.graphql"),
        include_str!("queries/run_fields.graphql"),
    ),
};

pub(crate) const RUN_INPUTS: Operation = Operation {
    name: "RunInputArtifacts",
    document: concat!(
        include_str!("queries/run_inputs.graphql"),
        include_str!("queries/artifact_fields.graphql"),
        include_str!("queries/page_fields.graphql"),
    ),
};

pub(crate) const RUN_OUTPUTS: Operation = Operation {
    name: "RunOutputArtifacts",
    document: concat!(
        include_str!("queries/run_outputs.graphql"),
        include_str!("queries/artifact_fields.graphql"),
        include_str!("queries/page_fields.graphql"),
    ),
};

pub(crate) const LINKED: Operation = Operation {
    name: "FetchLinkedArtifacts",
    document: include_str!("queries/linked.graphql"),
};

/// Every operation the importer sends, for tests that check the documents.
#[cfg(test)]
pub(crate) const ALL: [Operation; 5] = [RUNS, RUN, RUN_INPUTS, RUN_OUTPUTS, LINKED];

/// Sends `operation` and decodes its `data` as `T`.
pub(crate) async fn query<T: DeserializeOwned>(
    client: &HttpClient,
    endpoint: &str,
    operation: Operation,
    variables: Value,
) -> Result<T, TrackerError> {
    let body = json!({
        "query": operation.document,
        "operationName": operation.name,
        "variables": variables,
    });
    let response = client.post_json(endpoint, &body).await?;
    decode(response, operation, &target(endpoint))
}

/// Decodes the `data` of `operation`'s response as `T`; `target` names the server in errors.
pub(crate) fn decode<T: DeserializeOwned>(
    response: Value,
    operation: Operation,
    target: &str,
) -> Result<T, TrackerError> {
    let data = data_of(response, operation.name, target)?;
    serde_json::from_value(data).map_err(|error| {
        TrackerError::bad_response(format!(
            "W&B {} answer has an unexpected shape: {error}",
            operation.name
        ))
    })
}

/// The `data` member of a GraphQL response, or the error its `errors` member describes.
pub(crate) fn data_of(
    response: Value,
    operation: &str,
    target: &str,
) -> Result<Value, TrackerError> {
    let Value::Object(mut response) = response else {
        return Err(TrackerError::bad_response(format!(
            "W&B {operation} answer is not a JSON object"
        )));
    };
    if let Some(errors) = response.get("errors").filter(|e| !is_empty(e)) {
        return Err(graphql_error(errors, target));
    }
    match response.remove("data") {
        Some(data @ Value::Object(_)) => Ok(data),
        _ => Err(TrackerError::bad_response(format!(
            "W&B {operation} answer has no data"
        ))),
    }
}

/// `host:port` of the endpoint, the only part of it errors show.
fn target(endpoint: &str) -> String {
    reqwest::Url::parse(endpoint).map_or_else(|_| "W&B".to_string(), |url| target_of(&url))
}

fn is_empty(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::Array(items) => items.is_empty(),
        _ => false,
    }
}

/// Maps a GraphQL `errors` member by its first message. W&B has no machine-readable error
/// codes in its public API, so the wording decides; the messages matched are the ones its
/// server and proxies commonly use.
pub(crate) fn graphql_error(errors: &Value, target: &str) -> TrackerError {
    let first = match errors {
        Value::Array(items) => items.first().unwrap_or(&Value::Null),
        other => other,
    };
    let message = first
        .get("message")
        .and_then(Value::as_str)
        .or_else(|| first.as_str())
        .unwrap_or("(no message)");
    let lower = message.to_ascii_lowercase();
    const AUTH: [&str; 9] = [
        "unauthorized",
        "unauthenticated",
        "not authorized",
        "not logged in",
        "permission",
        "forbidden",
        "access denied",
        "api key",
        "authentication",
    ];
    const MISSING: [&str; 4] = ["not found", "could not find", "does not exist", "no such"];
    if AUTH.iter().any(|word| lower.contains(word)) {
        TrackerError::Auth {
            target: target.to_string(),
        }
    } else if MISSING.iter().any(|word| lower.contains(word)) {
        TrackerError::NotFound {
            what: excerpt(message),
        }
    } else {
        TrackerError::bad_response(format!("W&B GraphQL error: {message}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_hold_their_operation_and_only_used_fragments() {
        for op in ALL {
            assert!(
                op.document.contains(&format!("query {}(", op.name)),
                "{}",
                op.name
            );
            for (fragment, used) in [
                ("RunFields", "...RunFields"),
                ("ArtifactFields", "...ArtifactFields"),
                ("PageFields", "...PageFields"),
            ] {
                let defined = op.document.contains(&format!("fragment {fragment} on"));
                assert_eq!(
                    defined,
                    op.document.contains(used),
                    "{} / {fragment}",
                    op.name
                );
            }
        }
    }

    #[test]
    fn errors_with_http_200_are_mapped_by_wording() {
        let map = |message: &str| data_of(json!({"errors": [{"message": message}]}), "Runs", "h:1");
        let code = |message: &str| map(message).map(|_| ()).unwrap_err().kind();
        assert_eq!(code("permission denied"), "auth_failed");
        assert_eq!(code("User is not logged in"), "auth_failed");
        assert_eq!(code("project not found"), "not_found");
        assert_eq!(
            code("Cannot query field \"x\" on type \"Run\"."),
            "bad_response"
        );
        let long = "x".repeat(5000);
        assert!(map(&long).unwrap_err().to_string().len() < 400);
    }

    #[test]
    fn answers_without_data_are_bad_responses() {
        for body in [
            json!({}),
            json!({"data": null}),
            json!([]),
            json!("text"),
            json!({"data": 3}),
        ] {
            assert_eq!(
                data_of(body, "Runs", "h:1").unwrap_err().kind(),
                "bad_response"
            );
        }
        assert!(data_of(json!({"data": {}, "errors": []}), "Runs", "h:1").is_ok());
        assert!(data_of(json!({"data": {}, "errors": null}), "Runs", "h:1").is_ok());
    }
}
