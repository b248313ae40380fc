//! What still comes from the event store during a query — versions and histories —
//! loaded in batches: a page of 100 tasks asking for `version` and `history` costs two
//! statements, not two hundred. One loader per request (or subscription connection);
//! it batches, it does not cache, so nothing it answers is older than the request.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::dataloader::{DataLoader, Loader};
use reform_domain::StreamId;
use reform_store::{EventStore, RecordedEvent};

use crate::error::ApiError;

/// A stream's version.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct VersionOf(pub StreamId);

/// A stream's events.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct HistoryOf(pub StreamId);

/// Loads from the event store in batches.
pub(crate) struct StoreLoader {
    store: Arc<dyn EventStore>,
}

/// The loader a request's resolvers share.
pub(crate) type RequestLoader = Arc<DataLoader<StoreLoader>>;

/// A fresh loader over `store`.
pub(crate) fn loader(store: Arc<dyn EventStore>) -> RequestLoader {
    Arc::new(DataLoader::new(StoreLoader { store }, tokio::spawn))
}

/// Errors shared by every key of a failed batch.
#[derive(Clone, Debug)]
pub(crate) struct LoadError(Arc<ApiError>);

impl LoadError {
    /// The API error it stands for.
    pub(crate) fn into_api(self) -> ApiError {
        Arc::try_unwrap(self.0).unwrap_or_else(|shared| ApiError::Internal(shared.message()))
    }
}

impl Loader<VersionOf> for StoreLoader {
    type Value = u64;
    type Error = LoadError;

    async fn load(&self, keys: &[VersionOf]) -> Result<HashMap<VersionOf, u64>, LoadError> {
        let streams: Vec<StreamId> = keys.iter().map(|k| k.0.clone()).collect();
        let found = self
            .store
            .stream_versions(&streams)
            .await
            .map_err(|e| LoadError(Arc::new(e.into())))?;
        Ok(found
            .into_iter()
            .map(|(stream, version)| (VersionOf(stream), version))
            .collect())
    }
}

impl Loader<HistoryOf> for StoreLoader {
    type Value = Vec<RecordedEvent>;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[HistoryOf],
    ) -> Result<HashMap<HistoryOf, Vec<RecordedEvent>>, LoadError> {
        let streams: Vec<StreamId> = keys.iter().map(|k| k.0.clone()).collect();
        let events = self
            .store
            .read_streams(&streams)
            .await
            .map_err(|e| LoadError(Arc::new(e.into())))?;
        let mut by_stream: HashMap<HistoryOf, Vec<RecordedEvent>> = HashMap::new();
        for event in events {
            by_stream
                .entry(HistoryOf(event.stream_id.clone()))
                .or_default()
                .push(event);
        }
        Ok(by_stream)
    }
}
