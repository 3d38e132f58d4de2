"""`nianbao user add EMAIL [--admin] [--password-stdin]`, `nianbao user passwd EMAIL`: accounts for the status pages."""

from __future__ import annotations

import argparse
import getpass
import sys

from nianbao.errors import NianbaoError
from nianbao.settings import Settings


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="user_command", required=True, metavar="ACTION")
    add = sub.add_parser("add", help="添加账号（已由名录导入但未设密码的监督人员：设置密码）")
    add.add_argument("email", help="登录邮箱")
    add.add_argument("--admin", action="store_true", help="管理员：查看全部机构并管理账号")
    add.add_argument("--name", help="姓名")
    add.add_argument("--password-stdin", action="store_true", dest="password_stdin",
                     help="从标准输入读取密码（一行），不交互提示")
    passwd = sub.add_parser("passwd", help="修改密码（该账号的其他登录会话随之失效）")
    passwd.add_argument("email", help="登录邮箱")
    passwd.add_argument("--password-stdin", action="store_true", dest="password_stdin",
                        help="从标准输入读取密码（一行），不交互提示")


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("新密码：")
    if getpass.getpass("再次输入新密码：") != first:
        raise NianbaoError("两次输入的密码不一致")
    return first


def run(args: argparse.Namespace, settings: Settings) -> int:
    from sqlalchemy import func, select

    from db.database import open_database
    from db.engine import session_scope
    from db.models import Supervisor
    from monitor.web.passwords import hash_password

    email = args.email.strip().lower()
    if "@" not in email:
        raise NianbaoError(f"不是有效的邮箱地址：{args.email}")
    password_hash = hash_password(_read_password(args.password_stdin))
    engine = open_database(settings.db_url)
    try:
        with session_scope(engine) as session:
            person = session.scalars(select(Supervisor).where(func.lower(Supervisor.email) == email)).first()
            if args.user_command == "passwd":
                if person is None:
                    raise NianbaoError(f"账号不存在：{email}（请先 nianbao user add）")
                message = f"已修改 {email} 的密码"
            elif person is None:
                person = Supervisor(email=email)
                message = f"已添加账号 {email}"
            elif person.password_hash:
                raise NianbaoError(f"账号已存在：{email}（修改密码请用 nianbao user passwd）")
            else:
                message = f"已为监督人员 {email} 设置密码"
            person.password_hash = password_hash
            if args.user_command == "add":
                person.is_admin = person.is_admin or args.admin
                person.name = args.name or person.name
            session.add(person)
    finally:
        engine.dispose()
    print(message + ("（管理员）" if person.is_admin else ""), file=sys.stderr)
    return 0
