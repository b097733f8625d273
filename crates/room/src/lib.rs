//! A live workshop room: participants join from their own phones and laptops over the local
//! network and vote blind; the facilitator reveals the votes together.
//!
//! A [`Room`] runs two small HTTP servers on a runtime of its own. The participants' one
//! listens on the address the facilitator picks (a local network address; loopback in tests)
//! and serves only the participant page and `/api/join`, `/api/state` and `/api/vote`. The
//! facilitator's one listens on loopback only and needs the facilitator's token. Every vote is
//! written to the database (with the audit trail naming the participant's device) before the
//! device gets its answer; the room itself keeps only the join code, the devices and the
//! question on screen, which die with it.

mod api;
mod control;
mod guard;
mod room;
mod secret;
mod state;
mod tls;

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::Path;
use std::sync::{Arc, Mutex};

use assay_api::{ApiError, Assay, Clock};
use chrono::Duration;
use tokio::sync::oneshot;

pub use room::{JOINED_ROLE, Joined, MAX_NAME_CHARS, ParticipantView};
pub use state::{DeviceView, QuestionView, Revealed, RoomStatus};

use crate::guard::JoinLimiter;
use crate::room::Shared;
use crate::state::RoomState;

/// Where and how a room listens.
#[derive(Debug, Clone)]
pub struct RoomConfig {
    /// The participants' address; port 0 picks a free port.
    pub bind: SocketAddr,
    /// The facilitator's address: must be loopback.
    pub facilitator_bind: SocketAddr,
    /// How long a join code stays valid.
    pub code_ttl: Duration,
    /// Join attempts allowed per client address and minute.
    pub joins_per_minute: usize,
    /// Serve participants over HTTPS with a certificate made for this room.
    pub tls: bool,
}

impl RoomConfig {
    /// A room on `bind`, with the facilitator on a free loopback port, codes valid 15 minutes
    /// and 20 join attempts per device and minute.
    pub fn on(bind: SocketAddr) -> RoomConfig {
        RoomConfig {
            bind,
            facilitator_bind: SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), 0),
            code_ttl: Duration::minutes(15),
            joins_per_minute: 20,
            tls: false,
        }
    }

    /// A room on `bind`, or when none is given on this machine's LAN address and a free port.
    pub fn on_or_lan(bind: Option<SocketAddr>) -> RoomConfig {
        RoomConfig::on(bind.unwrap_or_else(|| SocketAddr::new(lan_address(), 0)))
    }
}

/// An address and port as the facilitator types it, e.g. `192.168.1.20:8765`.
pub fn parse_bind(text: &str) -> Result<SocketAddr, RoomError> {
    text.trim().parse().map_err(|_| {
        RoomError::Refused(format!(
            "`{}` is not an address and port, e.g. 192.168.1.20:8765",
            text.trim()
        ))
    })
}

#[derive(Debug, thiserror::Error)]
pub enum RoomError {
    #[error(transparent)]
    Api(#[from] ApiError),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("the facilitator's page must listen on a loopback address, not {0}")]
    NotLoopback(SocketAddr),
    #[error("the room cannot start its server: {0}")]
    Runtime(std::io::Error),
    #[error("{0}")]
    Refused(String),
}

/// An open room. Dropping it (or [`Room::close`]) stops both servers; the devices' tokens die
/// with it.
pub struct Room {
    shared: Arc<Shared>,
    runtime: Option<tokio::runtime::Runtime>,
    stop: Vec<oneshot::Sender<()>>,
    facilitator_url: String,
}

impl fmt::Debug for Room {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Room")
            .field("join_url", &self.shared.join_url)
            .field("facilitator_url", &self.facilitator_url)
            .finish_non_exhaustive()
    }
}

fn bind(addr: SocketAddr) -> Result<std::net::TcpListener, RoomError> {
    let listener =
        std::net::TcpListener::bind(addr).map_err(|source| RoomError::Bind { addr, source })?;
    listener
        .set_nonblocking(true)
        .map_err(|source| RoomError::Bind { addr, source })?;
    Ok(listener)
}

