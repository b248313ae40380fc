//! The viewer's scope: one consistent read-model, the day "overdue" is judged against,
//! and who is asking; time travel to an earlier instant; the gateway's shared state.
//! Every area builds its objects on a [`Scope`] (each adds the finders for its own
//! entities, e.g. `Scope::task` beside the `Task` object).

use std::sync::Arc;

use async_graphql::Context;
use chrono::{DateTime, NaiveDate, Utc};
use reform_domain::{AgencyId, DocumentId, Role};
use reform_projections::queries::{self, RollupNode};
use reform_projections::{Memo, ProgressModel, Snapshot};

use crate::auth::Viewer;
use crate::error::ApiError;
use reform_commands::CommandHandler;
use reform_projections::queries::{Band, RewardRule};
use reform_projections::LiveView;

/// One consistent read-model, the day it is judged on, and the viewer.
#[derive(Clone)]
pub struct Scope(Arc<ScopeData>);

/// What a [`Scope`] holds.
pub struct ScopeData {
    /// The model.
    pub model: Arc<ProgressModel>,
    /// Answers already computed from `model`.
    pub memo: Arc<Memo>,
    /// The day "overdue" is judged against: today, or the day travelled to.
    pub today: NaiveDate,
    /// Who is asking.
    pub viewer: Viewer,
}

impl std::ops::Deref for Scope {
    type Target = ScopeData;
    fn deref(&self) -> &ScopeData {
        &self.0
    }
}

impl Scope {
    /// The request's scope: its viewer (else `UNAUTHENTICATED`) and the snapshot it
    /// started on.
    pub fn of(ctx: &Context<'_>) -> Result<Scope, ApiError> {
        let viewer = ctx.data_opt::<Viewer>().cloned().ok_or_else(|| {
            ApiError::Unauthenticated(
                "send a bearer token (Authorization: Bearer …); `reform token` prints one".into(),
            )
        })?;
        let gateway = gateway(ctx)?;
        let snapshot = match ctx.data_opt::<Snapshot>() {
            Some(snapshot) => snapshot.clone(),
            None => gateway.live.snapshot(),
        };
        Ok(Scope::new(&snapshot, gateway.clock.today(), viewer))
    }

    /// A scope over `snapshot`, judged on `today`, for `viewer`.
    pub fn new(snapshot: &Snapshot, today: NaiveDate, viewer: Viewer) -> Scope {
        Scope(Arc::new(ScopeData {
            model: snapshot.model.clone(),
            memo: snapshot.memo.clone(),
            today,
            viewer,
        }))
    }

    /// The same viewer and day over another snapshot (after a mutation).
    pub fn with_snapshot(scope: &Scope, snapshot: &Snapshot) -> Scope {
        Scope::new(snapshot, scope.today, scope.viewer.clone())
    }

    /// This scope travelled to `instant` (business time), when given: the model folded
    /// from the events up to it, judged on its day. For a viewer bound to a
    /// jurisdiction, only its streams and the national ones are folded (all they may
    /// read); for a national viewer, the whole log.
    pub async fn at(
        &self,
        ctx: &Context<'_>,
        instant: Option<DateTime<Utc>>,
    ) -> Result<Scope, ApiError> {
        let within = self.viewer.jurisdiction.clone();
        self.at_in(ctx, instant, within.as_deref()).await
    }

    /// [`Scope::at`] for answers about `jurisdiction` alone (one the viewer may read,
    /// checked by the caller; the whole country for `None`): the model folded from the
    /// streams of that jurisdiction and the national ones, through the store's index
    /// by jurisdiction, not from the whole log.
    pub async fn at_in(
        &self,
        ctx: &Context<'_>,
        instant: Option<DateTime<Utc>>,
        jurisdiction: Option<&str>,
    ) -> Result<Scope, ApiError> {
        let Some(instant) = instant else {
            return Ok(self.clone());
        };
        let gateway = gateway(ctx)?;
        let model = gateway
            .folds
            .model_at(gateway, instant, jurisdiction)
            .await?;
        let snapshot = Snapshot::new(model, 0);
        Ok(Scope::new(
            &snapshot,
            instant.date_naive(),
            self.viewer.clone(),
        ))
    }

