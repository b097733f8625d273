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

#[test]
fn a_credential_trims_its_user_and_may_take_its_secret_from_a_variable() {
    use assay_api::{AuthKind, Credential, SecretLookup, TrackerTarget, tracker_account};

    let target = TrackerTarget::Mlflow {
        url: "http://127.0.0.1:5055/".into(),
        experiment: "credit".into(),
    };
    let store = TokenStore::with_service(&format!("app.assay.test.var.{}", std::process::id()));
    let no_user = SecretLookup {
        no_user: Some("needs --user"),
        ..SecretLookup::default()
    };
    let error = store
        .credential_with(&target, AuthKind::Basic, Some(" \t "), &no_user)
        .unwrap_err();
    assert_eq!(
        (
            error.code().as_str(),
            error.to_string().ends_with("needs --user")
        ),
        ("invalid_input", true),
        "a blank user is no user: {error}"
    );
    // Tests cannot set a variable (`set_var` is unsafe), so one already set stands in for
    // the CLI's ASSAY_MLFLOW_PASSWORD; the keyring is not asked.
    let (name, value) = std::env::vars_os()
        .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
        .find(|(_, v)| !v.trim().is_empty())
        .unwrap();
    let from_variable = SecretLookup {
        variable: Some(&name),
        ..SecretLookup::default()
    };
    assert_eq!(
        store
            .credential_with(&target, AuthKind::Basic, Some("  ana "), &from_variable)
            .unwrap(),
        Credential::Basic {
            user: "ana".into(),
            password: value.clone()
        }
    );
    assert_eq!(
        store
            .credential_with(&target, AuthKind::Bearer, None, &from_variable)
            .unwrap(),
        Credential::Bearer(value)
    );
    if !keyring_available() {
        return;
    }
    // The keyring entry is the trimmed user's, as `tracker_account` names it.
    let account = tracker_account(Tracker::Mlflow, "http://127.0.0.1:5055", Some(" ana")).unwrap();
    assert_eq!(account, "mlflow http://127.0.0.1:5055 (ana)");
    store.save(&account, "pa55").unwrap();
    assert_eq!(
        store
            .credential(&target, AuthKind::Basic, Some("ana  "))
            .unwrap(),
        Credential::Basic {
            user: "ana".into(),
            password: "pa55".into()
        }
    );
    let unset = SecretLookup {
        variable: Some("ASSAY_TEST_VARIABLE_NEVER_SET"),
        missing: Some("no token: set it"),
        no_user: None,
    };
    let error = store
        .credential_with(&target, AuthKind::Bearer, None, &unset)
        .unwrap_err();
    assert!(error.to_string().ends_with("no token: set it"), "{error}");
    store.delete(&account).unwrap();
}
