//! The room's two HTTP faces. Participants reach `/` and `/api/{participants,join,state,vote}` on the
//! network address; nothing else is routed there. The facilitator's page and its API listen on
//! a loopback address only and need the facilitator's own token. Errors are `{code, message}`,
//! as across the desktop app's IPC.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::{ConnectInfo, DefaultBodyLimit, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

use crate::guard;
use crate::room::Shared;

/// Requests larger than this are refused before they are read: a vote or a join is tiny.
pub(crate) const MAX_BODY_BYTES: usize = 2048;

/// A refused request: its HTTP status and the `{code, message}` body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Refusal {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
}

impl Refusal {
    pub fn new(status: StatusCode, code: &'static str, message: String) -> Refusal {
        Refusal {
            status,
            code,
            message,
        }
    }
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    code: &'a str,
    message: &'a str,
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        let body = Json(ErrorBody {
            code: self.code,
            message: &self.message,
        });
        with_headers((self.status, body).into_response())
    }
}

/// Headers every answer carries: nothing is cached, sniffed, framed or sent on as a referrer.
fn with_headers(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    response
}

fn json<T: Serialize>(value: T) -> Response {
    with_headers(Json(value).into_response())
}

/// A page or script of the room's own front end, under a policy that allows nothing else.
fn asset(body: &'static str, content_type: &'static str) -> Response {
    let mut response = with_headers(body.into_response());
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; \
             img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
        ),
    );
    response
}

const PARTICIPANT_PAGE: &str = include_str!("../../../assets/room/participant.html");
const FACILITATOR_PAGE: &str = include_str!("../../../assets/room/facilitator.html");
const ROOM_SCRIPT: &str = include_str!("../../../assets/room/room.js");
const ROOM_STYLE: &str = include_str!("../../../assets/room/room.css");

fn front_end(router: Router<Arc<Shared>>) -> Router<Arc<Shared>> {
    router
        .route(
            "/room.js",
            get(|| async { asset(ROOM_SCRIPT, "text/javascript; charset=utf-8") }),
        )
        .route(
            "/room.css",
            get(|| async { asset(ROOM_STYLE, "text/css; charset=utf-8") }),
        )
}

/// The participants' face, for the network address.
pub(crate) fn participant_router(shared: Arc<Shared>) -> Router {
    front_end(Router::new())
        .route(
            "/",
            get(|| async { asset(PARTICIPANT_PAGE, "text/html; charset=utf-8") }),
        )
        .route("/api/join", post(join))
        .route("/api/participants", post(participants))
        .route("/api/state", get(participant_state))
        .route("/api/vote", put(vote))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(axum::middleware::from_fn_with_state(
            shared.clone(),
            participant_guard,
        ))
        .with_state(shared)
}

/// The facilitator's face, for the loopback address.
pub(crate) fn facilitator_router(shared: Arc<Shared>) -> Router {
    front_end(Router::new())
        .route(
            "/facilitator",
            get(|| async { asset(FACILITATOR_PAGE, "text/html; charset=utf-8") }),
        )
        .route("/api/facilitator/state", get(facilitator_state))
        .route("/api/facilitator/goto", post(goto))
        .route("/api/facilitator/next", post(next))
        .route("/api/facilitator/previous", post(previous))
        .route("/api/facilitator/reveal", post(reveal))
        .route("/api/facilitator/rotate-code", post(rotate_code))
        .route("/api/facilitator/kick", post(kick))
        .route("/api/facilitator/rename", post(rename))
        .route("/api/facilitator/merge", post(merge))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(axum::middleware::from_fn_with_state(
            shared.clone(),
            facilitator_guard,
        ))
        .with_state(shared)
}

async fn participant_guard(
    State(shared): State<Arc<Shared>>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    match guard::same_origin(request.headers(), &shared.participant_host) {
        Ok(()) => next.run(request).await,
        Err(refusal) => refusal.into_response(),
    }
}

async fn facilitator_guard(
    State(shared): State<Arc<Shared>>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    if let Err(refusal) = guard::same_origin(request.headers(), &shared.facilitator_host) {
        return refusal.into_response();
    }
    // The page and its assets are public on loopback; every API call needs the token.
    if request.uri().path().starts_with("/api/")
        && !shared.is_facilitator(guard::bearer(request.headers()).unwrap_or_default())
    {
        return Refusal::new(
            StatusCode::UNAUTHORIZED,
            "not_facilitator",
            "the facilitator's token is missing or wrong".to_owned(),
        )
        .into_response();
    }
    next.run(request).await
}

