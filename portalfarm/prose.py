"""Varied prose for generated reports: wording, figures and named measures differ per body and year.

Each passage is drawn from a `random.Random` seeded by a prose key (the farm uses body and year), so two
bodies' reports share few clauses (no Y04) and a body's section 五 changes from year to year (no Y03);
the same key gives the same text, which is how the farm copies on purpose. Clauses are combinations of
small word banks, so most clauses are rare across a farm. The banks avoid what the validator reads as
figures (收到…申请N件, 行政复议N件…), fees (T02) and, outside `supervision(assessment=True)`, the words
of T04 (考核, 评议, 责任追究).
"""

from __future__ import annotations

import random

ACTIONS = ("健全", "完善", "规范", "优化", "强化", "深化", "推进", "落实", "细化", "改进", "创新", "夯实")
MANAGEMENT = (
    "政府信息公开属性源头认定机制", "公文公开属性审查流程", "信息发布保密审查制度", "政府信息动态调整机制",
    "依申请公开答复文书模板", "政策文件定期清理工作", "行政规范性文件统一发布制度", "政府信息资源目录",
    "信息公开台账管理", "历史文件数字化整理", "政府信息公开指南", "重大决策预公开制度", "信息发布三审三校流程",
    "公开事项清单动态管理",
)
PLATFORM = (
    "政府门户网站信息公开专栏", "政务新媒体矩阵", "政务服务便民热线", "政府公报电子版", "政策文件库",
    "基层政务公开标准目录", "政务公开专区", "新闻发布会机制", "政策咨询服务窗口", "网上政务服务平台",
    "移动端办事入口", "网站适老化和无障碍功能", "政民互动留言办理", "政策问答库",
)
FIELDS = (
    "财政预决算", "重大建设项目", "公共资源配置", "社会公益事业", "乡村振兴", "优化营商环境", "安全生产",
    "生态环境保护", "教育和卫生健康", "就业创业", "社会救助", "食品药品安全", "住房保障", "城市管理",
    "民生实事项目", "惠企政策", "疫后经济恢复", "农业农村", "交通运输", "养老服务",
)
CHANNELS = ("门户网站", "政务微信公众号", "政务微博", "政府公报", "新闻发布会", "政务服务大厅电子屏", "政务抖音号",
            "公开栏", "便民服务手册")
LEADS = (
    "深入贯彻落实《中华人民共和国政府信息公开条例》", "认真落实国务院办公厅政务公开工作要点",
    "坚持以公开为常态、不公开为例外", "围绕中心工作和群众关切", "坚持以人民为中心的发展思想",
    "按照上级政务公开工作部署", "聚焦法治政府建设要求", "紧扣年度重点任务",
)
GOALS = (
    "扎实做好政府信息公开工作", "持续提升政务公开质量", "不断增强政府工作透明度", "切实保障群众知情权、参与权和监督权",
    "推动政务公开工作提质增效", "以公开促落实、促规范、促服务", "稳步提升政务公开标准化规范化水平",
)
PROBLEMS = (
    "政策解读的形式不够丰富", "部分栏目信息更新不够及时", "答复文书的规范化水平有待提高",
    "基层政务公开标准化建设有待深化", "公开内容与群众需求的契合度不高", "工作人员业务能力参差不齐",
    "政务新媒体互动回应不够及时", "信息公开的主动性和系统性有待加强", "图解和音视频解读产品偏少",
    "历史信息整理归档进度较慢", "部分公开信息的可读性不强", "公开平台之间的数据同步不够顺畅",
    "重大决策预公开的覆盖面不够广", "公众参与渠道较为单一", "公开目录与实际发布内容衔接不够紧密",
    "专题专栏内容更新缺乏长效机制",
)
DOCUMENTS = ("政务公开工作要点", "政府信息公开工作规范", "依申请公开办理规程", "政策解读工作办法", "政务新媒体管理办法",
             "信息发布审核细则", "政务公开考评细则", "基层政务公开标准目录")
SUPERVISION = (
    "内部监督检查", "政务公开业务培训", "工作机构和人员配备", "年度任务分解落实", "网站内容常态化巡查",
    "错敏信息排查", "政务公开工作通报", "常态化督查",
)
ORDINALS = ("一是", "二是", "三是", "四是")


def _clauses(rng: random.Random, objects: tuple[str, ...], n: int) -> list[str]:
    return [rng.choice(ACTIONS) + obj for obj in rng.sample(objects, n)]


def lead(rng: random.Random, org: str, year: int) -> str:
    return f"{year}年，{org}{rng.choice(LEADS)}，{rng.choice(GOALS)}。"


def proactive(rng: random.Random) -> str:
    fields = "、".join(rng.sample(FIELDS, rng.randint(2, 3)))
    channels = "、".join(rng.sample(CHANNELS, 2))
    return (f"围绕{fields}等重点领域{rng.choice(ACTIONS)}信息发布，"
            f"通过{channels}等渠道发布政策解读材料{rng.randint(5, 200)}篇。")


def management(rng: random.Random) -> str:
    return "（三）政府信息管理情况。" + "，".join(_clauses(rng, MANAGEMENT, rng.randint(3, 4))) + "。"


def platforms(rng: random.Random) -> str:
    return "（四）政府信息公开平台建设情况。" + "，".join(_clauses(rng, PLATFORM, rng.randint(3, 4))) + "。"


def supervision(rng: random.Random, year: int, *, assessment: bool) -> str:
    parts = _clauses(rng, SUPERVISION, 3)
    if assessment:
        parts.append(rng.choice((
            f"将政务公开工作纳入{year}年度绩效考核，分值占比{rng.randint(2, 6)}%",
            "把政府信息公开工作列入年度目标责任考核",
            f"对{rng.randint(8, 40)}个单位开展政务公开工作考核",
        )))
        parts.append(rng.choice((
            "通过政务服务“好差评”系统开展社会评议", "邀请人大代表、政协委员和群众代表开展社会评议",
            "委托第三方机构开展社会评议", "通过网上问卷开展社会评议",
        )))
        parts.append(rng.choice((
            "全年未发生因政府信息公开工作引起的责任追究情况", "本年度无责任追究情况",
            "严格落实责任追究制度，全年未发生责任追究事项",
        )))
    return "（五）监督保障情况。" + "，".join(parts) + "。"


def problems(rng: random.Random, place: str) -> list[str]:
    found = rng.sample(PROBLEMS, rng.randint(2, 3))
    measures = _clauses(rng, MANAGEMENT + PLATFORM, rng.randint(2, 3))
    measures.insert(rng.randint(0, len(measures)), f"制定《{place}{rng.choice(DOCUMENTS)}》")
    trained = f"全年举办业务培训{rng.randint(1, 12)}期"
    return [
        "（一）存在的主要问题。" + "；".join(ORDINALS[i] + p for i, p in enumerate(found)) + "。",
        "（二）改进情况。" + "；".join(ORDINALS[i] + m for i, m in enumerate(measures)) + f"，{trained}。",
    ]


def other(rng: random.Random, year: int) -> list[str]:
    fields = "、".join(rng.sample(FIELDS, 2))
    return [
        f"按照{year}年政务公开工作要点，{rng.choice(ACTIONS)}{fields}领域信息公开，年度任务全部完成。",
        f"全年办理人大代表建议{rng.randint(0, 60)}件、政协提案{rng.randint(0, 80)}件，办理结果按规定公开。",
    ]
