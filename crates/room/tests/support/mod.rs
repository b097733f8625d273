//! What the room's tests share: a clock moved by hand, a database with one assessment, and an
//! HTTP client that speaks to the room as a participant's browser does.

#![allow(clippy::unwrap_used, dead_code)]

use std::net::SocketAddr;
use std::path::Path;
use std::sync::{Arc, Mutex};

use assay_api::{Assay, Clock, NewAssessment, NewParticipant};
use assay_room::{Room, RoomConfig};
use chrono::{DateTime, Duration, TimeZone, Utc};
use serde_json::{Value, json};

/// A clock the test moves by hand.
#[derive(Debug)]
pub struct TestClock(Mutex<DateTime<Utc>>);

impl TestClock {
    pub fn advance(&self, by: Duration) {
        let mut now = self.0.lock().unwrap();
        *now += by;
    }
}

impl Clock for TestClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().unwrap()
    }
}

pub fn clock() -> Arc<TestClock> {
    Arc::new(TestClock(Mutex::new(
        Utc.with_ymd_and_hms(2026, 9, 1, 9, 0, 0).unwrap(),
    )))
}

/// A database with one assessment whose participants are Ana and Bo.
pub fn assessment(db: &Path) -> String {
    let mut assay = Assay::open(db, Box::new(assay_api::SystemClock)).unwrap();
    assay
        .create_assessment(NewAssessment {
            scope: "Fraud models".into(),
            title: "Live workshop".into(),
            participants: ["Ana", "Bo"]
                .iter()
                .map(|name| NewParticipant {
                    name: (*name).into(),
                    role: "ML engineer".into(),
                })
                .collect(),
            ..NewAssessment::default()
        })
        .unwrap()
        .id
}

pub fn open(db: &Path, id: &str, clock: Arc<TestClock>) -> Room {
    let config = RoomConfig::on("127.0.0.1:0".parse::<SocketAddr>().unwrap());
    Room::open(db, id, &config, clock).unwrap()
}

/// Runs one future to completion on a small runtime of the test's own.
pub fn block<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(future)
}

/// An HTTP answer: status and JSON body.
pub async fn send(request: reqwest::RequestBuilder) -> (u16, Value) {
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

pub struct Client {
    pub http: reqwest::Client,
    pub base: String,
}

impl Client {
    pub fn of(url: &str) -> Client {
        Client {
            http: reqwest::Client::new(),
            base: url.trim_end_matches('/').to_owned(),
        }
    }

    pub async fn join(&self, code: &str, name: &str) -> (u16, Value) {
        send(
            self.http
                .post(format!("{}/api/join", self.base))
                .json(&json!({ "code": code, "name": name })),
        )
        .await
    }

    pub async fn state(&self, token: &str) -> (u16, Value) {
        send(
            self.http
                .get(format!("{}/api/state", self.base))
                .bearer_auth(token),
        )
        .await
    }

    pub async fn vote(&self, token: &str, value: &str) -> (u16, Value) {
        send(
            self.http
                .put(format!("{}/api/vote", self.base))
                .bearer_auth(token)
                .json(&json!({ "value": value })),
        )
        .await
    }
}

pub fn facilitator_base(room: &Room) -> String {
    room.facilitator_url()
        .split("/facilitator")
        .next()
        .unwrap()
        .to_owned()
}
