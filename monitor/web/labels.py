"""Chinese labels for the codes stored in the database."""

from __future__ import annotations

STATUSES: dict[str, str] = {
    "missing": "未发布",
    "late": "逾期发布",
    "inconsistent": "数据不一致",
    "ok": "正常",
    "not_due": "未到期限",
}
UNKNOWN_STATUS = "unknown"
STATUS_LABELS: dict[str, str] = {**STATUSES, UNKNOWN_STATUS: "尚未计算"}

KINDS: dict[str, str] = {
    "government": "人民政府",
    "department": "政府部门",
    "township": "乡镇（街道）",
}

LEVELS: dict[str, str] = {"province": "省级", "city": "市级", "county": "县级", "township": "乡级"}

SEVERITIES: dict[str, str] = {"error": "错误", "warning": "警告"}

PUBLISHED_SOURCES: dict[str, str] = {"page": "门户页面发布日期", "first_seen": "首次发现时间"}

RULES: dict[str, str] = {
    "S01": "缺少六个部分之一",
    "S02": "缺少必需表格或无法读取",
    "S03": "2021年及以后仍使用2019年模板",
    "S04": "必填单元格为空或非数字",
    "S05": "无法确定统计年度或年度晚于发布年度",
    "A01": "一+二≠三（七）总计+四",
    "A02": "总计≠各类申请人之和",
    "A03": "三（七）总计≠三（一）至（六）之和",
    "A04": "复议诉讼总计≠各结果之和",
    "A05": "数量为负数或非整数",
    "T01": "正文数字与表格矛盾",
    "T02": "未说明是否收取信息处理费",
    "T03": "存在问题及改进情况过于简略",
    "Y01": "上年结转≠上年度结转下年度",
    "Y02": "现行有效件数与上年不衔接",
    "Y03": "存在问题部分与上年雷同",
    "C01": "逾期未发布",
    "C02": "逾期发布",
    "C03": "报告机构或年度与名录不符",
    "C04": "无权制定规章的机关报告了规章",
    "C05": "发布后内容有变动",
    "T04": "政府报告未提及考核、评议和责任追究",
    "Y04": "与其他机关报告高度雷同",
}

# 行政区划代码 first two digits.
PROVINCES: dict[str, str] = {
    "11": "北京市", "12": "天津市", "13": "河北省", "14": "山西省", "15": "内蒙古自治区",
    "21": "辽宁省", "22": "吉林省", "23": "黑龙江省", "31": "上海市", "32": "江苏省",
    "33": "浙江省", "34": "安徽省", "35": "福建省", "36": "江西省", "37": "山东省",
    "41": "河南省", "42": "湖北省", "43": "湖南省", "44": "广东省", "45": "广西壮族自治区",
    "46": "海南省", "50": "重庆市", "51": "四川省", "52": "贵州省", "53": "云南省",
    "54": "西藏自治区", "61": "陕西省", "62": "甘肃省", "63": "青海省", "64": "宁夏回族自治区",
    "65": "新疆维吾尔自治区", "71": "台湾省", "81": "香港特别行政区", "82": "澳门特别行政区",
}


def region_label(prefix: str | None) -> str:
    """A province name for a 2-digit prefix, else the code itself."""
    if not prefix:
        return "未填写区划"
    return PROVINCES.get(prefix[:2], prefix) if len(prefix) <= 2 else prefix
