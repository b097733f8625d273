//! Load on a live room: 50 participants join and vote on 47 questions (the size of the 1.0.0
//! bank), all fifty at once on each question, while the facilitator's screen polls the room's
//! status back to back. Prints, for every vote, the time from the device sending it to the
//! facilitator's status first showing that participant as having voted: p50, p99 and max
//! against the 100 ms target.
//!
//! `cargo bench -p assay-room --bench room_load`

#![allow(clippy::unwrap_used, clippy::print_stdout)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use assay_api::{Assay, NewAssessment, SystemClock};
use assay_room::{Room, RoomConfig};
use serde_json::{Value, json};

const PARTICIPANTS: usize = 50;
const QUESTIONS: usize = 47;

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("assay.db");
    let id = Assay::open(&db, Box::new(SystemClock))
        .unwrap()
        .create_assessment(NewAssessment {
            scope: "Load".into(),
            title: "Fifty devices".into(),
            bank: Some("assay-mlops@1.0.0".into()),
            ..NewAssessment::default()
        })
        .unwrap()
        .id;
    let mut config = RoomConfig::on("127.0.0.1:0".parse().unwrap());
    config.joins_per_minute = PARTICIPANTS + 10;
    let room = Room::open(&db, &id, &config, Arc::new(SystemClock)).unwrap();
    let code = room.status().unwrap().code;
    let base = room.join_url().trim_end_matches('/').to_owned();
    let facilitator = room
        .facilitator_url()
        .split("/facilitator")
        .next()
        .unwrap()
        .to_owned();
    let token = room.facilitator_token().to_owned();

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let mut latencies: Vec<Duration> = runtime.block_on(async {
        let http = reqwest::Client::new();
        let mut devices = Vec::new();
        for i in 0..PARTICIPANTS {
            let joined: Value = http
                .post(format!("{base}/api/join"))
                .json(&json!({ "code": code, "name": format!("Participant {i:02}") }))
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            devices.push((
                format!("Participant {i:02}"),
                joined["token"].as_str().unwrap().to_owned(),
            ));
        }
        let mut all = Vec::new();
        for question in 0..QUESTIONS {
            // Every device votes at once; the facilitator's screen polls the room's status as
            // fast as it answers, and notes when each participant first shows as voted.
            let mut sent = Vec::new();
            for (n, (name, device)) in devices.iter().enumerate() {
                let (http, base, device) = (http.clone(), base.clone(), device.clone());
                let level = (n + question) % 5;
                sent.push((name.clone(), Instant::now()));
                tokio::spawn(async move {
                    http.put(format!("{base}/api/vote"))
                        .bearer_auth(&device)
                        .json(&json!({ "value": level.to_string() }))
                        .send()
                        .await
                        .unwrap()
                        .error_for_status()
                        .unwrap();
                });
            }
            let mut seen: Vec<Option<Duration>> = vec![None; sent.len()];
            while seen.iter().any(Option::is_none) {
                let status: Value = http
                    .get(format!("{facilitator}/api/facilitator/state"))
                    .bearer_auth(&token)
                    .send()
                    .await
                    .unwrap()
                    .json()
                    .await
                    .unwrap();
                let voted = status["voted"].as_array().cloned().unwrap_or_default();
                for (slot, (name, at)) in seen.iter_mut().zip(&sent) {
                    if slot.is_none() && voted.iter().any(|v| v == name.as_str()) {
                        *slot = Some(at.elapsed());
                    }
                }
            }
            all.extend(seen.into_iter().flatten());
            http.post(format!("{facilitator}/api/facilitator/next"))
                .bearer_auth(&token)
                .json(&json!({}))
                .send()
                .await
                .unwrap();
        }
        all
    });
    room.close();
    latencies.sort();
    let at = |q: f64| latencies[((latencies.len() as f64 - 1.0) * q).round() as usize];
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{} votes by {PARTICIPANTS} participants on {QUESTIONS} questions, vote sent to the \
         facilitator seeing it: p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms (target p99 < 100 ms: {})",
        latencies.len(),
        ms(at(0.5)),
        ms(at(0.99)),
        ms(at(1.0)),
        if ms(at(0.99)) < 100.0 {
            "met"
        } else {
            "NOT met"
        }
    );
}