impl Room {
    /// Opens a room for `assessment` in the database at `db` (its own connection, so the app's
    /// other work goes on). Its first question is the bank's first.
    pub fn open(
        db: &Path,
        assessment: &str,
        config: &RoomConfig,
        clock: Arc<dyn Clock>,
    ) -> Result<Room, RoomError> {
        if !config.facilitator_bind.ip().is_loopback() {
            return Err(RoomError::NotLoopback(config.facilitator_bind));
        }
        let assay = Assay::open(db, Box::new(SharedClock(clock.clone())))?;
        let current = assay.assessment(assessment)?;
        let bank = assay.assessment_bank(&current.id)?;
        let participants = bind(config.bind)?;
        let facilitators = bind(config.facilitator_bind)?;
        let participant_addr = participants
            .local_addr()
            .map_err(|source| RoomError::Bind {
                addr: config.bind,
                source,
            })?;
        let facilitator_addr = facilitators
            .local_addr()
            .map_err(|source| RoomError::Bind {
                addr: config.facilitator_bind,
                source,
            })?;
        let now = clock.now();
        let mut state = RoomState::new(
            now,
            config.code_ttl,
            current
                .participants
                .iter()
                .map(|p| (p.id.clone(), p.name.clone()))
                .collect(),
        );
        // Resume where the room last stood on this assessment.
        let position = assay.room_position(&current.id)?;
        if let Some((index, position)) = position.and_then(|p| {
            let index = bank
                .bank
                .questions
                .iter()
                .position(|q| q.id == p.question_id)?;
            Some((index, p))
        }) {
            state.index = index;
            state.revealed = position.revealed;
        }
        let certificate = if config.tls {
            Some(tls::certificate_for(participant_addr.ip())?)
        } else {
            None
        };
        let scheme = if certificate.is_some() {
            "https"
        } else {
            "http"
        };
        let shared = Arc::new(Shared {
            assessment_id: current.id.clone(),
            scope: current.scope.clone(),
            title: current.title.clone(),
            questions: bank.bank.questions.clone(),
            state: Mutex::new(state),
            limiter: Mutex::new(JoinLimiter::new(config.joins_per_minute)),
            code_ttl: config.code_ttl,
            participant_host: participant_addr.to_string(),
            facilitator_host: facilitator_addr.to_string(),
            facilitator_token: secret::token(),
            join_url: format!("{scheme}://{participant_addr}/"),
            tls_fingerprint: certificate.as_ref().map(|c| c.fingerprint.clone()),
            assay: Mutex::new(assay),
            clock,
        });
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("assay-room")
            .enable_io()
            .enable_time()
            .build()
            .map_err(RoomError::Runtime)?;
        let mut stop = Vec::new();
        for (listener, router, tls) in [
            (
                participants,
                api::participant_router(shared.clone()),
                certificate.map(|c| c.acceptor),
            ),
            (facilitators, api::facilitator_router(shared.clone()), None),
        ] {
            let (tx, rx) = oneshot::channel::<()>();
            stop.push(tx);
            let listener = {
                let _entered = runtime.enter();
                tokio::net::TcpListener::from_std(listener).map_err(RoomError::Runtime)?
            };
            match tls {
                Some(acceptor) => {
                    runtime.spawn(tls::serve(listener, acceptor, router, rx));
                }
                None => {
                    runtime.spawn(async move {
                        let service = router.into_make_service_with_connect_info::<SocketAddr>();
                        let _ = axum::serve(listener, service)
                            .with_graceful_shutdown(async {
                                let _ = rx.await;
                            })
                            .await;
                    });
                }
            }
        }
        let facilitator_url = format!(
            "http://{facilitator_addr}/facilitator#{}",
            shared.facilitator_token
        );
        Ok(Room {
            shared,
            runtime: Some(runtime),
            stop,
            facilitator_url,
        })
    }

    /// The link participants open (they type the join code there).
    pub fn join_url(&self) -> &str {
        &self.shared.join_url
    }

    /// The facilitator's page on loopback, with its token after `#` (never sent to a server).
    pub fn facilitator_url(&self) -> &str {
        &self.facilitator_url
    }

    /// The facilitator's token, for the facilitator API.
    pub fn facilitator_token(&self) -> &str {
        &self.shared.facilitator_token
    }

