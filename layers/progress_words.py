"""The targets' monitoring in the reader's language: the column headers of the evaluation table
and of the templates, the kinds of target, and the sentences that refuse a record or an upload.
A user's text inside a sentence (a cell's value, an id) is carried over as it is."""

from __future__ import annotations

KINDS = {"over": ("超过 X", "More than X"), "reach": ("达到 X", "Reach X"),
         "cumulative": ("期间累计", "Total over the period"), "rank": ("名次", "Rank"),
         "annual": ("每年提升", "Rise every year"), "qualitative": ("文字目标", "Worded target")}

COLUMNS = {  # the evaluation table and the templates, as a reader sees them
    "id": ("编号", "Id"), "harbor": ("港湾", "Harbor"), "row": ("附件4 行", "Annex 4 row"),
    "city": ("城市", "City"), "scope": ("范围", "Scope"), "indicator": ("指标", "Indicator"),
    "target": ("目标", "Target"), "kind": ("目标类型", "Kind of target"),
    "baseline": ("2020 年基数（一）", "2020 baseline (section 1)"),
    "measure": ("判定值（最新值、累计或平均）", "Value judged (latest, total or mean)"), "year": ("年份", "Year"),
    "progress": ("完成进度", "Progress"), "status": ("状态", "Status"),
    "units": ("责任单位", "Responsible units"), "note": ("说明", "Note"),
    "source": ("来源", "Source"), "source_url": ("来源网址", "Source URL"),
    "published": ("发布日期", "Published"), "ref": ("出处", "Plan reference"),
    "place": ("城市（分市填报）", "City (for a value per city)"),
    "value": ("报告值", "Reported value"), "version": ("版本（勿改）", "Version (do not edit)"),
    "name": ("名称", "Name"), "item": ("类别", "Kind"),
}
ITEM_KINDS = {"task": ("任务（三、四）", "Task (sections 3, 4)"), "annex5": ("附件5", "Annex 5")}

SHEETS = {"targets": ("目标", "Targets"), "items": ("任务与项目", "Tasks and items"),
          "read_me": ("填写说明", "How to fill in")}

# Why a record or an upload is refused: code -> (Chinese, English), filled from the details.
MESSAGES = {
    "unknown_target": ("没有编号为“{id}”的目标。", "There is no target with the id “{id}”."),
    "unknown_item": ("没有编号为“{id}”的任务或附件5事项。", "There is no task or Annex 5 item with the id “{id}”."),
    "unknown_change": ("没有编号为 {id} 的修改记录。", "There is no change numbered {id}."),
    "year": ("年份“{year}”不在计划期内：请填 2021 至 2025 年中的一年。",
             "The year “{year}” is outside the plan: give a year from 2021 to 2025."),
    "place": ("城市“{place}”不是港湾六城之一（杭州市、宁波市、湖州市、嘉兴市、绍兴市、舟山市）；目标本身的范围请留空。",
              "“{place}” is not one of the six harbor cities (杭州市, 宁波市, 湖州市, 嘉兴市, 绍兴市, 舟山市); "
              "leave it empty for the target's own scope."),
    "number": ("报告值“{value}”不是数字：请只填数字（如 8.9），单位见“目标”列。",
               "The reported value “{value}” is not a number: give a number only (such as 8.9); the unit is in the Target column."),
    "status": ("状态“{status}”无法识别：请填 已完成、基本完成 或 未完成。",
               "The status “{status}” is not one of Met, Nearly met, Not met (已完成, 基本完成, 未完成)."),
    "worded_value": ("这是文字目标，不填报告值（“{value}”）：请填状态并在说明中写明依据。",
                     "This is a worded target and takes no number (“{value}”): give a status, and its grounds in the note."),
    "source": ("缺少来源：请写明数据出处（如统计公报、政府工作报告）。",
               "The source is missing: say where the figure was published (a statistical bulletin, a work report)."),
    "url": ("来源网址“{url}”不是以 http:// 或 https:// 开头的网址。",
            "The source URL “{url}” is not a web address starting with http:// or https://."),
    "date": ("发布日期“{date}”应是不晚于今天的日期，写作 年-月-日，如 2025-03-01。",
             "The publication date “{date}” should be a day no later than today, as year-month-day, such as 2025-03-01."),
    "date_missing": ("缺少发布日期：请写明数据发布的日期，如 2025-03-01。",
                     "The publication date is missing: give the day the figure was published, such as 2025-03-01."),
    "not_yours": ("“{id}”的责任单位是 {units}，不在您负责的单位之中，不能修改。",
                  "“{id}” is answered for by {units}, none of which is yours: you cannot change it."),
    "not_yours_place": ("您可以填报“{id}”中本单位的部分，但不能填报“{place}”（“—”为目标本身的范围）：请在“城市”中选择本单位所在的城市。",
                        "You may record your own city's part of “{id}”, not “{place}” (“—” is the target's own scope): "
                        "choose your city under City."),
    "rank": ("名次“{value}”应为 1 或更大的整数。", "The rank “{value}” should be a whole number, 1 or more."),
    "conflict": ("“{id}”在您读取之后已被 {by} 于 {at} 修改为“{value}”：请核对后重新填写。",
                 "“{id}” was changed after you read it, by {by} at {at}, to “{value}”: check it and enter yours again."),
    "gone": ("“{id}”在您读取之后已被删除：请核对后重新填写。",
             "“{id}” was removed after you read it: check it and enter yours again."),
    "sheet": ("缺少工作表“{sheet}”：请使用本应用下载的模板。",
              "The sheet “{sheet}” is missing: use the template downloaded from this app."),
    "header": ("工作表“{sheet}”第 1 行缺少“{column}”列：请使用本应用下载的模板，不要改动表头。",
               "Row 1 of the sheet “{sheet}” has no column “{column}”: use the template from this app and keep its headers."),
    "workbook": ("无法作为 Excel 工作簿（.xlsx）读取：{error}",
                 "This cannot be read as an Excel workbook (.xlsx): {error}"),
    "duplicate": ("与第 {first} 行重复：同一目标、年份和城市只能填一行。",
                  "The same target, year and city as row {first}: give each only once."),
    "formula": ("单元格是公式：请填数值或文字本身（复制后“选择性粘贴—数值”）。",
                "The cell holds a formula: give the value itself (copy, then paste as values)."),
    "too_big": ("文件超过 {limit} MB，不能导入。", "The file is larger than {limit} MB and cannot be imported."),
    "no_user": ("没有用户“{user}”：请先用 python -m layers.accounts add 添加。",
                "There is no user “{user}”: add one with python -m layers.accounts add."),
}


def message(code: str, details: dict, lang: str) -> str:
    zh, en = MESSAGES[code]
    return (en if lang == "en" else zh).format(**{k: "" if v is None else v for k, v in details.items()})


def word(table: dict, key: str, lang: str) -> str:
    zh, en = table[key]
    return en if lang == "en" else zh
