//! Join codes and session tokens, from the operating system's random source.

/// Letters and digits that cannot be mistaken for one another when read off a projector.
const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
const CODE_LENGTH: usize = 6;

fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    // The OS random source does not fail on the systems Assay runs on; if it ever did, a room
    // with guessable codes must not open.
    getrandom::fill(&mut bytes).expect("the operating system's random source failed");
    bytes
}

/// A six-character join code, e.g. `K7QX2M` (31^6, about 887 million codes).
pub(crate) fn join_code() -> String {
    random_bytes::<CODE_LENGTH>()
        .iter()
        // 256 is not a multiple of 31: the bias is under 0.4% per character and the code only
        // has to survive a rate-limited guessing window.
        .map(|b| char::from(CODE_ALPHABET[usize::from(*b) % CODE_ALPHABET.len()]))
        .collect()
}

/// A 256-bit session token as hex.
pub(crate) fn token() -> String {
    random_bytes::<32>()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A short id for a device, shown to the facilitator.
pub(crate) fn device_id() -> String {
    random_bytes::<4>()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
