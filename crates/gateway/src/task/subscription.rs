//! Events on the tasks a viewer may see, live: fed by the server's live view, which
//! follows the shared log, so a client of any instance sees what any other committed.

use std::collections::VecDeque;
use std::sync::Arc;

use async_graphql::{Context, SimpleObject, Subscription, ID};
use chrono::{DateTime, Utc};
use futures::Stream;
use reform_domain::{AgencyId, DocumentId, TaskId};
use reform_projections::Snapshot;
use reform_store::{EventStore, RecordedEvent};
use tokio::sync::watch;

use crate::auth::Viewer;
use crate::history::ActorView;
use crate::relay::{global_id, parse, Kind};
use crate::scope::{gateway, Clock, Scope};
use crate::task::Task;

/// Something that happened to a task.
#[derive(SimpleObject)]
pub struct TaskEvent {
    /// Position in the log.
    pub position: u64,
    /// The event's type (`TaskProgressReported`…).
    pub event_type: String,
    /// Business time.
    pub occurred_at: DateTime<Utc>,
    /// Who.
    pub actor: ActorView,
    /// Why, when given.
    pub reason: Option<String>,
    /// The task as it stands after the event.
    pub task: Task,
}

/// Which task events a subscriber wants.
#[derive(Clone, Copy)]
struct TaskFilter {
    plan: Option<DocumentId>,
    agency: Option<AgencyId>,
}

struct Follow {
    changes: watch::Receiver<Snapshot>,
    store: Arc<dyn EventStore>,
    viewer: Viewer,
    after: u64,
    pending: VecDeque<TaskEvent>,
    clock: Clock,
}

impl Follow {
    /// Reads the events between the last snapshot seen and the next one.
    async fn next_batch(&mut self, filter: TaskFilter) -> Option<()> {
        self.changes.changed().await.ok()?;
        let snapshot = self.changes.borrow_and_update().clone();
        let scope = Scope::new(&snapshot, self.clock.today(), self.viewer.clone());
        while self.after < snapshot.position {
            let page = match self.store.read_all(self.after, 500).await {
                Ok(page) => page,
                Err(error) => {
                    tracing::warn!(%error, "a subscription could not read the log");
                    return Some(());
                }
            };
            let Some(last) = page.last().map(|e| e.position) else {
                break;
            };
            for event in page.into_iter().filter(|e| e.position <= snapshot.position) {
                if let Some(item) = task_event(&scope, event, filter) {
                    self.pending.push_back(item);
                }
            }
            self.after = last.min(snapshot.position);
        }
        Some(())
    }
}

fn task_event(scope: &Scope, event: RecordedEvent, filter: TaskFilter) -> Option<TaskEvent> {
    let id = event
        .stream_id
        .as_str()
        .strip_prefix("task-")
        .and_then(|u| uuid::Uuid::parse_str(u).ok())
        .map(TaskId)?;
    let task = scope.task(id).ok()?;
    let row = &task.row;
    if filter.plan.is_some_and(|p| row.plan_id != p) {
        return None;
    }
    if filter
        .agency
        .is_some_and(|a| row.lead_id != a && !row.coordinator_ids.contains(&a))
    {
        return None;
    }
    let actor = event.metadata.actor;
    Some(TaskEvent {
        position: event.position,
        event_type: event.event_type,
        occurred_at: event.metadata.occurred_at,
        actor: ActorView {
            user_id: actor.user_id,
            name: actor.display_name,
            role: actor.role.into(),
            agency_id: actor.agency.map(|a| global_id(Kind::Agency, a.0)),
        },
        reason: event.metadata.reason,
        task,
    })
}

/// The task subscriptions.
#[derive(Default)]
pub struct TaskSubscription;

#[Subscription]
impl TaskSubscription {
    /// Events on the tasks the viewer may see, as they are committed; optionally only
    /// one plan's, or only those an agency leads or coordinates.
    async fn task_events(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only events of this plan's tasks.")] plan_id: Option<ID>,
        #[graphql(desc = "Only events of tasks this agency leads or coordinates.")]
        agency_id: Option<ID>,
    ) -> async_graphql::Result<impl Stream<Item = TaskEvent>> {
        let scope = Scope::of(ctx)?;
        let gateway = gateway(ctx)?;
        let filter = TaskFilter {
            plan: plan_id
                .as_ref()
                .map(|p| parse(p, Kind::Plan, "planId").map(DocumentId))
                .transpose()?,
            agency: agency_id
                .as_ref()
                .map(|a| parse(a, Kind::Agency, "agencyId").map(AgencyId))
                .transpose()?,
        };
        let changes = gateway.live.subscribe();
        let after = changes.borrow().position;
        let follow = Follow {
            changes,
            store: gateway.handler.store().clone(),
            viewer: scope.viewer.clone(),
            after,
            pending: VecDeque::new(),
            clock: gateway.clock.clone(),
        };
        Ok(futures::stream::unfold(
            follow,
            move |mut follow| async move {
                loop {
                    if let Some(item) = follow.pending.pop_front() {
                        return Some((item, follow));
                    }
                    follow.next_batch(filter).await?;
                }
            },
        ))
    }
}
