-- gazette's shared archive (issue 18): one build replaces all tables at once.
-- Text columns compare bytewise (COLLATE "C"), as the builds sort them.
-- Sized for 10^7 documents and ~3 * 10^8 mentions: mentions and figures are
-- hash-partitioned (by entity and by document) so that each partition and
-- its indexes stay a few GB, loads and VACUUM work partition by partition,
-- and the server's hot query (an entity's mentions) reads one partition.
-- `-- @at` stands for the position columns of a mention or figure (load.rs
-- AT_COLUMNS, all integer NOT NULL): idx, start_byte, end_byte, start_line,
-- start_col, end_line, end_col. `gazette archive schema` prints the result.
CREATE TABLE archive_meta (
  key text COLLATE "C" PRIMARY KEY,
  value text NOT NULL
);
CREATE TABLE documents (
  doc_id bigint NOT NULL,
  path text COLLATE "C" NOT NULL,
  bytes bigint NOT NULL,
  tokens bigint NOT NULL,
  date text,
  encoding_fallback text
);
CREATE TABLE entities (
  entity_id bigint NOT NULL,
  key text COLLATE "C" NOT NULL,
  slug text COLLATE "C" NOT NULL,
  name text COLLATE "C" NOT NULL,
  -- the name in lower case (Unicode, as the builders fold it), for prefix search
  name_lower text COLLATE "C" NOT NULL,
  kind text NOT NULL,
  mention_count bigint NOT NULL,
  doc_count bigint NOT NULL
);
CREATE TABLE mentions (
  entity_id bigint NOT NULL,
  doc_id bigint NOT NULL,
  -- @at
  link_key text COLLATE "C" NOT NULL,
  kind text NOT NULL,
  role text,
  spelling text NOT NULL
) PARTITION BY HASH (entity_id);
CREATE TABLE figures (
  doc_id bigint NOT NULL,
  -- @at
  category text NOT NULL,
  value text NOT NULL,
  unit text,
  quantity_key text COLLATE "C",
  topic_key text COLLATE "C",
  approx boolean NOT NULL
) PARTITION BY HASH (doc_id);
-- Figures stating the same quantity (quantity_key) or about the same thing
-- (topic_key) across articles.
CREATE TABLE figure_groups (
  group_kind text NOT NULL,
  group_key text COLLATE "C" NOT NULL,
  statements bigint NOT NULL,
  doc_count bigint NOT NULL
);
