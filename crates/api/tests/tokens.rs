//! Tracker tokens in the OS keyring, against a real Secret Service: `scripts/test.sh` runs the
//! tests under `scripts/with-keyring.sh` (a private D-Bus session with an unlocked GNOME
//! Keyring) and sets ASSAY_REQUIRE_KEYRING=1, so there a missing service fails the test. Run
//! by hand without a Secret Service, the test says it was skipped.

#![allow(clippy::unwrap_used)]

use assay_api::evidence_model::Tracker;
use assay_api::{TokenStore, token_account};

fn keyring_available() -> bool {
    let present = std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some();
    if !present && std::env::var("ASSAY_REQUIRE_KEYRING").as_deref() == Ok("1") {
        panic!("ASSAY_REQUIRE_KEYRING=1 but no D-Bus session: run under scripts/with-keyring.sh");
    }
    if !present {
        eprintln!("skipped: no Secret Service (run under scripts/with-keyring.sh)");
    }
    present
}

#[test]
fn a_token_round_trips_through_the_os_keyring() {
    if !keyring_available() {
        return;
    }
    let store = TokenStore::with_service(&format!("app.assay.test.{}", std::process::id()));
    let account = token_account(Tracker::Mlflow, "http://127.0.0.1:5055", Some("ana"));
    assert_eq!(account, "mlflow http://127.0.0.1:5055 (ana)");
    assert_eq!(store.load(&account).unwrap(), None);
    store.save(&account, "s3cr3t-t0ken").unwrap();
    assert_eq!(
        store.load(&account).unwrap().as_deref(),
        Some("s3cr3t-t0ken")
    );
    // Another instance or user is another entry.
    let other = token_account(Tracker::Mlflow, "http://127.0.0.1:5055", None);
    assert_eq!(store.load(&other).unwrap(), None);
    store.save(&account, "rotated").unwrap();
    assert_eq!(store.load(&account).unwrap().as_deref(), Some("rotated"));
    assert!(store.delete(&account).unwrap());
    assert!(!store.delete(&account).unwrap());
    assert_eq!(store.load(&account).unwrap(), None);
    let error = store.save(&account, "  ").unwrap_err();
    assert_eq!(error.code().as_str(), "invalid_input");
}

#[test]
fn an_import_credential_takes_its_secret_from_the_keyring() {
    use assay_api::{AuthKind, Credential, TrackerTarget, tracker_account};

    let target = TrackerTarget::Mlflow {
        url: "http://127.0.0.1:5055/".into(),
        experiment: "credit".into(),
    };
    let store = TokenStore::with_service(&format!("app.assay.test.cred.{}", std::process::id()));
    assert_eq!(
        store.credential(&target, AuthKind::None, None).unwrap(),
        Credential::None
    );
    assert!(
        store.credential(&target, AuthKind::Basic, None).is_err(),
        "basic authentication needs a user"
    );
    if !keyring_available() {
        return;
    }
    let account = tracker_account(Tracker::Mlflow, "http://127.0.0.1:5055/", Some("ana")).unwrap();
    store.save(&account, "pa55").unwrap();
    assert_eq!(
        store
            .credential(&target, AuthKind::Basic, Some("ana"))
            .unwrap(),
        Credential::Basic {
            user: "ana".into(),
            password: "pa55".into()
        }
    );
    assert!(
        store.credential(&target, AuthKind::Bearer, None).is_err(),
        "no bearer token stored"
    );
    store.delete(&account).unwrap();
}
