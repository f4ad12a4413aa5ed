#!/usr/bin/env python3
"""Builds gazette's shared archive on Apache Spark (issue 18, part B).

    spark-submit spark/build_archive.py INPUT --database URL --gazette PATH

INPUT is a local folder or any Hadoop-compatible path (hdfs://, s3a://, ...):
every ``*.txt`` and ``*.md`` file below it is an article, named by its path
relative to INPUT. Each partition is piped through ``gazette analyze
--jsonl`` (the editor's own analysis, byte for byte: the articles go in as
base64 and are decoded as the editor decodes files), the corpus-level steps
(document ids in path order, entity resolution, entity summaries, figure
groups) run as Spark SQL, and the tables are written to PostgreSQL with
``COPY`` through psycopg, one connection per partition, in staging tables
that replace the archive in one transaction at the end.

The schema comes from ``gazette archive schema``; the result equals
``gazette archive build INPUT --database URL`` (tests/archive/run.sh checks
it). The password comes from PGPASSWORD or ~/.pgpass (libpq), never from
the command line.
"""

import argparse
import base64
import json
import os
import subprocess
import sys
import time

from pyspark.sql import SparkSession, Window
from pyspark.sql import functions as F
from pyspark.sql import types as T


MENTION_FIELDS = [
    ("path", T.StringType()),
    ("idx", T.IntegerType()),
    ("start", T.IntegerType()),
    ("end", T.IntegerType()),
    ("start_line", T.IntegerType()),
    ("start_col", T.IntegerType()),
    ("end_line", T.IntegerType()),
    ("end_col", T.IntegerType()),
    ("key", T.StringType()),
    ("kind", T.StringType()),
    ("role", T.StringType()),
    ("spelling", T.StringType()),
    ("last_word", T.StringType()),
]
DOCUMENT_FIELDS = [
    ("path", T.StringType()),
    ("bytes", T.LongType()),
    ("tokens", T.LongType()),
    ("date", T.StringType()),
    ("encoding_fallback", T.StringType()),
]
FIGURE_FIELDS = [
    ("path", T.StringType()),
    ("idx", T.IntegerType()),
    ("start", T.IntegerType()),
    ("end", T.IntegerType()),
    ("start_line", T.IntegerType()),
    ("start_col", T.IntegerType()),
    ("end_line", T.IntegerType()),
    ("end_col", T.IntegerType()),
    ("category", T.StringType()),
    ("value", T.StringType()),
    ("unit", T.StringType()),
    ("quantity_key", T.StringType()),
    ("topic_key", T.StringType()),
    ("approx", T.BooleanType()),
]
TABLE_FIELDS = {
    "document": DOCUMENT_FIELDS,
    "mention": MENTION_FIELDS,
    "figure": FIGURE_FIELDS,
}


def schema(fields):
    return T.StructType([T.StructField(n, t, True) for n, t in fields])


def analyze_partition(gazette, kb):
    """A mapPartitions function: articles in, (table, row) pairs out."""

    def run(articles):
        cmd = [gazette, "analyze", "--jsonl"] + (["--kb", kb] if kb else [])
        # Input is written from a thread so that a full stdout pipe never
        # blocks the writer (rows are far larger than the articles).
        import threading

        proc = subprocess.Popen(
            cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=1 << 20
        )

        def feed():
            try:
                for path, data in articles:
                    line = json.dumps(
                        {"path": path, "base64": base64.b64encode(data).decode("ascii")}
                    )
                    proc.stdin.write(line.encode("utf-8") + b"\n")
            finally:
                proc.stdin.close()

        t = threading.Thread(target=feed, daemon=True)
        t.start()
        for line in proc.stdout:
            row = json.loads(line)
            table = row.pop("table")
            if table == "error":
                raise RuntimeError(f"gazette analyze: {row}")
            yield (table, tuple(row.get(n) for n, _ in TABLE_FIELDS[table]))
        t.join()
        if proc.wait() != 0:
            raise RuntimeError(f"gazette analyze exited with {proc.returncode}")

    return run


