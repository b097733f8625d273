//! A live room driven over HTTP as participants' browsers and the facilitator's page drive it:
//! joining by code, blind votes, the reveal, and the refusals its security rests on.

#![allow(clippy::unwrap_used)]

mod support;

use assay_api::Assay;
use assay_room::{Room, RoomConfig};
use chrono::Duration;
use serde_json::json;
use support::{Client, assessment, block, clock, facilitator_base, open, send};

#[test]
fn participants_vote_blind_and_see_the_votes_after_the_reveal() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("assay.db");
    let id = assessment(&db);
    let room = open(&db, &id, clock());
    let code = room.status().unwrap().code;
    let participants = Client::of(room.join_url());
    let facilitator = reqwest::Client::new();
    let facilitator_base = facilitator_base(&room);
    let token = room.facilitator_token().to_owned();

    block(async {
        let (status, body) = participants.join("WRONG1", "Ana").await;
        assert_eq!((status, body["code"].as_str()), (403, Some("wrong_code")));

        let (status, body) = send(
            participants
                .http
                .post(format!("{}/api/participants", participants.base))
                .json(&json!({ "code": code })),
        )
        .await;
        assert_eq!((status, &body["names"]), (200, &json!(["Ana", "Bo"])));
        let (status, _) = send(
            participants
                .http
                .post(format!("{}/api/participants", participants.base))
                .json(&json!({ "code": "NOPE00" })),
        )
        .await;
        assert_eq!(status, 403, "the names only with the right code");

        let (status, ana) = participants.join(&code.to_lowercase(), " ana ").await;
        assert_eq!(status, 200, "{ana}");
        assert_eq!(
            ana["participant"], "Ana",
            "joins as the assessment's own Ana"
        );
        let (_, cy) = participants.join(&code, "Cy").await;
        assert_eq!(cy["participant"], "Cy", "a new name becomes a participant");
        let (ana, cy) = (
            ana["token"].as_str().unwrap().to_owned(),
            cy["token"].as_str().unwrap().to_owned(),
        );

        let (_, view) = participants.state(&ana).await;
        let first = view["question"]["id"].as_str().unwrap().to_owned();
        assert_eq!(view["question"]["anchors"].as_array().unwrap().len(), 5);
        assert!(view["my_vote"].is_null() && view["revealed"].is_null());

        assert_eq!(participants.vote(&ana, "1").await.0, 200);
        let (_, mine) = participants.vote(&cy, "3").await;
        assert_eq!(mine["my_vote"], "3");
        let (status, body) = participants.vote(&cy, "7").await;
        assert_eq!((status, body["code"].as_str()), (400, Some("invalid_vote")));

        // Before the reveal nobody sees another's level: not Ana, not the facilitator.
        let (_, view) = participants.state(&ana).await;
        assert_eq!(
            (view["my_vote"].as_str(), view["revealed"].is_null()),
            (Some("1"), true)
        );
        assert!(!view.to_string().contains("\"3\""), "{view}");
        let (status, room_state) = send(
            facilitator
                .get(format!("{facilitator_base}/api/facilitator/state"))
                .bearer_auth(&token),
        )
        .await;
        assert_eq!(status, 200);
        assert_eq!(room_state["voted"], json!(["Ana", "Cy"]));
        assert!(room_state["revealed"].is_null());
        assert!(
            !room_state.to_string().contains("\"1\"") && !room_state.to_string().contains("\"3\""),
            "the facilitator's view holds no level before the reveal: {room_state}"
        );

        let (_, revealed) = send(
            facilitator
                .post(format!("{facilitator_base}/api/facilitator/reveal"))
                .bearer_auth(&token)
                .json(&json!({})),
        )
        .await;
        assert_eq!(
            revealed["revealed"]["votes"],
            json!([["Ana", "1"], ["Cy", "3"]])
        );
        assert_eq!(revealed["revealed"]["dissent"], true);
        let (_, view) = participants.state(&cy).await;
        assert_eq!(
            view["revealed"]["suggested"], 1,
            "the lower median on a tie"
        );
        let (status, body) = participants.vote(&ana, "2").await;
        assert_eq!((status, body["code"].as_str()), (409, Some("revealed")));

        // Next question: hidden again; "don't know" is an answer but not a vote.
        let (_, next) = send(
            facilitator
                .post(format!("{facilitator_base}/api/facilitator/next"))
                .bearer_auth(&token)
                .json(&json!({})),
        )
        .await;
        assert_ne!(next["question"]["id"].as_str(), Some(first.as_str()));
        assert!(next["revealed"].is_null());
        participants.vote(&ana, "2").await;
        let (_, mine) = participants.vote(&ana, "dont_know").await;
        assert_eq!(mine["my_vote"], "don't know");
        assert_eq!(room.status().unwrap().voted, ["Ana"]);
    });

    // The votes are in the database, recorded as cast from the devices.
    let assay = Assay::open(&db, Box::new(assay_api::SystemClock)).unwrap();
    let stored = assay.assessment(&id).unwrap();
    let first = stored
        .votes
        .iter()
        .filter(|v| v.question_id == stored.votes[0].question_id);
    assert_eq!(first.count(), 2);
    assert_eq!(
        stored.votes.len(),
        2,
        "the don't-know withdrew Ana's second vote"
    );
    let actors: Vec<String> = assay
        .assessment_history(&id)
        .unwrap()
        .into_iter()
        .filter(|e| e.entity == "vote")
        .map(|e| e.actor)
        .collect();
    assert!(actors[0].starts_with("Ana (room device "), "{actors:?}");
    assert_eq!(assay.verify_audit_trail().unwrap().rows_unrecorded.len(), 0);
    room.close();
}

