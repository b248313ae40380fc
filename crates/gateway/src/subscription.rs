//! Live updates. Both subscriptions are fed by the server's [`LiveView`], which follows
//! the shared log: a client connected to any instance sees what any other committed.

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
use crate::relay::{global_id, parse, Kind};
use crate::types::{gateway, ActorView, RollupNodeView, Scope, Task};

/// The subscription root.
pub struct SubscriptionRoot;

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

/// Pillar progress of a program after a change.
#[derive(SimpleObject)]
pub struct PillarProgressUpdate {
    /// The log position the figures stand at.
    pub position: u64,
    /// One node per pillar, then cross-cutting work.
    pub pillars: Vec<RollupNodeView>,
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
}

impl Follow {
    /// Reads the events between the last snapshot seen and the next one.
    async fn next_batch(&mut self, filter: TaskFilter) -> Option<()> {
        self.changes.changed().await.ok()?;
        let snapshot = self.changes.borrow_and_update().clone();
        let scope = Scope::new(&snapshot, Utc::now().date_naive(), self.viewer.clone());
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

#[Subscription(name = "Subscription")]
impl SubscriptionRoot {
    /// Events on the tasks the viewer may see, as they are committed; optionally only
    /// one plan's, or only those an agency leads or coordinates.
    async fn task_events(
        &self,
        ctx: &Context<'_>,
        plan_id: Option<ID>,
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

    /// A program's pillar progress: now, then again each time it changes.
    async fn pillar_progress_changed(
        &self,
        ctx: &Context<'_>,
        program_id: ID,
    ) -> async_graphql::Result<impl Stream<Item = PillarProgressUpdate>> {
        let scope = Scope::of(ctx)?;
        scope.require_overview()?;
        let program = DocumentId(parse(&program_id, Kind::Program, "programId")?);
        scope.document(program)?;
        let gateway = gateway(ctx)?;
        let mut changes = gateway.live.subscribe();
        changes.mark_changed();
        let viewer = scope.viewer.clone();
        let state = (
            changes,
            viewer,
            None::<Vec<(Option<f64>, usize, usize, usize)>>,
        );
        Ok(futures::stream::unfold(
            state,
            move |(mut changes, viewer, mut last)| async move {
                loop {
                    changes.changed().await.ok()?;
                    let snapshot = changes.borrow_and_update().clone();
                    let today = Utc::now().date_naive();
                    let scope = Scope::new(&snapshot, today, viewer.clone());
                    let tree = scope.rollup_tree(Some(program));
                    let figures: Vec<_> = tree
                        .children
                        .iter()
                        .map(|n| {
                            (
                                n.percent,
                                n.counts.counted(),
                                n.counts.completed(),
                                n.counts.overdue,
                            )
                        })
                        .collect();
                    if last.as_ref() == Some(&figures) {
                        continue;
                    }
                    last = Some(figures);
                    let pillars = RollupNodeView::new(scope, tree)
                        .children_unfiltered()
                        .into_iter()
                        .filter(|n| n.is_pillar())
                        .collect();
                    let update = PillarProgressUpdate {
                        position: snapshot.position,
                        pillars,
                    };
                    return Some((update, (changes, viewer, last)));
                }
            },
        ))
    }
}
