"""Demo data for the seed township (犁头瑶族乡, 蓝山县, 永州市, 湖南省) and a second township.

`fazhi load_demo` makes the regions and users and then calls `load(ctx)` of every module's `demo`
(listed in `app_loaders`, in INSTALLED_APPS order). Every loader is idempotent: it checks before it creates.

Then the living part: `load(ctx)` of every module's `demo_current`, which (1) gives the years
between the seed's 2024 and today a thinner history and closes the seed's loose ends there, and (2)
adds this month's ongoing work relative to `ctx.today` (timezone.localdate() when load_demo runs).
A month's batch is made once (records entered this month are the batch), so re-running is
idempotent the same month and adds a new batch in a later month. The 2024 records are never touched.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from fazhi.core.models import Region, RegionLevel

DEMO_PASSWORD = "fazhi-demo-2024"  # demo only: printed by load_demo and shown in the README

REGIONS = [
    # code, name, level, parent code, population, area km²
    ("430000000000", "湖南省", RegionLevel.PROVINCE, None, None, None),
    ("431100000000", "永州市", RegionLevel.CITY, "430000000000", None, None),
    ("431127000000", "蓝山县", RegionLevel.COUNTY, "431100000000", None, None),
    ("431127201000", "犁头瑶族乡", RegionLevel.TOWNSHIP, "431127000000", 2611, "34.50"),
    ("431127201201", "犁头村", RegionLevel.VILLAGE, "431127201000", 820, None),
    ("431127201202", "山背村", RegionLevel.VILLAGE, "431127201000", 610, None),
    ("431127201203", "新屋地村", RegionLevel.VILLAGE, "431127201000", 640, None),
    ("431127201204", "毛栗坪村", RegionLevel.VILLAGE, "431127201000", 541, None),
    ("431127202000", "汇源瑶族乡", RegionLevel.TOWNSHIP, "431127000000", 5200, "96.00"),
    ("431127202201", "汇源村", RegionLevel.VILLAGE, "431127202000", 1800, None),
    ("431127202202", "大坪村", RegionLevel.VILLAGE, "431127202000", 1700, None),
    ("431127202203", "湘源村", RegionLevel.VILLAGE, "431127202000", 1700, None),
]

# (role, full name, post) per township; names are placeholders except the posts the seed names.
LITOU_USERS = [
    ("leader", "雷斌", "党委副书记、乡长"),
    ("legal_staff", "唐法治", "司法所所长"),
    ("officer", "李执法", "综合行政执法队队员"),
    ("mediator", "周调解", "乡人民调解委员会主任"),
    ("village_cadre", "盘村干", "犁头村村委会主任"),
    ("counsel", "陈律师", "政府法律顾问"),
    ("supervisor", "蒋督查", "县司法局督查员"),
    ("admin", "王管理", "党政综合办公室"),
]


@dataclass
class DemoContext:
    """What app loaders need: the regions and demo users, looked up by short names."""

    county: Region
    litou: Region
    demo2: Region
    villages: dict[str, list[Region]]
    users: dict[str, object] = field(default_factory=dict)  # "litou_leader" -> User
    today: dt.date = field(default_factory=timezone.localdate)

    def user(self, name: str):
        return self.users[name]

    @property
    def month_start(self) -> dt.datetime:
        """Start of the current month (aware): records created since then are this month's batch."""
        return timezone.make_aware(dt.datetime(self.today.year, self.today.month, 1))

    def batch_exists(self, qs) -> bool:
        """Has this month's demo batch of `qs` (a TownshipOwned queryset) been made already?"""
        return qs.filter(created_at__gte=self.month_start).exists()


def _region(code, name, level, parent_code, population, area) -> Region:
    parent = Region.objects.get(code=parent_code) if parent_code else None
    path = (parent.path if parent else "/") + code + "/"
    region, _ = Region.objects.update_or_create(
        code=code, defaults={"name": name, "level": level, "parent": parent, "path": path,
                             "population": population, "area_km2": area})
    return region


