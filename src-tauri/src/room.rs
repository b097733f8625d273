//! The live room the app runs for the facilitator: at most one at a time, opened on request,
//! closed on request or when the app exits. The room itself (`assay-room`) holds the rules.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use assay_api::{ApiError, SystemClock};
use assay_room::{Room, RoomConfig, RoomStatus};
use serde::{Deserialize, Serialize};

/// The open room's status with its join link drawn as a QR code.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RoomView {
    pub status: RoomStatus,
    /// An SVG drawing produced by the app itself (never user text).
    pub qr_svg: String,
}

/// What the facilitator asks of the room.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RoomCommand {
    Goto { question: String },
    Next,
    Previous,
    Reveal,
    RotateCode,
    Kick { device: String },
}

#[derive(Debug)]
pub struct Rooms {
    db: PathBuf,
    open: Mutex<Option<Room>>,
}

impl Rooms {
    pub fn new(db: PathBuf) -> Rooms {
        Rooms {
            db,
            open: Mutex::new(None),
        }
    }

    fn open_room(&self) -> MutexGuard<'_, Option<Room>> {
        self.open.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Opens a room for `assessment` on `bind` (default: this machine's LAN address), closing
    /// any room already open.
    pub fn open(&self, assessment: &str, bind: Option<&str>) -> Result<RoomView, ApiError> {
        let bind = match bind.map(str::trim).filter(|b| !b.is_empty()) {
            Some(text) => text.parse().map_err(|_| {
                ApiError::Invalid(format!(
                    "`{text}` is not an address and port, e.g. 192.168.1.20:8765"
                ))
            })?,
            None => std::net::SocketAddr::new(assay_room::lan_address(), 0),
        };
        let mut open = self.open_room();
        if let Some(previous) = open.take() {
            previous.close();
        }
        let room = Room::open(
            &self.db,
            assessment,
            &RoomConfig::on(bind),
            Arc::new(SystemClock),
        )?;
        let view = view_of(&room)?;
        *open = Some(room);
        Ok(view)
    }

    /// The open room's status; `None` when no room is open.
    pub fn status(&self) -> Result<Option<RoomView>, ApiError> {
        self.open_room().as_ref().map(view_of).transpose()
    }

    pub fn command(&self, command: RoomCommand) -> Result<RoomView, ApiError> {
        let open = self.open_room();
        let room = open
            .as_ref()
            .ok_or_else(|| ApiError::Invalid("no live room is open".into()))?;
        match command {
            RoomCommand::Goto { question } => room.goto(&question)?,
            RoomCommand::Next => room.next()?,
            RoomCommand::Previous => room.previous()?,
            RoomCommand::Reveal => room.reveal()?,
            RoomCommand::RotateCode => room.rotate_code().map(|_| ())?,
            RoomCommand::Kick { device } => room.kick(&device)?,
        }
        view_of(room)
    }

    /// Closes the open room; `false` when none was open.
    pub fn close(&self) -> bool {
        match self.open_room().take() {
            Some(room) => {
                room.close();
                true
            }
            None => false,
        }
    }
}

fn view_of(room: &Room) -> Result<RoomView, ApiError> {
    Ok(RoomView {
        status: room.status()?,
        qr_svg: assay_room::qr_svg(room.join_url())?,
    })
}
