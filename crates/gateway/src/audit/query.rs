//! The auditor's questions: the log page by page, and whether the chain holds.

use async_graphql::{Context, Object, SimpleObject};

use crate::audit::{AuditEntryConnection, AuditEntryEdge, AuditFilterInput};
use crate::error::ApiError;
use crate::relay::{cursor, PageInfo};
use crate::scope::{gateway, Scope};

/// The result of checking the event log's hash chain.
#[derive(SimpleObject)]
pub struct AuditVerification {
    /// Whether every event checked is as written, in its place.
    pub intact: bool,
    /// Events checked before the first breach (all of them when intact).
    pub checked: u64,
    /// The head's digest (`POSITION:HASH`), to keep outside the system; null on a breach.
    pub digest: Option<String>,
    /// The first event found wrong.
    pub breach: Option<AuditBreach>,
}

/// Where the chain breaks and why.
#[derive(SimpleObject)]
pub struct AuditBreach {
    /// The first position found wrong.
    pub position: u64,
    /// What is wrong there.
    pub problem: String,
}

/// The audit queries.
#[derive(Default)]
pub struct AuditQuery;

#[Object]
impl AuditQuery {
    /// The audit log, newest first: who changed what, when and why, each entry with
    /// the fields it changed (old → new). Auditors and leaders; a leader bound to a
    /// jurisdiction sees the entries of its entities only (a page may then hold fewer
    /// than `first`).
    async fn audit_log(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which to list; every field narrows, none lists all.")] filter: Option<
            AuditFilterInput,
        >,
        #[graphql(desc = "Return at most this many, from the start (or after `after`); 1 to 100.")]
        first: i32,
        #[graphql(desc = "The cursor to continue after (a previous page's `endCursor`).")]
        after: Option<String>,
    ) -> async_graphql::Result<AuditEntryConnection> {
        let scope = Scope::of(ctx)?;
        scope.viewer.require(
            &[reform_domain::Role::Auditor, reform_domain::Role::Leader],
            "read the audit log",
        )?;
        let filter = filter.unwrap_or_default().to_filter()?;
        if !(0..=100).contains(&first) {
            return Err(ApiError::bad_input("first", "between 0 and 100").into());
        }
        let before = match &after {
            None => None,
            Some(c) => Some(
                crate::relay::cursor_key(c, "after")?
                    .parse::<u64>()
                    .map_err(|_| ApiError::bad_input("after", "not a cursor this API gave out"))?,
            ),
        };
        let store = gateway(ctx)?.handler.store().clone();
        // One more than asked tells whether there is a next page.
        let limit = u32::try_from(first).unwrap_or(0) + 1;
        let mut events = store
            .read_audit(&filter, before, limit)
            .await
            .map_err(ApiError::from)?;
        let has_next_page = events.len() > usize::try_from(first).unwrap_or(0);
        events.truncate(usize::try_from(first).unwrap_or(0));
        let mut streams: Vec<reform_domain::StreamId> =
            events.iter().map(|e| e.stream_id.clone()).collect();
        streams.sort();
        streams.dedup();
        let histories = store.read_streams(&streams).await.map_err(ApiError::from)?;
        let end = events.last().map(|e| e.position);
        let entries = crate::audit::entries(&scope, events, &histories)?;
        let edges: Vec<AuditEntryEdge> = entries
            .into_iter()
            .map(|node| AuditEntryEdge {
                cursor: cursor(&node.position.to_string()),
                node,
            })
            .collect();
        Ok(AuditEntryConnection {
            nodes: edges.iter().map(|e| e.node.clone()).collect(),
            page_info: PageInfo {
                has_next_page,
                has_previous_page: before.is_some(),
                start_cursor: edges.first().map(|e| e.cursor.clone()),
                end_cursor: end.map(|p| cursor(&p.to_string())),
            },
            edges,
        })
    }

    /// Checks the event log's hash chain end to end (auditors and leaders): whether
    /// it is intact, how many events were checked and the head's digest — or the first
    /// event found changed, removed, inserted or moved. With `against` (a digest kept
    /// from an earlier check), also whether the log still passes through it.
    #[graphql(complexity = "crate::VERIFY_COST")]
    async fn verify_audit(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "A digest kept from before, `POSITION:HASH` as `reform verify` prints it: also prove the log still passes through it."
        )]
        against: Option<String>,
    ) -> async_graphql::Result<AuditVerification> {
        let scope = Scope::of(ctx)?;
        scope.viewer.require(
            &[reform_domain::Role::Auditor, reform_domain::Role::Leader],
            "verify the audit log",
        )?;
        let against = against
            .map(|d| d.parse::<reform_store::chain::Digest>())
            .transpose()
            .map_err(|e| ApiError::bad_input("against", e))?;
        let store = gateway(ctx)?.handler.store().clone();
        let verification = reform_store::verify(store.as_ref(), None, None, against)
            .await
            .map_err(ApiError::from)?;
        Ok(match verification.outcome {
            Ok(digest) => AuditVerification {
                intact: true,
                checked: verification.checked,
                digest: Some(digest.to_string()),
                breach: None,
            },
            Err(breach) => AuditVerification {
                intact: false,
                checked: verification.checked,
                digest: None,
                breach: Some(AuditBreach {
                    position: breach.position,
                    problem: breach.problem,
                }),
            },
        })
    }
}
