//! `assay workshop serve`: a live room run from the command line, for a facilitator who projects
//! a browser instead of the app.

use std::io::BufRead;
use std::path::Path;
use std::sync::Arc;

use assay_api::{ApiError, SystemClock};
use assay_room::{Room, RoomConfig};

use crate::args::WorkshopCommand;
use crate::output::Output;

pub fn run(db: &Path, command: WorkshopCommand, out: &mut Output) -> Result<(), ApiError> {
    match command {
        WorkshopCommand::Serve {
            assessment,
            bind,
            tls,
        } => {
            let mut config = RoomConfig::on_or_lan(bind);
            config.tls = tls;
            let room = Room::open(db, &assessment, &config, Arc::new(SystemClock))
                .map_err(ApiError::from)?;
            let status = room.status().map_err(ApiError::from)?;
            out.line(&format!(
                "room open for {}: {}\nparticipants open  {}  and type the code  {}  (valid until \
                 {} UTC; the facilitator page can issue a new one)\nfacilitator page   {}\n\
                 type q and Enter, or press Ctrl-C, to close the room",
                status.scope,
                status.title,
                room.join_url(),
                status.code,
                status.code_expires_at.format("%H:%M"),
                room.facilitator_url()
            ))?;
            if let Some(fingerprint) = room.tls_fingerprint() {
                out.line(&format!(
                    "certificate SHA-256  {fingerprint}\n(browsers warn about it: participants \
                     proceed only if the fingerprint they are shown is this one)"
                ))?;
            }
            if config.bind.ip().is_unspecified() {
                out.line("warning: listening on every interface; prefer one LAN address")?;
            }
            // The link and code must show now, not when the room closes.
            out.flush()
                .map_err(|e| ApiError::Io(format!("cannot write to the terminal: {e}")))?;
            wait_for_quit();
            room.close();
            out.line("room closed")
        }
    }
}

/// Returns when "q" is typed; with no terminal (stdin at its end) the room stays open until the
/// process is stopped.
fn wait_for_quit() {
    let stdin = std::io::stdin();
    for line in stdin.lock().lines() {
        match line {
            Ok(line) if line.trim().eq_ignore_ascii_case("q") => return,
            Ok(_) => {}
            Err(_) => break,
        }
    }
    loop {
        std::thread::park();
    }
}
