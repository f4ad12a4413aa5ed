//! Writing an archive: the schema, then every table by binary `COPY`, then
//! the indexes, in one transaction (readers see the old archive until the
//! new one is complete).

use crate::rows::At;
use crate::tables::Tables;
use postgres::binary_copy::BinaryCopyInWriter;
use postgres::types::{ToSql, Type};
use postgres::{Client, NoTls, Transaction};

/// Hash partitions of `mentions` and `figures`.
pub const PARTITIONS: usize = 16;

/// The tables' DDL, partitions included.
pub fn schema_sql() -> String {
    let at: String = AT_COLUMNS
        .iter()
        .map(|(name, _)| format!("  {name} integer NOT NULL,\n"))
        .collect();
    let mut s = include_str!("schema.sql").replace("  -- @at\n", &at);
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

/// The columns of [`At`] (all `integer`), in `mentions` and `figures`:
/// `schema.sql` has `-- @at` where they stand.
pub const AT_COLUMNS: [(&str, Type); 7] = [
    ("idx", Type::INT4),
    ("start_byte", Type::INT4),
    ("end_byte", Type::INT4),
    ("start_line", Type::INT4),
    ("start_col", Type::INT4),
    ("end_line", Type::INT4),
    ("end_col", Type::INT4),
];

fn at_values(a: &At) -> impl Iterator<Item = Box<dyn ToSql + Sync + '_>> {
    [
        a.idx,
        a.start,
        a.end,
        a.start_line,
        a.start_col,
        a.end_line,
        a.end_col,
    ]
    .into_iter()
    .map(|v| Box::new(v) as Box<dyn ToSql + Sync>)
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

/// `before`, the [`AT_COLUMNS`], `after`.
fn columns<'a>(before: &[(&'a str, Type)], after: &[(&'a str, Type)]) -> Vec<(&'a str, Type)> {
    [before, &AT_COLUMNS[..], after].concat()
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
        &columns(
            &[("entity_id", T::INT8), ("doc_id", T::INT8)],
            &[
                ("link_key", T::TEXT),
                ("kind", T::TEXT),
                ("role", T::TEXT),
                ("spelling", T::TEXT),
            ],
        ),
        &mut tables.mentions.iter().map(|m| {
            let r = &m.row;
            let mut v = row![m.entity_id, m.doc_id];
            v.extend(at_values(&r.at));
            v.extend(row![
                r.key.as_str(),
                r.kind.as_str(),
                r.role.as_deref(),
                r.spelling.as_str()
            ]);
            v
        }),
    )?;
    copy(
        &mut tx,
        "figures",
        &columns(
            &[("doc_id", T::INT8)],
            &[
                ("category", T::TEXT),
                ("value", T::TEXT),
                ("unit", T::TEXT),
                ("quantity_key", T::TEXT),
                ("topic_key", T::TEXT),
                ("approx", T::BOOL),
            ],
        ),
        &mut tables.figures.iter().map(|(doc_id, f)| {
            let mut v = row![*doc_id];
            v.extend(at_values(&f.at));
            v.extend(row![
                f.category.as_str(),
                f.value.as_str(),
                f.unit.as_deref(),
                f.quantity_key.as_deref(),
                f.topic_key.as_deref(),
                f.approx
            ]);
            v
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_position_columns_stand_in_both_tables() {
        let s = schema_sql();
        assert!(!s.contains("  -- @at\n"));
        for (table, before) in [
            ("mentions", "doc_id bigint NOT NULL,\n"),
            ("figures", "doc_id bigint NOT NULL,\n"),
        ] {
            let at = s.find(&format!("CREATE TABLE {table} (")).unwrap();
            let body = &s[at..at + s[at..].find(')').unwrap()];
            let names: Vec<&str> = AT_COLUMNS.iter().map(|c| c.0).collect();
            let expected = names
                .iter()
                .map(|n| format!("  {n} integer NOT NULL,\n"))
                .collect::<String>();
            assert!(body.contains(&format!("{before}{expected}")), "{body}");
        }
    }
}
