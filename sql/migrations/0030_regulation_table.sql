-- A bureau's own 办法 (issue 13): a 管理员 loads a regulation table (document, article, clause, text) and maps each
-- rule to its articles. Append-only: the latest loaded table is the regulations in force (it replaces the shipped
-- regulation / regulation_article seeds, so no default article is ever borrowed), and the latest mapping change of
-- a rule is its mapping (model rule_citation_current). A mapping change with no article is one row whose
-- article_key is NULL: the rule is then shown as 未对应条款.
CREATE SEQUENCE regulation_upload_seq START 1;

CREATE TABLE regulation_upload (
    upload_id     BIGINT    NOT NULL DEFAULT nextval('regulation_upload_seq') PRIMARY KEY,
    file_name     VARCHAR   NOT NULL,
    sha256        VARCHAR   NOT NULL,
    article_count INTEGER   NOT NULL,
    loaded_by     VARCHAR   NOT NULL,
    loaded_at     TIMESTAMP NOT NULL
);

CREATE TABLE regulation_upload_article (
    upload_id   BIGINT  NOT NULL,
    article_key VARCHAR NOT NULL,
    document    VARCHAR NOT NULL,
    article     VARCHAR,
    clause      VARCHAR,
    text        VARCHAR,
    sort_order  INTEGER NOT NULL,
    source_row  INTEGER NOT NULL
);

CREATE SEQUENCE rule_citation_change_seq START 1;

CREATE TABLE rule_citation_override (
    change_id   BIGINT    NOT NULL,
    rule_key    VARCHAR   NOT NULL,
    article_key VARCHAR,
    sort_order  INTEGER   NOT NULL,
    changed_by  VARCHAR   NOT NULL,
    changed_at  TIMESTAMP NOT NULL
);
