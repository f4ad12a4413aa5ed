//! Writing an archive: the schema, then every table by binary `COPY`, then
//! the indexes, in one transaction (readers see the old archive until the
//! new one is complete).

use crate::tables::Tables;
use postgres::binary_copy::BinaryCopyInWriter;
use postgres::types::{ToSql, Type};
use postgres::{Client, NoTls, Transaction};

/// Hash partitions of `mentions` and `figures`.
pub const PARTITIONS: usize = 16;

/// The tables' DDL, partitions included.
pub fn schema_sql() -> String {
    let mut s = include_str!("schema.sql").to_string();
    for (table, n) in [("mentions", PARTITIONS), ("figures", PARTITIONS)] {
        for i in 0..n {
            s.push_str(&format!(
                "CREATE TABLE {table}_p{i:02} PARTITION OF {table} \
                 FOR VALUES WITH (MODULUS {n}, REMAINDER {i});\n"
            ));
        }
    }
    s
}

/// The indexes, created after the load.
pub fn index_sql() -> &'static str {
    include_str!("indexes.sql")
}

pub const TABLES: &[&str] = &[
    "archive_meta",
    "documents",
    "entities",
    "mentions",
    "figures",
    "figure_groups",
];

/// Drops the archive's tables and creates them empty.
pub fn reset(tx: &mut Transaction<'_>) -> anyhow::Result<()> {
    for t in TABLES {
        tx.batch_execute(&format!("DROP TABLE IF EXISTS {t} CASCADE"))?;
    }
    tx.batch_execute(&schema_sql())?;
    Ok(())
}

pub fn connect(url: &str) -> anyhow::Result<Client> {
    let cfg = crate::connect::config(url)?;
    let what = crate::connect::redacted(&cfg);
    postgres::Config::from(cfg)
        .connect(NoTls)
        .map_err(|e| anyhow::anyhow!("{what}: {e}"))
}

fn copy(
    tx: &mut Transaction<'_>,
    table: &str,
    cols: &[(&str, Type)],
    rows: &mut dyn Iterator<Item = Vec<Box<dyn ToSql + Sync + '_>>>,
) -> anyhow::Result<u64> {
    let names: Vec<&str> = cols.iter().map(|c| c.0).collect();
    let types: Vec<Type> = cols.iter().map(|c| c.1.clone()).collect();
    let sink = tx.copy_in(&format!(
        "COPY {table} ({}) FROM STDIN BINARY",
        names.join(", ")
    ))?;
    let mut w = BinaryCopyInWriter::new(sink, &types);
    for row in rows {
        let refs: Vec<&(dyn ToSql + Sync)> = row.iter().map(|b| &**b as _).collect();
        w.write(&refs)?;
    }
    Ok(w.finish()?)
}

macro_rules! row {
    ($($e:expr),* $(,)?) => { vec![$(Box::new($e) as Box<dyn ToSql + Sync>),*] };
}

/// Replaces the archive at `url` with `tables`; `meta` goes to `archive_meta`.
pub fn write(url: &str, tables: &Tables, meta: &[(&str, String)]) -> anyhow::Result<()> {
    let mut client = connect(url)?;
    let mut tx = client.transaction()?;
    reset(&mut tx)?;
    use Type as T;
    copy(
        &mut tx,
        "archive_meta",
        &[("key", T::TEXT), ("value", T::TEXT)],
        &mut meta.iter().map(|(k, v)| row![k.to_string(), v.clone()]),
    )?;
    copy(
        &mut tx,
        "documents",
        &[
            ("doc_id", T::INT8),
            ("path", T::TEXT),
            ("bytes", T::INT8),
            ("tokens", T::INT8),
            ("date", T::TEXT),
            ("encoding_fallback", T::TEXT),
        ],
        &mut tables.documents.iter().map(|(id, d)| {
            row![
                *id,
                d.path.as_str(),
                d.bytes,
                d.tokens,
                d.date.as_deref(),
                d.encoding_fallback.as_deref()
            ]
        }),
    )?;
    copy(
        &mut tx,
        "entities",
        &[
            ("entity_id", T::INT8),
            ("key", T::TEXT),
            ("slug", T::TEXT),
            ("name", T::TEXT),
            ("name_lower", T::TEXT),
            ("kind", T::TEXT),
            ("mention_count", T::INT8),
            ("doc_count", T::INT8),
        ],
        &mut tables.entities.iter().map(|e| {
            row![
                e.entity_id,
                e.key.as_str(),
                e.slug.as_str(),
                e.name.as_str(),
                e.name_lower.as_str(),
                e.kind.as_str(),
                e.mention_count,
                e.doc_count
            ]
        }),
    )?;
    copy(
        &mut tx,
        "mentions",
        &[
            ("entity_id", T::INT8),
            ("doc_id", T::INT8),
            ("idx", T::INT4),
            ("start_byte", T::INT4),
            ("end_byte", T::INT4),
            ("start_line", T::INT4),
            ("start_col", T::INT4),
            ("end_line", T::INT4),
            ("end_col", T::INT4),
            ("link_key", T::TEXT),
            ("kind", T::TEXT),
            ("role", T::TEXT),
            ("spelling", T::TEXT),
        ],
        &mut tables.mentions.iter().map(|m| {
            let r = &m.row;
            row![
                m.entity_id,
                m.doc_id,
                r.idx,
                r.start,
                r.end,
                r.start_line,
                r.start_col,
                r.end_line,
                r.end_col,
                r.key.as_str(),
                r.kind.as_str(),
                r.role.as_deref(),
                r.spelling.as_str()
            ]
        }),
    )?;
    copy(
        &mut tx,
        "figures",
        &[
            ("doc_id", T::INT8),
            ("idx", T::INT4),
            ("start_byte", T::INT4),
            ("end_byte", T::INT4),
            ("start_line", T::INT4),
            ("start_col", T::INT4),
            ("end_line", T::INT4),
            ("end_col", T::INT4),
            ("category", T::TEXT),
            ("value", T::TEXT),
            ("unit", T::TEXT),
            ("quantity_key", T::TEXT),
            ("topic_key", T::TEXT),
            ("approx", T::BOOL),
        ],
        &mut tables.figures.iter().map(|(doc_id, f)| {
            row![
                *doc_id,
                f.idx,
                f.start,
                f.end,
                f.start_line,
                f.start_col,
                f.end_line,
                f.end_col,
                f.category.as_str(),
                f.value.as_str(),
                f.unit.as_deref(),
                f.quantity_key.as_deref(),
                f.topic_key.as_deref(),
                f.approx
            ]
        }),
    )?;
    copy(
        &mut tx,
        "figure_groups",
        &[
            ("group_kind", T::TEXT),
            ("group_key", T::TEXT),
            ("statements", T::INT8),
            ("doc_count", T::INT8),
        ],
        &mut tables.figure_groups.iter().map(|g| {
            row![
                g.group_kind,
                g.group_key.as_str(),
                g.statements,
                g.doc_count
            ]
        }),
    )?;
    tx.batch_execute(index_sql())?;
    tx.commit()?;
    Ok(())
}
