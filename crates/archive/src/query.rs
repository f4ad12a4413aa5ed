//! The queries a language server makes of an archive, on `tokio-postgres`.
//!
//! [`Archive`] holds at most one connection and makes a new one when the
//! last one broke: a server started while the database was down, or that
//! lost it, goes on by itself once it is back. After a failed connect it
//! does not try again for [`RETRY_AFTER`], so that an unreachable archive
//! costs the editor nothing but the word "unavailable". Callers bound each
//! query with a timeout of their own; every query is read-only.

use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Mutex;
use tokio_postgres::{Client, Config, NoTls};

/// A query for mentions with their article's path, in the columns
/// [`mention_at`] reads, `WHERE` the literal given.
macro_rules! mentions_where {
    ($rest:literal) => {
        concat!(
            "SELECT d.path, m.start_line, m.start_col, m.end_line, m.end_col \
             FROM mentions m JOIN documents d ON d.doc_id = m.doc_id WHERE ",
            $rest
        )
    };
}

/// How long after a failed connect the next query fails at once.
pub const RETRY_AFTER: Duration = Duration::from_secs(5);

/// An entity as the archive knows it: counts over every archive article.
#[derive(Clone, Debug, PartialEq)]
pub struct ArchiveEntity {
    pub entity_id: i64,
    pub key: String,
    pub name: String,
    pub kind: String,
    pub mention_count: i64,
    pub doc_count: i64,
}

/// A mention in an archive article (positions in UTF-16 columns).
#[derive(Clone, Debug, PartialEq)]
pub struct ArchiveMention {
    pub path: String,
    pub start_line: u32,
    pub start_col: u32,
    pub end_line: u32,
    pub end_col: u32,
}

pub struct Archive {
    cfg: Config,
    conn: Mutex<Conn>,
}

#[derive(Default)]
struct Conn {
    client: Option<Arc<Client>>,
    failed_at: Option<Instant>,
    /// `archive_meta.root`: where the build found the articles.
    root: Option<String>,
}

impl Archive {
    /// An archive at `url` (password from `PGPASSWORD` / `.pgpass`). Does
    /// not connect: the first query does.
    pub fn new(url: &str) -> anyhow::Result<Archive> {
        let mut cfg = crate::connect::config(url)?;
        if cfg.get_connect_timeout().is_none() {
            cfg.connect_timeout(Duration::from_secs(3));
        }
        cfg.application_name("gazette-lsp");
        Ok(Archive {
            cfg,
            conn: Mutex::new(Conn::default()),
        })
    }

    /// The URL without password, for messages.
    pub fn describe(&self) -> String {
        crate::connect::redacted(&self.cfg)
    }

    /// The live connection, made anew when there is none or it broke.
    async fn client(&self) -> anyhow::Result<Arc<Client>> {
        let mut c = self.conn.lock().await;
        if let Some(client) = &c.client {
            if !client.is_closed() {
                return Ok(client.clone());
            }
            c.client = None;
        }
        if let Some(t) = c.failed_at {
            if t.elapsed() < RETRY_AFTER {
                anyhow::bail!("unavailable (retrying in a few seconds)");
            }
        }
        match self.cfg.connect(NoTls).await {
            Ok((client, connection)) => {
                tokio::spawn(async move {
                    if let Err(e) = connection.await {
                        tracing::warn!("archive connection closed: {e}");
                    }
                });
                let client = Arc::new(client);
                // The session only reads.
                client
                    .batch_execute("SET default_transaction_read_only = on")
                    .await?;
                let root = client
                    .query_opt("SELECT value FROM archive_meta WHERE key = 'root'", &[])
                    .await?
                    .map(|r| r.get::<_, String>(0));
                c.root = root;
                c.failed_at = None;
                c.client = Some(client.clone());
                Ok(client)
            }
            Err(e) => {
                c.failed_at = Some(Instant::now());
                Err(anyhow::anyhow!("{e}"))
            }
        }
    }

    /// Forgets the connection after a failed query (the next one reconnects).
    async fn failed(&self) {
        let mut c = self.conn.lock().await;
        c.client = None;
    }

    async fn run<T>(
        &self,
        f: impl AsyncFnOnce(&Client) -> Result<T, tokio_postgres::Error>,
    ) -> anyhow::Result<T> {
        let client = self.client().await?;
        match f(&client).await {
            Ok(v) => Ok(v),
            Err(e) => {
                if client.is_closed() {
                    self.failed().await;
                }
                Err(e.into())
            }
        }
    }

