//! The facilitator's hold on the devices and the room's own durability: renaming and merging
//! the participant a device votes as, resuming where a closed room stood, and HTTPS with a
//! certificate made for the room.

#![allow(clippy::unwrap_used)]

mod support;

use std::net::SocketAddr;

use assay_api::{Assay, SystemClock};
use assay_assessment::{Level, VoteValue};
use assay_room::{Room, RoomConfig};
use serde_json::Value;
use sha2::{Digest, Sha256};
use support::{Client, assessment, block, clock, open};

fn token(joined: &(u16, Value)) -> String {
    assert_eq!(joined.0, 200, "{:?}", joined.1);
    joined.1["token"].as_str().unwrap().to_owned()
}

fn device_of(room: &Room, name: &str) -> String {
    let status = room.status().unwrap();
    status
        .devices
        .iter()
        .find(|d| d.name == name)
        .unwrap_or_else(|| panic!("no device of {name}: {:?}", status.devices))
        .id
        .clone()
}

#[test]
fn a_device_renamed_or_merged_votes_as_the_participant_the_facilitator_chose() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("assay.db");
    let id = assessment(&db);
    let room = open(&db, &id, clock());
    let code = room.status().unwrap().code;
    let client = Client::of(room.join_url());
    let first = room.status().unwrap().question.unwrap().id;

    // Bo votes in the app on the first question; "Anna" is Ana who mistyped her name, and
    // "bob" is Bo's second device.
    let mut app = Assay::open(&db, Box::new(SystemClock)).unwrap();
    app.cast_vote(&id, &first, "Bo", VoteValue::Level(Level::new(1).unwrap()))
        .unwrap();
    let (anna, robert) = block(async {
        let anna = token(&client.join(&code, "Anna").await);
        let robert = token(&client.join(&code, "Robert").await);
        assert_eq!(client.vote(&anna, "3").await.0, 200);
        assert_eq!(client.vote(&robert, "4").await.0, 200);
        (anna, robert)
    });
    assert_eq!(
        room.status().unwrap().participants,
        ["Ana", "Bo", "Anna", "Robert"]
    );

    // Rename: the participant keeps its votes under the new name, in the assessment too.
    room.rename(&device_of(&room, "Robert"), "Rob <b>Smith</b>")
        .unwrap();
    let refused = room.rename(&device_of(&room, "Anna"), "bo").unwrap_err();
    assert!(refused.to_string().contains("bo"), "{refused}");
    let stored = app.assessment(&id).unwrap();
    let rob = stored
        .participants
        .iter()
        .find(|p| p.name == "Rob <b>Smith</b>")
        .unwrap();
    assert_eq!(
        stored
            .votes_on(&first)
            .filter(|v| v.participant_id == rob.id)
            .count(),
        1
    );
    let (_, seen) = block(client.state(&robert));
    assert_eq!(seen["participant"], "Rob <b>Smith</b>");

    // Merge: Anna's vote moves to Ana, who had none; Rob's device merged into Bo keeps Bo's own
    // vote (typed in the app) and drops Rob's.
    room.merge(&device_of(&room, "Anna"), "Ana").unwrap();
    room.merge(&device_of(&room, "Rob <b>Smith</b>"), "bo")
        .unwrap();
    assert!(
        room.merge(&device_of(&room, "Ana"), "Ana").is_err(),
        "not into itself"
    );
    let stored = app.assessment(&id).unwrap();
    let names: Vec<&str> = stored
        .participants
        .iter()
        .map(|p| p.name.as_str())
        .collect();
    assert_eq!(names, ["Ana", "Bo"]);
    let votes: Vec<(String, String)> = stored
        .votes_on(&first)
        .map(|v| {
            let who = stored
                .participants
                .iter()
                .find(|p| p.id == v.participant_id)
                .unwrap();
            (who.name.clone(), format!("{:?}", v.value))
        })
        .collect();
    assert_eq!(votes.len(), 2, "{votes:?}");
    assert!(votes.contains(&(
        "Ana".into(),
        format!("{:?}", VoteValue::Level(Level::new(3).unwrap()))
    )));
    assert!(votes.contains(&(
        "Bo".into(),
        format!("{:?}", VoteValue::Level(Level::new(1).unwrap()))
    )));
    let status = room.status().unwrap();
    assert_eq!(status.participants, ["Ana", "Bo"]);
    assert_eq!(status.voted, ["Ana", "Bo"]);

    // The merged devices vote as the participants kept; the trail accounts for every change.
    block(async {
        assert_eq!(client.vote(&anna, "2").await.1["participant"], "Ana");
        assert_eq!(client.vote(&robert, "0").await.1["participant"], "Bo");
    });
    let stored = app.assessment(&id).unwrap();
    assert_eq!(stored.votes_on(&first).count(), 2);
    let trail = app.verify_audit_trail().unwrap();
    assert!(
        trail.rows_unrecorded.is_empty(),
        "{:?}",
        trail.rows_unrecorded
    );
    assert!(room.rename("no-such-device", "X").is_err());

    // The facilitator's page does the same over its loopback API, with its own token only.
    let base = support::facilitator_base(&room);
    let device = device_of(&room, "Ana");
    block(async {
        let http = reqwest::Client::new();
        let url = format!("{base}/api/facilitator/rename");
        let body = serde_json::json!({ "device": device, "name": "Ana Ribeiro" });
        let (status, _) = support::send(http.post(&url).bearer_auth(&anna).json(&body)).await;
        assert_eq!(
            status, 401,
            "a participant's token is not the facilitator's"
        );
        let (status, renamed) = support::send(
            http.post(&url)
                .bearer_auth(room.facilitator_token())
                .json(&body),
        )
        .await;
        assert_eq!(status, 200, "{renamed}");
        assert_eq!(
            renamed["participants"],
            serde_json::json!(["Ana Ribeiro", "Bo"])
        );
        let (status, refused) = support::send(
            http.post(format!("{base}/api/facilitator/merge"))
                .bearer_auth(room.facilitator_token())
                .json(&serde_json::json!({ "device": device, "into": "nobody" })),
        )
        .await;
        assert_eq!(
            (status, refused["code"].as_str()),
            (404, Some("unknown_participant"))
        );
    });
    room.close();
}

