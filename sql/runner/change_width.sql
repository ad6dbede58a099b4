-- 变更范围 (issue 15): how much of the warehouse the changed batches reach, asked before a build chooses between an
-- incremental build and a full refresh (warehouse/Models/WideChange.cs). The runner puts the changed batches' entities
-- (sql/models/incremental/changed_entities.sql, rendered) in front of this as the CTE changed_entities, and reads the
-- projects of the departments they touch as build_slice lists them — the departments the changed rows name, those of the
-- touched projects (dim_project as last built), and the 部门整体 forms' departments —, less the departments older
-- 项目信息 rows gave a project that moved (build_slice reads raw_project for those): a lower bound of its width, enough
-- to tell a province-wide change from a department's. A 项目信息 file of a new year names every department of the
-- province: every slice of every year is touched, and an incremental build would delete and insert every row of every
-- incremental model.
--   touched_projects  the projects held by a touched department (dim_project), or touched themselves
--   projects          the projects dim_project holds
touched_departments as (
    select department_code from changed_entities where department_code is not null
    union
    select entity_code from changed_entities where entity_kind = 'department'
    union
    select projects.department_code from dim_project as projects
    where projects.project_code in (select entity_code from changed_entities where entity_kind = 'project')
)

select
    (select count(*) from dim_project as projects
     where projects.department_code in (select department_code from touched_departments)
        or projects.project_code in (select entity_code from changed_entities where entity_kind = 'project')) as touched_projects,
    (select count(*) from dim_project) as projects
