//! Connection settings, after libpq's conventions: the URL names the
//! server, database and role; a password the URL does not give comes from
//! `PGPASSWORD`, else from the password file (`PGPASSFILE`, default
//! `~/.pgpass`, lines `host:port:database:user:password` with `*`
//! wildcards and `\`-escapes). Never from gazette.toml.

use std::path::PathBuf;
use tokio_postgres::config::Host;
use tokio_postgres::Config;

/// The settings for `url`, with the password filled in as libpq would.
pub fn config(url: &str) -> anyhow::Result<Config> {
    let mut cfg: Config = url
        .parse()
        .map_err(|e| anyhow::anyhow!("archive URL: {e}"))?;
    if cfg.get_password().is_none() {
        if let Some(pw) = std::env::var_os("PGPASSWORD") {
            cfg.password(pw.to_string_lossy().as_bytes());
        } else if let Some(pw) = pgpass_password(&cfg) {
            cfg.password(pw.as_bytes());
        }
    }
    Ok(cfg)
}

/// The URL without its password, for messages.
pub fn redacted(cfg: &Config) -> String {
    let host = match cfg.get_hosts().first() {
        Some(Host::Tcp(h)) => h.clone(),
        #[cfg(unix)]
        Some(Host::Unix(p)) => p.display().to_string(),
        None => "localhost".into(),
    };
    format!(
        "{}@{}:{}/{}",
        cfg.get_user().unwrap_or(""),
        host,
        cfg.get_ports().first().copied().unwrap_or(5432),
        cfg.get_dbname().unwrap_or("")
    )
}

fn pgpass_file() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("PGPASSFILE") {
        return Some(PathBuf::from(p));
    }
    std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".pgpass"))
}

fn pgpass_password(cfg: &Config) -> Option<String> {
    // Through the one reader of outside files: a regular file only, and
    // at most 1 MiB (a pgpass file is a few lines; a FIFO or a huge file
    // named by PGPASSFILE must not block or exhaust the server).
    let file = gazette_core::workspace::read_file(&pgpass_file()?, 1 << 20, None).ok()?;
    let text = String::from_utf8(file.bytes).ok()?;
    // As libpq: a socket folder matches its path, and the default
    // folder (or no host at all) also "localhost".
    let hosts: Vec<String> = match cfg.get_hosts().first() {
        Some(Host::Tcp(h)) => vec![h.clone()],
        #[cfg(unix)]
        Some(Host::Unix(p)) => {
            let mut v = vec![p.display().to_string()];
            if ["/var/run/postgresql", "/run/postgresql", "/tmp"].contains(&v[0].as_str()) {
                v.push("localhost".into());
            }
            v
        }
        None => vec!["localhost".into()],
    };
    let port = cfg.get_ports().first().copied().unwrap_or(5432).to_string();
    let user = cfg
        .get_user()
        .map(str::to_string)
        .or_else(|| std::env::var("USER").ok())
        .unwrap_or_default();
    let db = cfg.get_dbname().unwrap_or(&user).to_string();
    hosts
        .iter()
        .find_map(|h| lookup(&text, [h, &port, &db, &user]))
}

/// The password of the first line of a password file matching the four
/// fields (host, port, database, user).
pub fn lookup(text: &str, want: [&str; 4]) -> Option<String> {
    for line in text.lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let fields = split_fields(line);
        if fields.len() < 5 {
            continue;
        }
        if (0..4).all(|i| fields[i] == "*" || fields[i] == want[i]) {
            return Some(fields[4].clone());
        }
    }
    None
}

fn split_fields(line: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(n) = chars.next() {
                    out.last_mut().unwrap().push(n);
                }
            }
            // The password is the rest of the line, colons and all.
            ':' if out.len() < 5 => out.push(String::new()),
            c => out.last_mut().unwrap().push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_file_lines() {
        let text = "# comment\nother:5432:*:*:no\n*:5433:gazette:reader:s\\:cret:x\n";
        assert_eq!(
            lookup(text, ["localhost", "5433", "gazette", "reader"]).as_deref(),
            Some("s:cret:x")
        );
        assert_eq!(
            lookup(text, ["localhost", "5432", "gazette", "reader"]),
            None
        );
    }

    #[test]
    fn urls_with_sockets_parse() {
        let c = config("postgresql://reader@/gazette?host=/tmp/pg&port=5433").unwrap();
        assert_eq!(c.get_dbname(), Some("gazette"));
        assert_eq!(c.get_ports(), &[5433]);
    }
}