#[test]
fn the_room_refuses_what_its_security_rests_on() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("assay.db");
    let id = assessment(&db);
    let clock = clock();
    let room = open(&db, &id, clock.clone());
    let code = room.status().unwrap().code;
    let participants = Client::of(room.join_url());
    let base = room.join_url().trim_end_matches('/').to_owned();
    let facilitator_base = facilitator_base(&room);

    let kept = block(async {
        let (_, ana) = participants.join(&code, "Ana").await;
        let ana = ana["token"].as_str().unwrap().to_owned();
        let http = reqwest::Client::new();

        // No facilitator command is routed on the participants' address.
        for path in [
            "/api/facilitator/state",
            "/api/facilitator/reveal",
            "/facilitator",
        ] {
            let status = http
                .get(format!("{base}{path}"))
                .send()
                .await
                .unwrap()
                .status();
            assert_eq!(status.as_u16(), 404, "{path}");
        }
        // The facilitator's API needs its token; a participant's token is not one.
        let (status, _) = send(http.get(format!("{facilitator_base}/api/facilitator/state"))).await;
        assert_eq!(status, 401);
        let (status, _) = send(
            http.post(format!("{facilitator_base}/api/facilitator/reveal"))
                .bearer_auth(&ana),
        )
        .await;
        assert_eq!(status, 401);
        // A rebound DNS name or another site's page.
        let (status, body) = send(
            http.get(format!("{base}/api/state"))
                .bearer_auth(&ana)
                .header("Host", "attacker.example:80"),
        )
        .await;
        assert_eq!((status, body["code"].as_str()), (421, Some("wrong_host")));
        let (status, body) = send(
            http.put(format!("{base}/api/vote"))
                .bearer_auth(&ana)
                .header("Origin", "http://attacker.example")
                .json(&json!({ "value": "4" })),
        )
        .await;
        assert_eq!((status, body["code"].as_str()), (403, Some("wrong_origin")));
        // Oversized bodies are refused before they are read.
        let huge = json!({ "code": code, "name": "x".repeat(10_000) });
        let status = http
            .post(format!("{base}/api/join"))
            .json(&huge)
            .send()
            .await
            .unwrap()
            .status();
        assert_eq!(status.as_u16(), 413);
        // Hostile text in a name is kept as text, verbatim.
        let hostile = "<script>alert('x')</script> Ø 名前";
        let (status, joined) = participants.join(&code, hostile).await;
        assert_eq!(
            (status, joined["participant"].as_str()),
            (200, Some(hostile))
        );
        // Guessing: after the limit every attempt from this address is refused, right or
        // wrong, while devices already in the room go on.
        let mut limited = 0;
        for i in 0..1000 {
            let (status, _) = participants.join(&format!("G{i:05}"), "Guesser").await;
            if status == 429 {
                limited += 1;
            }
        }
        assert!(
            limited >= 980,
            "{limited} of 1000 guesses were rate limited"
        );
        assert_eq!(participants.vote(&ana, "2").await.0, 200);
        ana
    });

    // The code expires; a rotated one works while devices already in stay in.
    clock.advance(Duration::minutes(16));
    let fresh = Client::of(room.join_url());
    block(async {
        let (status, body) = fresh.join(&code, "Bo").await;
        assert!(
            status == 403 || status == 429,
            "an expired code: {status} {body}"
        );
        assert_eq!(fresh.state(&kept).await.0, 200);
    });
    let rotated = room.rotate_code().unwrap();
    assert_ne!(rotated, code);

    // Tokens die with the room: a new room on the same assessment does not know them.
    room.close();
    let again = open(&db, &id, clock);
    let client = Client::of(again.join_url());
    block(async {
        let (status, body) = client.state(&kept).await;
        assert_eq!((status, body["code"].as_str()), (401, Some("not_joined")));
    });
    again.close();
}

#[test]
fn the_facilitator_page_listens_on_loopback_only() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("assay.db");
    let id = assessment(&db);
    let mut config = RoomConfig::on("127.0.0.1:0".parse().unwrap());
    config.facilitator_bind = "0.0.0.0:0".parse().unwrap();
    let error = Room::open(&db, &id, &config, clock()).unwrap_err();
    assert_eq!(
        error.to_string(),
        "the facilitator's page must listen on a loopback address, not 0.0.0.0:0"
    );
}

/// The desktop app closes a room from inside its own async runtime (a command handler): that
/// must not panic, and the room must have stopped listening when `close` returns.
#[test]
fn a_room_closes_from_inside_another_runtime() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("assay.db");
    let id = assessment(&db);
    let room = open(&db, &id, clock());
    let url = room.join_url().to_owned();
    block(async move {
        room.close();
        let refused = reqwest::get(format!("{url}api/state")).await;
        assert!(refused.is_err(), "still listening after close");
    });
}
