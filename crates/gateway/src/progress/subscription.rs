//! A program's pillar progress, live: now, then on every change.

use async_graphql::{Context, SimpleObject, Subscription, ID};
use futures::Stream;
use reform_domain::DocumentId;

use crate::progress::RollupNodeView;
use crate::relay::{parse, Kind};
use crate::scope::{gateway, Scope};

/// Pillar progress of a program after a change.
#[derive(SimpleObject)]
pub struct PillarProgressUpdate {
    /// The log position the figures stand at.
    pub position: u64,
    /// One node per pillar, then cross-cutting work.
    pub pillars: Vec<RollupNodeView>,
}

/// The progress subscriptions.
#[derive(Default)]
pub struct ProgressSubscription;

#[Subscription]
impl ProgressSubscription {
    /// A program's pillar progress: now, then again each time it changes.
    async fn pillar_progress_changed(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The program to watch.")] program_id: ID,
    ) -> async_graphql::Result<impl Stream<Item = PillarProgressUpdate>> {
        let scope = Scope::of(ctx)?;
        scope.require_overview()?;
        let program = DocumentId(parse(&program_id, Kind::Program, "programId")?);
        scope.document(program)?;
        let gateway = gateway(ctx)?;
        let mut changes = gateway.live.subscribe();
        changes.mark_changed();
        let viewer = scope.viewer.clone();
        let clock = gateway.clock.clone();
        let state = (
            changes,
            viewer,
            None::<Vec<(Option<f64>, usize, usize, usize)>>,
        );
        Ok(futures::stream::unfold(
            state,
            move |(mut changes, viewer, mut last)| {
                let clock = clock.clone();
                async move {
                    loop {
                        changes.changed().await.ok()?;
                        let snapshot = changes.borrow_and_update().clone();
                        let today = clock.today();
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
                }
            },
        ))
    }
}
