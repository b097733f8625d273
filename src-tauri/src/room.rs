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
    Goto {
        question: String,
    },
    Next,
    Previous,
    Reveal,
    RotateCode,
    Kick {
        device: String,
    },
    /// Renames the participant the device votes as.
    Rename {
        device: String,
        name: String,
    },
    /// Makes the device vote as participant `into` (a name), merging the one it voted as.
    Merge {
        device: String,
        into: String,
    },
}

/// The open room with its join link drawn once as a QR code (the link does not change while
/// the room is open).
#[derive(Debug)]
struct OpenRoom {
    room: Room,
    qr_svg: String,
}

impl OpenRoom {
    fn view(&self) -> Result<RoomView, ApiError> {
        Ok(RoomView {
            status: self.room.status()?,
            qr_svg: self.qr_svg.clone(),
        })
    }
}

#[derive(Debug)]
pub struct Rooms {
    db: PathBuf,
    open: Mutex<Option<OpenRoom>>,
}

impl Rooms {
    pub fn new(db: PathBuf) -> Rooms {
        Rooms {
            db,
            open: Mutex::new(None),
        }
    }

    fn open_room(&self) -> MutexGuard<'_, Option<OpenRoom>> {
        self.open.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Opens a room for `assessment` on `bind` (default: this machine's LAN address), over
    /// HTTPS when `tls`, closing any room already open.
    pub fn open(
        &self,
        assessment: &str,
        bind: Option<&str>,
        tls: bool,
    ) -> Result<RoomView, ApiError> {
        let bind = bind
            .filter(|b| !b.trim().is_empty())
            .map(assay_room::parse_bind)
            .transpose()?;
        let mut open = self.open_room();
        if let Some(previous) = open.take() {
            previous.room.close();
        }
        let mut config = RoomConfig::on_or_lan(bind);
        config.tls = tls;
        let room = Room::open(&self.db, assessment, &config, Arc::new(SystemClock))?;
        let qr_svg = assay_room::qr_svg(room.join_url())?;
        let opened = OpenRoom { room, qr_svg };
        let view = opened.view()?;
        *open = Some(opened);
        Ok(view)
    }

    /// The open room's status; `None` when no room is open.
    pub fn status(&self) -> Result<Option<RoomView>, ApiError> {
        self.open_room().as_ref().map(OpenRoom::view).transpose()
    }

    pub fn command(&self, command: RoomCommand) -> Result<RoomView, ApiError> {
        let open = self.open_room();
        let opened = open
            .as_ref()
            .ok_or_else(|| ApiError::Invalid("no live room is open".into()))?;
        let room = &opened.room;
        match command {
            RoomCommand::Goto { question } => room.goto(&question)?,
            RoomCommand::Next => room.next()?,
            RoomCommand::Previous => room.previous()?,
            RoomCommand::Reveal => room.reveal()?,
            RoomCommand::RotateCode => room.rotate_code().map(|_| ())?,
            RoomCommand::Kick { device } => room.kick(&device)?,
            RoomCommand::Rename { device, name } => room.rename(&device, &name)?,
            RoomCommand::Merge { device, into } => room.merge(&device, &into)?,
        }
        opened.view()
    }

    /// Closes the open room; `false` when none was open.
    pub fn close(&self) -> bool {
        match self.open_room().take() {
            Some(opened) => {
                opened.room.close();
                true
            }
            None => false,
        }
    }
}
