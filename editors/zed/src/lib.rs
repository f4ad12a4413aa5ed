//! Zed extension for the gazette language server: starts `gazette lsp` for
//! Plain Text and Markdown buffers and forwards the user's `lsp.gazette`
//! settings (initialization options and the "gazette" configuration section).

use zed_extension_api::{self as zed, serde_json, settings::LspSettings, LanguageServerId, Result};

/// Settings section the server asks for with `workspace/configuration`.
const SECTION: &str = "gazette";

struct GazetteExtension;

/// Resolves the executable: `lsp.gazette.binary.path` if set, else `gazette`
/// found on the worktree's PATH.
fn server_path(settings: Option<&LspSettings>, worktree: &zed::Worktree) -> Result<String> {
    if let Some(path) = settings
        .and_then(|s| s.binary.as_ref())
        .and_then(|b| b.path.clone())
    {
        return Ok(path);
    }
    worktree.which("gazette").ok_or_else(|| {
        "gazette not found on PATH; set lsp.gazette.binary.path in Zed's settings".to_string()
    })
}

impl zed::Extension for GazetteExtension {
    fn new() -> Self {
        GazetteExtension
    }

    fn language_server_command(
        &mut self,
        id: &LanguageServerId,
        worktree: &zed::Worktree,
    ) -> Result<zed::Command> {
        let settings = LspSettings::for_worktree(id.as_ref(), worktree).ok();
        let command = server_path(settings.as_ref(), worktree)?;
        let binary = settings.as_ref().and_then(|s| s.binary.as_ref());
        let args = binary
            .and_then(|b| b.arguments.clone())
            .unwrap_or_else(|| vec!["lsp".to_string()]);
        let mut env = worktree.shell_env();
        if let Some(extra) = binary.and_then(|b| b.env.clone()) {
            env.extend(extra);
        }
        Ok(zed::Command { command, args, env })
    }

    fn language_server_initialization_options(
        &mut self,
        id: &LanguageServerId,
        worktree: &zed::Worktree,
    ) -> Result<Option<serde_json::Value>> {
        let settings = LspSettings::for_worktree(id.as_ref(), worktree).ok();
        // initialization_options if given, else the same object as the settings.
        Ok(settings.and_then(|s| s.initialization_options.or(s.settings)))
    }

    fn language_server_workspace_configuration(
        &mut self,
        id: &LanguageServerId,
        worktree: &zed::Worktree,
    ) -> Result<Option<serde_json::Value>> {
        let section = LspSettings::for_worktree(id.as_ref(), worktree)
            .ok()
            .and_then(|s| s.settings)
            .unwrap_or_else(|| serde_json::json!({}));
        Ok(Some(serde_json::json!({ SECTION: section })))
    }
}

zed::register_extension!(GazetteExtension);
