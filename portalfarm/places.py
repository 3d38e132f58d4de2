"""Real places and body names the farm draws from: cities, their counties, departments, townships.

Region codes are the published 行政区划代码; township names are built from common place-name
words, as most 乡镇 and 街道 names are.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class County:
    name: str  # 绥滨县
    pinyin: str  # suibin
    code: str  # 230422


@dataclass(frozen=True, slots=True)
class City:
    name: str  # 双鸭山市
    pinyin: str
    code: str
    province: str
    counties: tuple[County, ...]


def _counties(*items: tuple[str, str, str]) -> tuple[County, ...]:
    return tuple(County(n, p, c) for n, p, c in items)


# Seeded reports belong to the first cities (双鸭山, 石嘴山, 牡丹江 for 绥芬河, 鹤岗 for 绥滨, 淮安).
CITIES: tuple[City, ...] = (
    City("双鸭山市", "shuangyashan", "230500", "黑龙江省", _counties(
        ("集贤县", "jixian", "230521"), ("友谊县", "youyi", "230522"),
        ("宝清县", "baoqing", "230523"), ("饶河县", "raohe", "230524"))),
    City("石嘴山市", "shizuishan", "640200", "宁夏回族自治区", _counties(
        ("大武口区", "dawukou", "640202"), ("惠农区", "huinong", "640205"), ("平罗县", "pingluo", "640221"))),
    City("牡丹江市", "mudanjiang", "231000", "黑龙江省", _counties(
        ("绥芬河市", "suifenhe", "231081"), ("海林市", "hailin", "231083"),
        ("宁安市", "ningan", "231084"), ("林口县", "linkou", "231025"))),
    City("鹤岗市", "hegang", "230400", "黑龙江省", _counties(
        ("绥滨县", "suibin", "230422"), ("萝北县", "luobei", "230421"))),
    City("淮安市", "huaian", "320800", "江苏省", _counties(
        ("涟水县", "lianshui", "320826"), ("盱眙县", "xuyi", "320830"), ("金湖县", "jinhu", "320831"))),
    City("佳木斯市", "jiamusi", "230800", "黑龙江省", _counties(
        ("桦南县", "huanan", "230822"), ("桦川县", "huachuan", "230826"), ("汤原县", "tangyuan", "230828"),
        ("同江市", "tongjiang", "230881"), ("富锦市", "fujin", "230882"))),
    City("绥化市", "suihua", "231200", "黑龙江省", _counties(
        ("望奎县", "wangkui", "231221"), ("兰西县", "lanxi", "231222"), ("青冈县", "qinggang", "231223"),
        ("庆安县", "qingan", "231224"), ("海伦市", "hailun", "231283"))),
    City("齐齐哈尔市", "qqhr", "230200", "黑龙江省", _counties(
        ("龙江县", "longjiang", "230221"), ("依安县", "yian", "230223"), ("泰来县", "tailai", "230224"),
        ("克山县", "keshan", "230229"), ("讷河市", "nehe", "230281"))),
    City("吴忠市", "wuzhong", "640300", "宁夏回族自治区", _counties(
        ("盐池县", "yanchi", "640323"), ("同心县", "tongxin", "640324"), ("青铜峡市", "qingtongxia", "640381"))),
    City("固原市", "guyuan", "640400", "宁夏回族自治区", _counties(
        ("西吉县", "xiji", "640422"), ("隆德县", "longde", "640423"), ("彭阳县", "pengyang", "640425"))),
    City("黑河市", "heihe", "231100", "黑龙江省", _counties(
        ("北安市", "beian", "231181"), ("五大连池市", "wudalianchi", "231182"),
        ("嫩江市", "nenjiang", "231183"), ("逊克县", "xunke", "231123"))),
    City("中卫市", "zw", "640500", "宁夏回族自治区", _counties(
        ("中宁县", "zhongning", "640521"), ("海原县", "haiyuan", "640522"))),
)

# (name suffix, host/path abbreviation as portals use it)
DEPARTMENTS: tuple[tuple[str, str], ...] = (
    ("人民政府办公室", "bgs"),
    ("教育局", "jyj"),
    ("财政局", "czj"),
    ("人力资源和社会保障局", "rsj"),
    ("自然资源局", "zrzyj"),
    ("生态环境局", "sthjj"),
    ("住房和城乡建设局", "zjj"),
    ("交通运输局", "jtysj"),
    ("农业农村局", "nyncj"),
    ("卫生健康委员会", "wjw"),
    ("市场监督管理局", "scjgj"),
    ("民政局", "mzj"),
    ("司法局", "sfj"),
    ("应急管理局", "yjglj"),
    ("文化广电和旅游局", "wglj"),
    ("发展和改革委员会", "fgw"),
    ("统计局", "tjj"),
    ("审计局", "sjj"),
    ("水务局", "swj"),
    ("医疗保障局", "ybj"),
    ("退役军人事务局", "tyjrswj"),
)

TOWN_WORDS: tuple[str, ...] = (
    "新华", "红旗", "太平", "长安", "东风", "和平", "兴隆", "永安", "城关", "福利", "富强", "胜利",
    "向阳", "建设", "民主", "前进", "永丰", "双河", "三道", "龙泉", "金山", "青山", "柳河", "杨树",
    "大兴", "长胜", "东方红", "幸福", "友谊", "团结", "新兴", "宝山", "南岗", "北关", "西城", "东街",
)
TOWN_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("镇", "人民政府"), ("乡", "人民政府"), ("街道", "办事处"),
)