#[test]
fn a_room_reopened_after_a_close_resumes_at_the_question_it_stood_on() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("assay.db");
    let id = assessment(&db);
    let room = open(&db, &id, clock());
    room.next().unwrap();
    room.next().unwrap();
    room.reveal().unwrap();
    let stood = room.status().unwrap().question.unwrap();
    assert_eq!(stood.position, 3);
    // As if the app stopped: the room is dropped without a close.
    drop(room);

    let room = open(&db, &id, clock());
    let status = room.status().unwrap();
    assert_eq!(status.question.unwrap().id, stood.id);
    assert!(status.revealed.is_some(), "the reveal is remembered");
    assert!(status.devices.is_empty(), "tokens die with the room");
    room.previous().unwrap();
    drop(room);
    let room = open(&db, &id, clock());
    let status = room.status().unwrap();
    assert_eq!(status.question.unwrap().position, 2);
    assert!(status.revealed.is_none());
}

#[test]
fn a_room_over_https_serves_the_certificate_whose_fingerprint_it_shows() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("assay.db");
    let id = assessment(&db);
    let mut config = RoomConfig::on("127.0.0.1:0".parse::<SocketAddr>().unwrap());
    config.tls = true;
    let room = Room::open(&db, &id, &config, clock()).unwrap();
    assert!(
        room.join_url().starts_with("https://127.0.0.1:"),
        "{}",
        room.join_url()
    );
    let fingerprint = room.tls_fingerprint().unwrap().to_owned();
    assert_eq!(fingerprint.len(), 32 * 3 - 1);
    assert_eq!(
        room.status().unwrap().tls_fingerprint.as_deref(),
        Some(fingerprint.as_str())
    );
    let code = room.status().unwrap().code;
    let url = room.join_url().to_owned();

    block(async {
        // The certificate is self-signed: a browser warns, and the participant compares the
        // fingerprint on screen with the one it shows.
        let strict = reqwest::Client::new();
        assert!(
            strict.get(&url).send().await.is_err(),
            "an unknown issuer is refused"
        );
        let http = reqwest::Client::builder()
            .danger_accept_invalid_certs(true)
            .tls_info(true)
            .build()
            .unwrap();
        let page = http.get(&url).send().await.unwrap();
        assert_eq!(page.status().as_u16(), 200);
        let served = page
            .extensions()
            .get::<reqwest::tls::TlsInfo>()
            .and_then(|info| info.peer_certificate())
            .unwrap();
        let digest = Sha256::digest(served)
            .iter()
            .map(|b| format!("{b:02X}"))
            .collect::<Vec<_>>()
            .join(":");
        assert_eq!(digest, fingerprint);
        let client = Client {
            http,
            base: url.trim_end_matches('/').to_owned(),
        };
        let ana = token(&client.join(&code, "Ana").await);
        let (status, voted) = client.vote(&ana, "2").await;
        assert_eq!((status, voted["my_vote"].as_str()), (200, Some("2")));
        // Plain HTTP on the same port gets no answer.
        let plain = url.replace("https://", "http://");
        let answer = reqwest::Client::new()
            .get(format!("{plain}api/state"))
            .send()
            .await;
        assert!(!answer.is_ok_and(|r| r.status().is_success()));
    });
    room.close();
}
