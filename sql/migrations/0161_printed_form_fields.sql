-- What the printed forms carry beyond the flat tables (issue 11), kept as written:
--   是否偏差 (常纺院 表2-2 / 表1-2, fund lines and indicators)                         deviation_flag
--   年度总体目标 / 年初设定目标 / 预期目标 and 半年 / 全年完成情况 / 实际完成情况 (附件1, 表2-2, 表2-3-2, 表1-2,
--   表1-3-2, the national 项目支出绩效自评表), on each fund line of the sheet         annual_goal, goal_progress
--   重点工作 / 对应项目 (表1-2 / 表1-3-2 履职 block)                                     key_work, related_project
--   附件3 调整后预期目标 (项目（政策）产出 / 预期成效 / 目标完成度), 具体工作任务／工作量, 计划时间安排
--                                   adjusted_output, adjusted_outcome, adjusted_completion, work_tasks, schedule_plan
--   表2-1 年度目标                                                                     annual_goal
ALTER TABLE raw_monitoring_fund ADD COLUMN deviation_flag VARCHAR;
ALTER TABLE raw_monitoring_fund ADD COLUMN annual_goal VARCHAR;
ALTER TABLE raw_monitoring_fund ADD COLUMN goal_progress VARCHAR;
ALTER TABLE raw_dept_monitoring_fund ADD COLUMN deviation_flag VARCHAR;
ALTER TABLE raw_dept_monitoring_fund ADD COLUMN annual_goal VARCHAR;
ALTER TABLE raw_dept_monitoring_fund ADD COLUMN goal_progress VARCHAR;

ALTER TABLE raw_monitoring_indicator ADD COLUMN deviation_flag VARCHAR;
ALTER TABLE raw_dept_monitoring_indicator ADD COLUMN deviation_flag VARCHAR;
ALTER TABLE raw_dept_monitoring_indicator ADD COLUMN key_work VARCHAR;
ALTER TABLE raw_dept_monitoring_indicator ADD COLUMN related_project VARCHAR;

ALTER TABLE raw_selfeval_fund ADD COLUMN annual_goal VARCHAR;
ALTER TABLE raw_selfeval_fund ADD COLUMN goal_progress VARCHAR;
ALTER TABLE raw_dept_selfeval_fund ADD COLUMN annual_goal VARCHAR;
ALTER TABLE raw_dept_selfeval_fund ADD COLUMN goal_progress VARCHAR;
ALTER TABLE raw_dept_selfeval_indicator ADD COLUMN key_work VARCHAR;
ALTER TABLE raw_dept_selfeval_indicator ADD COLUMN related_project VARCHAR;

ALTER TABLE raw_adjustment ADD COLUMN adjusted_output VARCHAR;
ALTER TABLE raw_adjustment ADD COLUMN adjusted_outcome VARCHAR;
ALTER TABLE raw_adjustment ADD COLUMN adjusted_completion VARCHAR;
ALTER TABLE raw_adjustment ADD COLUMN work_tasks VARCHAR;
ALTER TABLE raw_adjustment ADD COLUMN schedule_plan VARCHAR;

ALTER TABLE raw_declaration_fund ADD COLUMN annual_goal VARCHAR;
