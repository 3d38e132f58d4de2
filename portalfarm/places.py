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
    City("哈尔滨市", "harbin", "230100", "黑龙江省", _counties(
        ("依兰县", "yilan", "230123"), ("方正县", "fangzheng", "230124"), ("宾县", "binxian", "230125"),
        ("巴彦县", "bayan", "230126"), ("木兰县", "mulan", "230127"), ("通河县", "tonghe", "230128"))),
    City("大庆市", "daqing", "230600", "黑龙江省", _counties(
        ("肇州县", "zhaozhou", "230621"), ("肇源县", "zhaoyuan", "230622"), ("林甸县", "lindian", "230623"))),
    City("鸡西市", "jixi", "230300", "黑龙江省", _counties(
        ("鸡东县", "jidong", "230321"), ("虎林市", "hulin", "230381"), ("密山市", "mishan", "230382"))),
    City("伊春市", "yc", "230700", "黑龙江省", _counties(
        ("嘉荫县", "jiayin", "230722"), ("汤旺县", "tangwang", "230723"), ("铁力市", "tieli", "230781"))),
    City("银川市", "yinchuan", "640100", "宁夏回族自治区", _counties(
        ("永宁县", "yongning", "640121"), ("贺兰县", "helan", "640122"), ("灵武市", "lingwu", "640181"))),
    City("徐州市", "xz", "320300", "江苏省", _counties(
        ("丰县", "fengxian", "320321"), ("沛县", "peixian", "320322"), ("睢宁县", "suining", "320324"),
        ("新沂市", "xinyi", "320381"), ("邳州市", "pizhou", "320382"))),
    City("宿迁市", "suqian", "321300", "江苏省", _counties(
        ("沭阳县", "shuyang", "321322"), ("泗阳县", "siyang", "321323"), ("泗洪县", "sihong", "321324"))),
    City("连云港市", "lyg", "320700", "江苏省", _counties(
        ("东海县", "donghai", "320722"), ("灌云县", "guanyun", "320723"), ("灌南县", "guannan", "320724"))),
    City("盐城市", "yancheng", "320900", "江苏省", _counties(
        ("响水县", "xiangshui", "320921"), ("滨海县", "binhai", "320922"), ("阜宁县", "funing", "320923"),
        ("射阳县", "sheyang", "320924"), ("建湖县", "jianhu", "320925"), ("东台市", "dongtai", "320981"))),
)

# The one-character province abbreviation in ICP numbers (黑ICP备…).
ICP_PREFIX = {"黑龙江省": "黑", "宁夏回族自治区": "宁", "江苏省": "苏"}

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