def copy_partition(url, table, columns):
    """A foreachPartition function: COPY the rows into `table` (psycopg)."""

    def run(rows):
        import psycopg

        with psycopg.connect(url) as conn:
            with conn.cursor() as cur:
                with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as cp:
                    for r in rows:
                        cp.write_row(tuple(r))

    return run


def gazette_schema(gazette):
    out = subprocess.run(
        [gazette, "archive", "schema"], check=True, capture_output=True, text=True
    ).stdout
    tables, indexes = out.split("\n-- indexes\n", 1)
    return tables, indexes


TABLES = ["archive_meta", "documents", "entities", "mentions", "figures", "figure_groups"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("input")
    ap.add_argument("--database", required=True, help="postgresql://user@host:port/db")
    ap.add_argument("--gazette", default="gazette", help="the gazette binary on every executor")
    ap.add_argument("--kb", help="a gazette.toml whose names the analysis uses")
    ap.add_argument("--partitions", type=int, default=0, help="analysis partitions (default: 4 per core)")
    args = ap.parse_args()

    import psycopg

    t0 = time.time()
    spark = SparkSession.builder.appName("gazette-archive").getOrCreate()
    sc = spark.sparkContext
    sc.setLogLevel("WARN")
    root = args.input.rstrip("/")
    nparts = args.partitions or 4 * sc.defaultParallelism

    # Articles: every *.txt / *.md below INPUT, named by their path below
    # INPUT as Hadoop qualifies it.
    jvm = sc._jvm
    hroot = jvm.org.apache.hadoop.fs.Path(root)
    fs = hroot.getFileSystem(sc._jsc.hadoopConfiguration())
    prefix = fs.makeQualified(hroot).toString().rstrip("/") + "/"
    # Whole files, packed into splits by size (the binaryFile source: unlike
    # binaryFiles, it does not re-read a split's list of files per file),
    # the folder walked recursively, the editor's default include.
    articles = (
        spark.read.format("binaryFile")
        .option("pathGlobFilter", "*.{txt,md}")
        .option("recursiveFileLookup", "true")
        .load(root)
        .select("path", "content")
        .rdd.map(lambda r: (r.path, bytes(r.content)))
    )

    def bare(u):
        # "file:/x", "file:///x" and "/x" are one file.
        if u.startswith("file:"):
            u = "/" + u[len("file:"):].lstrip("/")
        return u

    bare_prefix = bare(prefix)

    def name(p):
        p = bare(p)
        return p[len(bare_prefix):] if p.startswith(bare_prefix) else p

    articles = articles.map(lambda a: (name(a[0]), a[1])).repartition(nparts)
    rows = articles.mapPartitions(analyze_partition(args.gazette, args.kb)).cache()

    def table(t):
        return spark.createDataFrame(
            rows.filter(lambda r: r[0] == t).map(lambda r: r[1]), schema(TABLE_FIELDS[t])
        )

    documents = table("document")
    mentions = table("mention")
    figures = table("figure")

    # Document ids in path order (bytewise, as the binary sorts paths).
    documents = documents.withColumn(
        "doc_id", F.row_number().over(Window.orderBy(F.col("path").cast("binary")))
    ).cache()
    t_analysed = time.time()
    mentions = mentions.join(documents.select("path", "doc_id"), "path")
    figures = figures.join(documents.select("path", "doc_id"), "path")
    for name_, df in [("m", mentions), ("f", figures), ("d", documents)]:
        df.createOrReplaceTempView(name_)

    # Entity resolution, exactly Corpus::entity_of: a one-word person
    # mention whose key is the last word of full-name person keys joins the
    # candidate this document mentions most (any kind; ties: the one the
    # corpus mentions most, then the bytewise smallest key); in a document
    # that mentions none, the only candidate, and no one where there are
    # several.
    resolved = spark.sql(
        """
        WITH totals AS (SELECT key, count(*) AS total FROM m GROUP BY key),
        per_doc AS (SELECT doc_id, key, count(*) AS n FROM m GROUP BY doc_id, key),
        cands AS (SELECT DISTINCT last_word AS lw, key AS cand FROM m
                  WHERE kind = 'person' AND last_word IS NOT NULL),
        asks AS (SELECT DISTINCT doc_id, key FROM m WHERE kind = 'person'),
        scored AS (
          SELECT a.doc_id, a.key, c.cand,
                 coalesce(p.n, 0) AS n, t.total,
                 row_number() OVER (PARTITION BY a.doc_id, a.key
                   ORDER BY coalesce(p.n, 0) DESC, t.total DESC, cast(c.cand AS binary)) AS rk
          FROM asks a JOIN cands c ON c.lw = a.key
          JOIN totals t ON t.key = c.cand
          LEFT JOIN per_doc p ON p.doc_id = a.doc_id AND p.key = c.cand),
        ncands AS (SELECT lw, count(*) AS c FROM cands GROUP BY lw),
        winners AS (SELECT s.doc_id, s.key, s.cand FROM scored s JOIN ncands k ON k.lw = s.key
                    WHERE s.rk = 1 AND (s.n > 0 OR k.c = 1))
        SELECT m.*, CASE WHEN m.kind = 'person' THEN coalesce(w.cand, m.key) ELSE m.key END AS entity
        FROM m LEFT JOIN winners w ON w.doc_id = m.doc_id AND w.key = m.key
        """
    ).cache()
    resolved.createOrReplaceTempView("r")
    entities = spark.sql(
        """
        WITH spell AS (
          SELECT entity, spelling, count(*) AS n FROM r GROUP BY entity, spelling),
        name AS (
          SELECT entity, spelling AS name FROM (
            SELECT entity, spelling, row_number() OVER (PARTITION BY entity
              ORDER BY n DESC, cast(spelling AS binary)) AS rk FROM spell) WHERE rk = 1),
        kinds AS (
          SELECT entity, kind, count(*) AS n,
                 CASE kind WHEN 'person' THEN 0 WHEN 'place' THEN 1 WHEN 'org' THEN 2 ELSE 3 END AS ko
          FROM r GROUP BY entity, kind),
        kind AS (
          SELECT entity, kind FROM (
            SELECT entity, kind, row_number() OVER (PARTITION BY entity ORDER BY n DESC, ko) AS rk
            FROM kinds) WHERE rk = 1),
        counts AS (SELECT entity, count(*) AS mention_count, count(DISTINCT doc_id) AS doc_count
                   FROM r GROUP BY entity)
        SELECT c.entity AS key, n.name, k.kind, c.mention_count, c.doc_count
        FROM counts c JOIN name n USING (entity) JOIN kind k USING (entity)
        """
    )
    entities = entities.withColumn(
        "entity_id", F.row_number().over(Window.orderBy(F.col("key").cast("binary")))
    ).cache()
    entities.createOrReplaceTempView("e")
    mention_out = spark.sql(
        """
        SELECT e.entity_id, r.doc_id, r.idx, r.start AS start_byte, r.`end` AS end_byte,
               r.start_line, r.start_col, r.end_line, r.end_col, r.key AS link_key,
               r.kind, r.role, r.spelling
        FROM r JOIN e ON e.key = r.entity
        """
    )
    figure_out = figures.select(
        "doc_id", "idx", F.col("start").alias("start_byte"), F.col("end").alias("end_byte"),
        "start_line", "start_col", "end_line", "end_col", "category", "value", "unit",
        "quantity_key", "topic_key", "approx",
    )
    figure_out.createOrReplaceTempView("fo")
    groups = spark.sql(
        """
        SELECT 'quantity' AS group_kind, quantity_key AS group_key, count(*) AS statements,
               count(DISTINCT doc_id) AS doc_count FROM fo WHERE quantity_key IS NOT NULL
        GROUP BY quantity_key
        UNION ALL
        SELECT 'topic', topic_key, count(*), count(DISTINCT doc_id) FROM fo
        WHERE topic_key IS NOT NULL GROUP BY topic_key
        """
    )

    # slug: the binary's linking::slug, as a Python function of the key.
    slug = F.udf(slugify, T.StringType())
    lower = F.udf(lambda s: s.lower(), T.StringType())
    entity_out = entities.select(
        "entity_id", "key", slug("key").alias("slug"), "name", lower("name").alias("name_lower"),
        "kind", "mention_count", "doc_count",
    )
    document_out = documents.select("doc_id", "path", "bytes", "tokens", "date", "encoding_fallback")

    # Write: staging tables in a schema of their own, filled partition by
    # partition in parallel, then swapped in with the indexes in one transaction.
    tables_sql, index_sql = gazette_schema(args.gazette)
    stage = "gazette_stage"
    with psycopg.connect(args.database, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA IF EXISTS {stage} CASCADE")
        conn.execute(f"CREATE SCHEMA {stage}")
        conn.execute(f"SET search_path TO {stage}")
        conn.execute(tables_sql)
    staged_url = with_search_path(args.database, stage)
    outputs = [
        ("documents", document_out),
        ("entities", entity_out),
        ("mentions", mention_out),
        ("figures", figure_out),
        ("figure_groups", groups),
    ]
    counts = {}
    for t, df in outputs:
        cols = df.columns
        df.foreachPartition(copy_partition(staged_url, t, cols))
    meta = [
        ("root", root),
        ("builder", "spark"),
        ("version", gazette_version(args.gazette)),
    ]
    with psycopg.connect(args.database) as conn:
        with conn.cursor() as cur:
            with cur.copy(f"COPY {stage}.archive_meta (key, value) FROM STDIN") as cp:
                for r in meta:
                    cp.write_row(r)
            for t in TABLES:
                cur.execute(f"DROP TABLE IF EXISTS public.{t} CASCADE")
                cur.execute(f"ALTER TABLE {stage}.{t} SET SCHEMA public")
            # Partitions are tables of their own: they move one by one.
            cur.execute(
                "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = %s AND c.relkind = 'r'",
                (stage,),
            )
            for (rel,) in cur.fetchall():
                cur.execute(f"ALTER TABLE {stage}.{rel} SET SCHEMA public")
            cur.execute(f"DROP SCHEMA {stage}")
            cur.execute("SET search_path TO public")
            cur.execute(index_sql)
            for t in TABLES:
                cur.execute(f"SELECT count(*) FROM public.{t}")
                counts[t] = cur.fetchone()[0]
    t1 = time.time()
    print(
        json.dumps(
            {
                "documents": counts["documents"],
                "mentions": counts["mentions"],
                "entities": counts["entities"],
                "figures": counts["figures"],
                "seconds": round(t1 - t0, 1),
                "analysis_seconds": round(t_analysed - t0, 1),
                "cores": sc.defaultParallelism,
            }
        )
    )
    spark.stop()


def slugify(key):
    """linking::slug: alphanumerics kept, runs of anything else one '-'."""
    out = []
    for c in key:
        if c.isalnum():
            out.append(c)
        elif out and out[-1] != "-":
            out.append("-")
    while out and out[-1] == "-":
        out.pop()
    return "".join(out)


def with_search_path(url, schema_name):
    sep = "&" if "?" in url else "?"
    return f"{url}{sep}options=-csearch_path%3D{schema_name}"


def gazette_version(gazette):
    out = subprocess.run([gazette, "--version"], capture_output=True, text=True).stdout
    return out.split()[-1] if out.strip() else ""


if __name__ == "__main__":
    sys.exit(main())