#[derive(Deserialize)]
struct JoinRequest {
    code: String,
    name: String,
}

async fn join(
    State(shared): State<Arc<Shared>>,
    ConnectInfo(client): ConnectInfo<SocketAddr>,
    Json(request): Json<JoinRequest>,
) -> Response {
    match shared.join(&request.code, &request.name, client.ip()) {
        Ok(joined) => json(joined),
        Err(refusal) => refusal.into_response(),
    }
}

#[derive(Deserialize)]
struct CodeRequest {
    code: String,
}

#[derive(Serialize)]
struct Names {
    names: Vec<String>,
}

async fn participants(
    State(shared): State<Arc<Shared>>,
    ConnectInfo(client): ConnectInfo<SocketAddr>,
    Json(request): Json<CodeRequest>,
) -> Response {
    match shared.participant_names(&request.code, client.ip()) {
        Ok(names) => json(Names { names }),
        Err(refusal) => refusal.into_response(),
    }
}

fn token_of(headers: &HeaderMap) -> Result<&str, Refusal> {
    guard::bearer(headers).ok_or_else(|| {
        Refusal::new(
            StatusCode::UNAUTHORIZED,
            "not_joined",
            "join the room first: this device has no session".to_owned(),
        )
    })
}

async fn participant_state(State(shared): State<Arc<Shared>>, headers: HeaderMap) -> Response {
    match token_of(&headers).and_then(|token| shared.participant_view(token)) {
        Ok(view) => json(view),
        Err(refusal) => refusal.into_response(),
    }
}

#[derive(Deserialize)]
struct VoteRequest {
    /// "0".."4", "na" or "dont_know".
    value: String,
}

async fn vote(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    Json(request): Json<VoteRequest>,
) -> Response {
    match token_of(&headers).and_then(|token| shared.vote(token, &request.value)) {
        Ok(view) => json(view),
        Err(refusal) => refusal.into_response(),
    }
}

async fn facilitator_state(State(shared): State<Arc<Shared>>) -> Response {
    match shared.status() {
        Ok(status) => json(status),
        Err(refusal) => refusal.into_response(),
    }
}

#[derive(Deserialize)]
struct GotoRequest {
    question: String,
}

async fn goto(State(shared): State<Arc<Shared>>, Json(request): Json<GotoRequest>) -> Response {
    respond(&shared, shared.goto(&request.question))
}

async fn next(State(shared): State<Arc<Shared>>) -> Response {
    respond(&shared, shared.step(1))
}

async fn previous(State(shared): State<Arc<Shared>>) -> Response {
    respond(&shared, shared.step(-1))
}

async fn reveal(State(shared): State<Arc<Shared>>) -> Response {
    respond(&shared, shared.reveal())
}

async fn rotate_code(State(shared): State<Arc<Shared>>) -> Response {
    respond(&shared, shared.rotate_code().map(|_| ()))
}

#[derive(Deserialize)]
struct KickRequest {
    device: String,
}

async fn kick(State(shared): State<Arc<Shared>>, Json(request): Json<KickRequest>) -> Response {
    respond(&shared, shared.kick(&request.device))
}

#[derive(Deserialize)]
struct RenameRequest {
    device: String,
    name: String,
}

async fn rename(State(shared): State<Arc<Shared>>, Json(request): Json<RenameRequest>) -> Response {
    respond(&shared, shared.rename(&request.device, &request.name))
}

#[derive(Deserialize)]
struct MergeRequest {
    device: String,
    /// The participant (name or id) the device votes as from now on.
    into: String,
}

async fn merge(State(shared): State<Arc<Shared>>, Json(request): Json<MergeRequest>) -> Response {
    respond(&shared, shared.merge(&request.device, &request.into))
}

/// A facilitator command's answer: the room's status after it.
fn respond(shared: &Shared, done: Result<(), Refusal>) -> Response {
    match done.and_then(|()| shared.status()) {
        Ok(status) => json(status),
        Err(refusal) => refusal.into_response(),
    }
}
