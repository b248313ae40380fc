//! `reform indicators`: the reform's measurable targets and how they are tracking.

use reform_projections::queries;

use crate::args::IndicatorsArgs;
use crate::commands::{day_or_today, Tracker};

/// Prints each indicator with its latest measurement, its target and its red / amber /
/// green status against the straight-line trajectory on the day asked for.
pub(crate) async fn indicators(tracker: &Tracker, args: IndicatorsArgs) -> anyhow::Result<()> {
    let model = tracker.current_model().await?;
    let day = day_or_today(args.as_of);
    for t in queries::trajectories(&model, args.jurisdiction.as_deref(), day) {
        let i = &t.indicator;
        let latest = t.latest.as_ref().map_or("no measurement".to_owned(), |m| {
            format!("{} {} on {}", m.value, i.unit, m.on)
        });
        let target = t.target.as_ref().map_or(String::new(), |g| {
            format!(", target {} {} by {}", g.value, i.unit, g.year)
        });
        let rag = t
            .rag
            .map_or("—".to_owned(), |r| format!("{r:?}").to_uppercase());
        println!("{:<6} {:<28} {latest}{target} — {}", rag, i.code, i.name);
    }
    Ok(())
}
