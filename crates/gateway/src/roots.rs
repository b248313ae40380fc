//! The schema's roots: each only merges the areas' queries, mutations and
//! subscriptions, in the order the SDL lists them.

use async_graphql::{MergedObject, MergedSubscription};

use crate::agency::mutation::AgencyMutation;
use crate::agency::query::AgencyQuery;
use crate::audit::query::AuditQuery;
use crate::document::import::TableMutations;
use crate::document::mutation::DocumentMutation;
use crate::document::query::DocumentQuery;
use crate::evaluation::mutation::EvaluationMutation;
use crate::evaluation::query::EvaluationQuery;
use crate::indicator::mutation::IndicatorMutation;
use crate::indicator::query::IndicatorQuery;
use crate::jurisdiction::mutation::JurisdictionMutation;
use crate::jurisdiction::query::JurisdictionQuery;
use crate::node::NodeQuery;
use crate::progress::subscription::ProgressSubscription;
use crate::task::mutation::TaskMutation;
use crate::task::query::TaskQuery;
use crate::task::subscription::TaskSubscription;

/// The query root: what the viewer may read, answered from one consistent snapshot of
/// the read-model per request (or, with `asOf`, the record as it stood then).
#[derive(MergedObject, Default)]
#[graphql(name = "Query")]
pub struct QueryRoot(
    NodeQuery,
    DocumentQuery,
    TaskQuery,
    AgencyQuery,
    EvaluationQuery,
    AuditQuery,
    IndicatorQuery,
    JurisdictionQuery,
);

/// The mutation root: one mutation per domain command, one `input` argument each, a
/// payload back. The actor is the token's; `clientMutationId` is the idempotency key;
/// `expectedVersion` guards against acting on a stale read.
#[derive(MergedObject, Default)]
#[graphql(name = "Mutation")]
pub struct MutationRoot(
    AgencyMutation,
    DocumentMutation,
    TableMutations,
    TaskMutation,
    IndicatorMutation,
    EvaluationMutation,
    JurisdictionMutation,
);

/// The subscription root: live updates over WebSocket (graphql-transport-ws), for the
/// records the viewer may read.
#[derive(MergedSubscription, Default)]
#[graphql(name = "Subscription")]
pub struct SubscriptionRoot(TaskSubscription, ProgressSubscription);
