-- Built after the bulk load (an index filled row by row costs several times more).
ALTER TABLE documents ADD PRIMARY KEY (doc_id);
CREATE UNIQUE INDEX documents_path ON documents (path);
ALTER TABLE entities ADD PRIMARY KEY (entity_id);
CREATE UNIQUE INDEX entities_key ON entities (key);
-- workspace/symbol: names by prefix, case-insensitively (a range over
-- name_lower, bytewise as its "C" collation), and the most mentioned
-- entities for an empty query.
CREATE INDEX entities_name_prefix ON entities (name_lower);
CREATE INDEX entities_by_count ON entities (mention_count DESC, key);
-- references: an entity's mentions in corpus order (doc_id is path order).
CREATE INDEX mentions_entity ON mentions (entity_id, doc_id, idx);
-- one article's mentions (shadowing, diagnostics).
CREATE INDEX mentions_doc ON mentions (doc_id, idx);
CREATE INDEX figures_doc ON figures (doc_id, idx);
CREATE INDEX figures_quantity ON figures (quantity_key) WHERE quantity_key IS NOT NULL;
CREATE INDEX figures_topic ON figures (topic_key) WHERE topic_key IS NOT NULL;
ALTER TABLE figure_groups ADD PRIMARY KEY (group_kind, group_key);
ANALYZE;