    pub fn status(&self) -> Result<RoomStatus, RoomError> {
        self.shared.status().map_err(refused)
    }

    pub fn goto(&self, question: &str) -> Result<(), RoomError> {
        self.shared.goto(question).map_err(refused)
    }

    pub fn next(&self) -> Result<(), RoomError> {
        self.shared.step(1).map_err(refused)
    }

    pub fn previous(&self) -> Result<(), RoomError> {
        self.shared.step(-1).map_err(refused)
    }

    pub fn reveal(&self) -> Result<(), RoomError> {
        self.shared.reveal().map_err(refused)
    }

    pub fn rotate_code(&self) -> Result<String, RoomError> {
        self.shared.rotate_code().map_err(refused)
    }

    pub fn kick(&self, device: &str) -> Result<(), RoomError> {
        self.shared.kick(device).map_err(refused)
    }

    /// Renames the participant `device` votes as.
    pub fn rename(&self, device: &str, name: &str) -> Result<(), RoomError> {
        self.shared.rename(device, name).map_err(refused)
    }

    /// Makes `device` vote as participant `into` (id or name), merging the one it voted as.
    pub fn merge(&self, device: &str, into: &str) -> Result<(), RoomError> {
        self.shared.merge(device, into).map_err(refused)
    }

    /// The SHA-256 fingerprint of the room's certificate, when it serves HTTPS.
    pub fn tls_fingerprint(&self) -> Option<&str> {
        self.shared.tls_fingerprint.as_deref()
    }

    /// Stops both servers and forgets every device.
    pub fn close(mut self) {
        self.shut_down();
    }

    fn shut_down(&mut self) {
        for stop in self.stop.drain(..) {
            let _ = stop.send(());
        }
        if let Some(runtime) = self.runtime.take() {
            let stop = move || runtime.shutdown_timeout(std::time::Duration::from_secs(2));
            // A runtime may not be shut down from inside another one's task (the desktop app's
            // commands run in one): wait for it on a plain thread instead, so that the room has
            // stopped listening when `close` returns, wherever it is called from.
            if tokio::runtime::Handle::try_current().is_ok() {
                let _ = std::thread::spawn(stop).join();
            } else {
                stop();
            }
        }
    }
}

impl Drop for Room {
    fn drop(&mut self) {
        self.shut_down();
    }
}

/// The address other devices on the local network reach this machine at: that of the interface
/// the default route leaves by (found by connecting a UDP socket, which sends nothing), or
/// loopback when there is no network.
pub fn lan_address() -> IpAddr {
    std::net::UdpSocket::bind((Ipv4Addr::UNSPECIFIED, 0))
        .and_then(|socket| {
            // A documentation address (TEST-NET-1): nothing is sent, only a route is chosen.
            socket.connect((Ipv4Addr::new(192, 0, 2, 1), 9))?;
            socket.local_addr()
        })
        .map(|addr| addr.ip())
        .ok()
        .filter(|ip| !ip.is_unspecified())
        .unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST))
}

impl From<RoomError> for ApiError {
    /// A room's failures as the API's errors, so the app and the CLI report them with the same
    /// `{code, message}` and exit status as everything else.
    fn from(e: RoomError) -> ApiError {
        match e {
            RoomError::Api(api) => api,
            RoomError::Bind { .. } | RoomError::Runtime(_) => ApiError::Io(e.to_string()),
            RoomError::NotLoopback(_) | RoomError::Refused(_) => ApiError::Invalid(e.to_string()),
        }
    }
}

/// The join link as a QR code, an SVG drawing that a phone camera reads off a screen.
pub fn qr_svg(url: &str) -> Result<String, RoomError> {
    let code = qrcode::QrCode::new(url.as_bytes())
        .map_err(|e| RoomError::Refused(format!("the link cannot be drawn as a QR code: {e}")))?;
    Ok(code
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(220, 220)
        .quiet_zone(true)
        .build())
}

fn refused(refusal: api::Refusal) -> RoomError {
    RoomError::Refused(refusal.message)
}

/// The room's clock, shared with its database handle.
#[derive(Debug)]
struct SharedClock(Arc<dyn Clock>);

impl Clock for SharedClock {
    fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.0.now()
    }
}