    /// Where the build found the articles (`archive_meta.root`).
    pub async fn root(&self) -> anyhow::Result<Option<String>> {
        self.client().await?;
        Ok(self.conn.lock().await.root.clone())
    }

    /// The entity with linking key `key`.
    pub async fn entity(&self, key: &str) -> anyhow::Result<Option<ArchiveEntity>> {
        let row = self
            .run(async |c| {
                c.query_opt(
                    "SELECT entity_id, key, name, kind, mention_count, doc_count \
                     FROM entities WHERE key = $1",
                    &[&key],
                )
                .await
            })
            .await?;
        Ok(row.map(|r| entity_of_row(&r)))
    }

    /// The mentions of entity `entity_id` in corpus order (document path, then
    /// position), at most `limit`.
    pub async fn mentions(
        &self,
        entity_id: i64,
        limit: i64,
    ) -> anyhow::Result<Vec<ArchiveMention>> {
        let rows = self
            .run(async |c| {
                let sql = mentions_where!("m.entity_id = $1 ORDER BY m.doc_id, m.idx LIMIT $2");
                c.query(sql, &[&entity_id, &limit]).await
            })
            .await?;
        Ok(rows.iter().map(|r| mention_at(r, 0)).collect())
    }

    /// The defining mention of entity `entity_id` outside the articles
    /// `except`: its first full-name mention under its own key in corpus
    /// order (as `Corpus::definition_among`), else its first mention.
    pub async fn definition(
        &self,
        entity_id: i64,
        key: &str,
        except: &[String],
    ) -> anyhow::Result<Option<ArchiveMention>> {
        let row = self
            .run(async |c| {
                let sql = mentions_where!(
                    "m.entity_id = $1 AND d.path <> ALL($3) \
                     ORDER BY NOT (m.link_key = $2 AND strpos(m.spelling, ' ') > 0), \
                       m.doc_id, m.idx LIMIT 1"
                );
                c.query_opt(sql, &[&entity_id, &key, &except]).await
            })
            .await?;
        Ok(row.map(|r| mention_at(&r, 0)))
    }

    /// Entities whose name starts with `prefix` (case-insensitively), most
    /// mentioned first, at most `limit`, each with its first mention.
    pub async fn entities_by_prefix(
        &self,
        prefix: &str,
        limit: i64,
    ) -> anyhow::Result<Vec<(ArchiveEntity, ArchiveMention)>> {
        // A range, not LIKE: it uses the index whatever the plan.
        let low = prefix.to_lowercase();
        let high = format!("{low}{}", char::MAX);
        let rows = self
            .run(async |c| {
                c.query(
                    "SELECT e.entity_id, e.key, e.name, e.kind, e.mention_count, e.doc_count, \
                       f.path, f.start_line, f.start_col, f.end_line, f.end_col \
                     FROM (SELECT * FROM entities WHERE name_lower >= $1 AND name_lower < $2 \
                           ORDER BY mention_count DESC, key LIMIT $3) e \
                     CROSS JOIN LATERAL (SELECT d.path, m.start_line, m.start_col, \
                           m.end_line, m.end_col FROM mentions m \
                           JOIN documents d ON d.doc_id = m.doc_id \
                           WHERE m.entity_id = e.entity_id ORDER BY m.doc_id, m.idx LIMIT 1) f \
                     ORDER BY e.mention_count DESC, e.key",
                    &[&low, &high, &limit],
                )
                .await
            })
            .await?;
        Ok(rows
            .iter()
            .map(|r| (entity_of_row(r), mention_at(r, 6)))
            .collect())
    }
}

fn entity_of_row(r: &tokio_postgres::Row) -> ArchiveEntity {
    ArchiveEntity {
        entity_id: r.get(0),
        key: r.get(1),
        name: r.get(2),
        kind: r.get(3),
        mention_count: r.get(4),
        doc_count: r.get(5),
    }
}

/// The mention in columns `i..i + 5` (path, start line and column, end
/// line and column).
fn mention_at(r: &tokio_postgres::Row, i: usize) -> ArchiveMention {
    ArchiveMention {
        path: r.get(i),
        start_line: r.get::<_, i32>(i + 1) as u32,
        start_col: r.get::<_, i32>(i + 2) as u32,
        end_line: r.get::<_, i32>(i + 3) as u32,
        end_col: r.get::<_, i32>(i + 4) as u32,
    }
}