    /// The roll-up tree of `program` (all plans when `None`) on this scope's day, made
    /// of the plans of the viewer's jurisdiction, computed once per snapshot.
    pub fn rollup_tree(&self, program: Option<DocumentId>) -> Arc<RollupNode> {
        self.rollup_tree_in(program, self.viewer.jurisdiction.as_deref())
    }

    /// The roll-up tree of `program` made of the plans of `jurisdiction` (the whole
    /// country when `None`); the caller checks the viewer may ask for it.
    pub fn rollup_tree_in(
        &self,
        program: Option<DocumentId>,
        jurisdiction: Option<&str>,
    ) -> Arc<RollupNode> {
        self.memo
            .rollup_tree(&self.model, program, jurisdiction, self.today)
    }

    /// An agency's task tally on this scope's day.
    pub fn tally(&self, agency: AgencyId) -> queries::AgencyTally {
        self.memo
            .agency_tallies(&self.model, self.today)
            .get(&agency)
            .copied()
            .unwrap_or_default()
    }

    /// Refuses the leaders' views (progress, roll-ups, accountability) to officers.
    pub fn require_overview(&self) -> Result<(), ApiError> {
        self.viewer.require(
            &[Role::Leader, Role::Secretariat, Role::Auditor],
            "read province-wide progress",
        )
    }

    /// The jurisdiction a viewer asks about: theirs when they serve one and ask for
    /// none, else what they asked, which must lie in theirs (a commune, or a province
    /// merged into theirs); the whole country for a national viewer asking for none.
    pub fn jurisdiction_asked(&self, asked: Option<String>) -> Result<Option<String>, ApiError> {
        let asked = asked.map(|a| a.trim().to_uppercase());
        match (&self.viewer.jurisdiction, asked) {
            (Some(mine), Some(asked)) if !self.model.lies_in(&asked, Some(mine)) => {
                Err(ApiError::Forbidden(format!(
                    "you serve {mine}, not {}",
                    crate::error::quoted(&asked)
                )))
            }
            (Some(mine), None) => Ok(Some(mine.clone())),
            (_, asked) => Ok(asked),
        }
    }
}

/// An entity a mutation answers about, found again by its id in the scope that
/// includes the write (each area implements it beside its object type).
pub(crate) trait Found: Sized {
    /// Its id.
    type Id;
    /// The entity as `scope` shows it, if the viewer may see it.
    fn found(scope: &Scope, id: Self::Id) -> Option<Self>;
}

/// Where "now" comes from: the system clock in service, a fixed instant in tests.
/// The gateway reads the time only through it: today for "overdue", and the recorded
/// time of the commands it sends.
#[derive(Clone)]
pub struct Clock(Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>);

impl Clock {
    /// The system clock.
    pub fn system() -> Clock {
        Clock(Arc::new(Utc::now))
    }

    /// Always `at`.
    pub fn fixed(at: DateTime<Utc>) -> Clock {
        Clock(Arc::new(move || at))
    }

    /// Now.
    pub fn now(&self) -> DateTime<Utc> {
        (self.0)()
    }

    /// Today (UTC), the day "overdue" is judged against.
    pub fn today(&self) -> NaiveDate {
        self.now().date_naive()
    }
}

impl Default for Clock {
    fn default() -> Clock {
        Clock::system()
    }
}

impl std::fmt::Debug for Clock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Clock({})", self.now())
    }
}

/// Time travel's shared resources: at most a few folds of the log at once (each is
/// the whole log's work), and the last few models folded, by instant and log head, so
/// a dashboard repeating a date folds once.
pub struct Folds {
    permits: tokio::sync::Semaphore,
    recent: std::sync::Mutex<std::collections::VecDeque<KeptFold>>,
}

/// A folded model, with the instant it was folded to, the jurisdiction it was folded
/// for (`None`: the whole country) and the log head it was read at.
type KeptFold = (DateTime<Utc>, Option<String>, u64, Arc<ProgressModel>);

/// How many folds run at once (the machine has few cores; others wait their turn).
pub const CONCURRENT_FOLDS: usize = 2;
/// How many folded models are kept (each is a whole model in memory).
pub const KEPT_FOLDS: usize = 4;
/// How long a request waits for its turn to fold before it is told to come back.
pub const FOLD_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

