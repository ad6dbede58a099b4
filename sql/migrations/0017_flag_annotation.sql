-- 财政批注 (issue 6): what the finance office decided about a consequence flag of mart_cut_candidates (削减/取消,
-- 收回, 暂停拨款 …). Append-only: annotating again adds a row; the latest row per (fiscal_year, project_code, flag) is
-- the current annotation and the rows before it are its history. annotation_id breaks ties within one timestamp.
CREATE SEQUENCE flag_annotation_seq START 1;

CREATE TABLE flag_annotation (
    annotation_id BIGINT NOT NULL DEFAULT nextval('flag_annotation_seq') PRIMARY KEY,
    fiscal_year   INTEGER NOT NULL,
    project_code  VARCHAR NOT NULL,
    flag          VARCHAR NOT NULL,
    decision      VARCHAR NOT NULL CHECK (decision IN ('采纳', '不采纳', '待核实')),
    note          VARCHAR,
    annotated_by  VARCHAR NOT NULL,
    annotated_at  TIMESTAMP NOT NULL
);

-- The current annotation of each flag: its latest row.
CREATE VIEW flag_annotation_current AS
WITH ranked AS (
    SELECT
        a.*,
        ROW_NUMBER() OVER (
            PARTITION BY a.fiscal_year, a.project_code, a.flag
            ORDER BY a.annotated_at DESC, a.annotation_id DESC
        ) AS recency
    FROM flag_annotation a
)
SELECT annotation_id, fiscal_year, project_code, flag, decision, note, annotated_by, annotated_at
FROM ranked
WHERE recency = 1;
