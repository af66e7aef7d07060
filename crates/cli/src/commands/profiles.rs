//! `entra-setup profiles [--json]`: the shipped and the admin's own integration profiles.

use entra_setup_core::paths::AppPaths;
use entra_setup_core::profile::{Catalog, ProfileSummary};

use crate::exit::{ExitStatus, UsageError};

/// List the profiles, as a table or as `[{"id","title","product","kind",…}]`.
pub fn run(json: bool) -> anyhow::Result<ExitStatus> {
    let paths = AppPaths::from_env()?;
    let catalog = Catalog::with_user_dir(&paths.user_profiles_dir())
        .map_err(|e| UsageError(entra_setup_core::error_text::with_sources(&e)))?;
    let summaries = catalog.summaries();
    if json {
        println!("{}", serde_json::to_string_pretty(&summaries)?);
    } else {
        print!("{}", table(&summaries));
    }
    Ok(ExitStatus::Ok)
}

/// A table a person reads at a glance: id, product and title, aligned.
fn table(summaries: &[ProfileSummary]) -> String {
    let id_width = summaries
        .iter()
        .map(|s| s.id.len())
        .max()
        .unwrap_or(2)
        .max(2);
    let product_width = summaries
        .iter()
        .map(|s| s.product.len())
        .max()
        .unwrap_or(7)
        .max(7);
    let mut out = format!("{:id_width$}  {:product_width$}  TITLE\n", "ID", "PRODUCT");
    for s in summaries {
        out.push_str(&format!(
            "{:id_width$}  {:product_width$}  {}\n",
            s.id, s.product, s.title
        ));
    }
    out
}