impl Default for Folds {
    fn default() -> Folds {
        Folds {
            permits: tokio::sync::Semaphore::new(CONCURRENT_FOLDS),
            recent: std::sync::Mutex::new(std::collections::VecDeque::new()),
        }
    }
}

impl Folds {
    /// The model as it stood at `instant` (for `jurisdiction`, else the whole
    /// country): kept from an earlier fold of the same instant and jurisdiction over
    /// the same log, or folded now in turn.
    async fn model_at(
        &self,
        gateway: &Gateway,
        instant: DateTime<Utc>,
        jurisdiction: Option<&str>,
    ) -> Result<Arc<ProgressModel>, ApiError> {
        let store = gateway.handler.store();
        let head = store.head().await?;
        if let Some(model) = self.kept(instant, jurisdiction, head) {
            return Ok(model);
        }
        let _turn = tokio::time::timeout(FOLD_WAIT, self.permits.acquire())
            .await
            .map_err(|_| ApiError::Unavailable {
                message: "too many time-travel questions are being answered; try again shortly"
                    .into(),
                retry_after_secs: 5,
            })?
            .map_err(|_| ApiError::Internal("the fold semaphore is closed".into()))?;
        // Another request may have folded the same instant while this one waited.
        if let Some(model) = self.kept(instant, jurisdiction, head) {
            return Ok(model);
        }
        let model = Arc::new(match jurisdiction {
            Some(within) => reform_projections::as_of_in(store.as_ref(), instant, within).await?,
            None => reform_projections::as_of(store.as_ref(), instant).await?,
        });
        let mut recent = self
            .recent
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if recent.len() >= KEPT_FOLDS {
            recent.pop_front();
        }
        recent.push_back((
            instant,
            jurisdiction.map(str::to_owned),
            head,
            model.clone(),
        ));
        Ok(model)
    }

    fn kept(
        &self,
        instant: DateTime<Utc>,
        jurisdiction: Option<&str>,
        head: u64,
    ) -> Option<Arc<ProgressModel>> {
        self.recent
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .iter()
            .find(|(i, j, h, _)| *i == instant && j.as_deref() == jurisdiction && *h == head)
            .map(|(_, _, _, m)| m.clone())
    }
}

/// Whether writes are failing for a reason that may pass (the database is down, the
/// disk is full): the last such failure, kept for [`WriteHealth::WINDOW`] unless a
/// write succeeds first. `/readyz` says not ready meanwhile.
#[derive(Default)]
pub struct WriteHealth {
    last_failure: std::sync::Mutex<Option<(tokio::time::Instant, String)>>,
}

impl WriteHealth {
    /// How long one failure keeps the instance "not ready".
    pub const WINDOW: std::time::Duration = std::time::Duration::from_secs(5);

    /// A write failed, for `reason`.
    pub fn failed(&self, reason: &str) {
        *self.lock() = Some((tokio::time::Instant::now(), reason.to_owned()));
    }

    /// A write succeeded.
    pub fn succeeded(&self) {
        *self.lock() = None;
    }

    /// Why writes are failing, if one failed within the window and none succeeded
    /// since.
    pub fn failing(&self) -> Option<String> {
        self.lock()
            .as_ref()
            .filter(|(at, _)| at.elapsed() < Self::WINDOW)
            .map(|(_, reason)| reason.clone())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<(tokio::time::Instant, String)>> {
        self.last_failure
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// The gateway's shared state.
pub fn gateway<'c>(ctx: &Context<'c>) -> Result<&'c Gateway, ApiError> {
    ctx.data::<Gateway>()
        .map_err(|_| ApiError::Internal("the schema was built without its gateway".into()))
}

/// What every resolver shares.
pub struct Gateway {
    /// Runs commands.
    pub handler: CommandHandler,
    /// The read-model in memory.
    pub live: Arc<LiveView>,
    /// PAR INDEX bands where no scheme is on record (none by default).
    pub bands: Vec<Band>,
    /// The emulation-reward rule of the accountability view.
    pub reward_rule: RewardRule,
    /// Where "now" comes from.
    pub clock: Clock,
    /// Time travel's turns and kept models.
    pub folds: Folds,
    /// Whether writes are failing for now.
    pub writes: Arc<WriteHealth>,
}