def ensure_regions() -> DemoContext:
    for row in REGIONS:
        _region(*row)
    litou = Region.objects.get(code="431127201000")
    demo2 = Region.objects.get(code="431127202000")
    return DemoContext(
        county=Region.objects.get(code="431127000000"), litou=litou, demo2=demo2,
        villages={"litou": list(litou.children.order_by("code")), "demo2": list(demo2.children.order_by("code"))},
    )


def ensure_users(ctx: DemoContext, password: str = DEMO_PASSWORD) -> DemoContext:
    from fazhi.accounts.models import Membership, User

    hashed = make_password(password)  # one hash for every demo account: Argon2 is slow on purpose

    def make(username, full_name, post, region, role):
        user, created = User.objects.get_or_create(username=username, defaults={
            "full_name": full_name, "post": post, "password": hashed})
        Membership.objects.get_or_create(user=user, region=region, role=role)
        ctx.users[username] = user

    for prefix, town in (("litou", ctx.litou), ("demo2", ctx.demo2)):
        first_village = ctx.villages[prefix][0]
        for role, name, post in LITOU_USERS:
            if role == "supervisor":
                continue
            region = first_village if role == "village_cadre" else town
            make(f"{prefix}_{role}", name if prefix == "litou" else f"{name}（汇源）",
                 post.replace("犁头村", first_village.name), region, role)
    make("county_supervisor", "蒋督查", "蓝山县司法局督查员", ctx.county, "supervisor")
    # 县司法局执法监督: writes oversight records only (评查, 督办/整改, 考评); two, so files get two reviewers
    make("county_legal", "邓监督", "蓝山县司法局行政执法协调监督股股长", ctx.county, "county_legal")
    make("county_legal2", "何评查", "蓝山县司法局行政执法协调监督股干部", ctx.county, "county_legal")
    return ctx


def app_loaders(module_name: str = "demo"):
    """(app, load) of every module's `demo` (or `demo_current`) loader, in INSTALLED_APPS order."""
    from fazhi.decisions import demo as decisions_demo
    from fazhi.decisions import demo_current as decisions_current
    from fazhi.disclosure import demo as disclosure_demo
    from fazhi.disclosure import demo_current as disclosure_current
    from fazhi.education import demo as education_demo
    from fazhi.education import demo_current as education_current
    from fazhi.enforcement import demo as enforcement_demo
    from fazhi.enforcement import demo_current as enforcement_current
    from fazhi.evidence import demo as evidence_demo
    from fazhi.mediation import demo as mediation_demo
    from fazhi.mediation import demo_current as mediation_current
    from fazhi.organization import demo as organization_demo
    from fazhi.organization import demo_current as organization_current
    from fazhi.oversight import demo as oversight_demo

    loaders = {
        "demo": [
            ("fazhi.organization", organization_demo.load),
            ("fazhi.education", education_demo.load),
            ("fazhi.decisions", decisions_demo.load),
            ("fazhi.disclosure", disclosure_demo.load),
            ("fazhi.enforcement", enforcement_demo.load),
            ("fazhi.evidence", evidence_demo.load),
            ("fazhi.mediation", mediation_demo.load),
            ("fazhi.oversight", oversight_demo.load),
        ],
        "demo_current": [
            ("fazhi.organization", organization_current.load),
            ("fazhi.education", education_current.load),
            ("fazhi.decisions", decisions_current.load),
            ("fazhi.disclosure", disclosure_current.load),
            ("fazhi.enforcement", enforcement_current.load),
            ("fazhi.mediation", mediation_current.load),
        ],
    }
    return loaders[module_name]


def load_all(*, with_modules: bool = True, stdout=None) -> DemoContext:
    with transaction.atomic():
        ctx = ensure_users(ensure_regions())
        if with_modules:
            for app, load in app_loaders():
                if stdout:
                    stdout.write(f"  载入 {app} 演示数据…")
                load(ctx)
            for app, load in app_loaders("demo_current"):
                if stdout:
                    stdout.write(f"  载入 {app} 当前年度演示数据（{ctx.today:%Y-%m-%d}）…")
                load(ctx)
    return ctx
