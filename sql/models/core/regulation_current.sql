-- materialized: table
-- The articles in force (issue 13), each with its rendered citation 《全称》第X条（款）: the shipped regulation /
-- regulation_article seeds, or — once a 管理员 has loaded a bureau's regulation table (regulation_upload, migration
-- 0030) — the latest loaded table alone, so that a rule mapped to a default article is never shown with it then.
-- A citation naming no article names the document's 文号 instead.
with documents as (
    select * from {{ ref('regulation') }}
),

articles as (
    select * from {{ ref('regulation_article') }}
),

latest_upload as (
    select upload_id
    from (
        select upload_id, row_number() over (order by loaded_at desc, upload_id desc) as recency
        from {{ source('app', 'regulation_upload') }}
    ) ranked
    where recency = 1
),

seeded as (
    select
        articles.article_key,
        documents.full_title,
        documents.doc_number,
        articles.article,
        articles.clause,
        articles.quote,
        articles.sort_order,
        'seed' as source
    from articles
    inner join documents on articles.document_key = documents.document_key
    where not exists (select 1 from latest_upload)
),

uploaded as (
    select
        uploaded_articles.article_key,
        uploaded_articles.document as full_title,
        cast(null as varchar) as doc_number,
        uploaded_articles.article,
        uploaded_articles.clause,
        uploaded_articles.text as quote,
        uploaded_articles.sort_order,
        'upload' as source
    from {{ source('app', 'regulation_upload_article') }} as uploaded_articles
    inner join latest_upload on uploaded_articles.upload_id = latest_upload.upload_id
),

in_force as (
    select * from seeded
    union all
    select * from uploaded
),

rendered as (
    select
        article_key,
        full_title,
        article,
        clause,
        nullif(quote, '') as quote,
        sort_order,
        source,
        '《' || full_title || '》'
            || case when coalesce(article, '') = '' and coalesce(doc_number, '') <> '' then '（' || doc_number || '）' else '' end
            || coalesce(article, '')
            || case when coalesce(clause, '') <> '' then '（' || clause || '）' else '' end as citation
    from in_force
)

select * from rendered
