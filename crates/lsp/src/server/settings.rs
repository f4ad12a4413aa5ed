//! The editor's `gazette` settings (initialization options, pushed or
//! pulled configuration).

use super::indexing;
use super::publish::{self, PublishQueue};
use crate::state::State;
use gazette_core::workspace::FileFilter;
use parking_lot::RwLock;
use serde_json::Value;
use std::sync::Arc;
use tower_lsp_server::ls_types::{ConfigurationItem, MessageType};
use tower_lsp_server::Client;

/// New editor settings: apply, republish, re-index when the file
/// selection changed.
pub(super) fn changed(
    state: &Arc<RwLock<State>>,
    tx: &PublishQueue,
    client: &Client,
    progress: bool,
    v: &Value,
) {
    let (problems, files_changed) = {
        let mut s = state.write();
        let r = apply_settings(&mut s, v);
        let all = publish::all_paths(&s);
        publish::refresh_diagnostics_later(state.clone(), tx.clone(), all, None, true);
        publish::queue_kb_diagnostics(&mut s, tx);
        r
    };
    show_problems(client, problems);
    if files_changed {
        indexing::spawn_indexing_with(state.clone(), client.clone(), tx.clone(), progress);
    }
}

/// Asks the editor for the `gazette` section (never awaited in a handler).
pub(super) fn spawn_config_pull(
    state: Arc<RwLock<State>>,
    tx: PublishQueue,
    client: Client,
    progress: bool,
) {
    tokio::spawn(async move {
        let items = vec![ConfigurationItem {
            scope_uri: None,
            section: Some("gazette".into()),
        }];
        let Ok(values) = client.configuration(items).await else {
            return;
        };
        if let Some(v) = values.into_iter().next().filter(Value::is_object) {
            changed(&state, &tx, &client, progress, &v);
        }
    });
}

/// Shows fatal configuration problems (and only those) to the user.
pub(super) fn show_problems(client: &Client, problems: Vec<String>) {
    if problems.is_empty() {
        return;
    }
    let client = client.clone();
    tokio::spawn(async move {
        let message = format!("gazette: {}", problems.join("; "));
        client.show_message(MessageType::ERROR, message).await;
    });
}

/// Applies the editor's `gazette` settings; returns the problems found
/// (shown to the user) and whether the file selection changed.
pub(super) fn apply_settings(state: &mut State, v: &Value) -> (Vec<String>, bool) {
    let files = |s: &State| {
        (
            s.config.include.clone(),
            s.config.exclude.clone(),
            s.config.max_file_size,
        )
    };
    let before = files(state);
    let mut problems = Vec::new();
    if let Some(d) = v.get("diagnostics").and_then(Value::as_object) {
        apply_diagnostic_levels(state, d, &mut problems);
    }
    state.client_files = (
        state.client_files.0 || v.get("include").is_some_and(Value::is_array),
        state.client_files.1 || v.get("exclude").is_some_and(Value::is_array),
        state.client_files.2 || v.get("maxFileSize").is_some_and(Value::is_u64),
    );
    apply_review(state, v, &mut problems);
    apply_file_settings(state, v, &mut problems);
    super::archive::apply_setting(state, v, &mut problems);
    let changed = before != files(state);
    (problems, changed)
}

/// `gazette.review.enable`: review mode on or off.
fn apply_review(state: &mut State, v: &Value, problems: &mut Vec<String>) {
    if let Some(r) = v.get("review").and_then(|r| r.get("enable")) {
        match r.as_bool() {
            Some(b) => state.store.review = b,
            None if r.is_null() => {}
            None => problems.push("gazette.review.enable: use true or false".into()),
        }
    }
}

/// `gazette.diagnostics`: a level per diagnostic group, for the editor.
fn apply_diagnostic_levels(
    state: &mut State,
    levels: &serde_json::Map<String, Value>,
    problems: &mut Vec<String>,
) {
    state.client_levels.clear();
    for (k, val) in levels {
        let Some(group) = gazette_core::kb::diagnostic_group(k) else {
            problems.push(format!(
                "unknown diagnostic setting gazette.diagnostics.{k}"
            ));
            continue;
        };
        match val.as_str().and_then(gazette_core::kb::Level::parse) {
            Some(l) => {
                state.client_levels.insert(group.to_string(), l);
            }
            None if val.is_null() => {}
            None => problems.push(format!(
                "gazette.diagnostics.{k}: use \"off\", \"hint\", \"information\", \"warning\" or \"error\""
            )),
        }
    }
}

fn apply_file_settings(state: &mut State, v: &Value, problems: &mut Vec<String>) {
    let get_list = |key: &str| -> Option<Vec<String>> {
        v.get(key)?.as_array().map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(String::from))
                .collect()
        })
    };
    if let Some(inc) = get_list("include") {
        state.config.include = inc;
    }
    if let Some(exc) = get_list("exclude") {
        state.config.exclude = exc;
    }
    if let Some(n) = v.get("maxFileSize").and_then(Value::as_u64) {
        state.config.max_file_size = gazette_core::workspace::size_limit(n);
    }
    // A glob that does not compile is reported and left out; the others
    // still select the articles.
    state.filter = FileFilter::new(&state.config);
    for p in state.filter.problems() {
        tracing::warn!("bad include/exclude setting: {p}");
        problems.push(format!("gazette.{p} (ignored)"));
    }
}
