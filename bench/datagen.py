"""Fills a freshly migrated database with N realistic members, their cards, guardians and 다자녀 grants.

    python -m bench.datagen --members 1000000 --url sqlite:////tmp/yongin-million.db
    python -m bench.datagen --members 1000000 --url postgresql+psycopg://user:pw@host:port/yongin_bench_million

What is generated (deterministic for a seed):

- members: Korean names (surnames by their real frequency, given names from two syllables), birth dates
  from 1935 to last year (14 % under 14, so 어린이), unique 아이디 in the usual romanized style
  ("minjun87", "kimseoyeon12"), unique 88-character CI and 64-character DI, mobile (with mobile_last4) for
  almost every adult and some children, e-mail, landline, a 용인 address, a 가입도서관 from the branch table,
  45 % 정회원; 2 % withdrawn, erased as services/account.py erases them;
- a MemberCard ("157" + 7 digits, consecutive) for every 정회원, a lost (invalidated) earlier card for
  4 % of them, and the card_number NumberSequence set so that new issues continue after the last one;
- a Guardian for every active 어린이, with a visit confirmed for most;
- a MultichildGrant (다자녀, some expired) for 6.5 % of the active 정회원; three staff accounts (the visit issuers).

Passwords: nobody hashes a million passwords. Every generated member shares ONE argon2id hash, computed
once, of a random password nobody knows; every card shares one argon2id hash of a loan password. Only the
few accounts the benchmark logs in as (``login_accounts``, 아이디 ``benchlogin00``…, spread evenly through
the table) get their own argon2id hash of ``BENCH_PASSWORD``.

Loading: one transaction, large batches. SQLite: ``executemany`` of 50,000 rows, journal off and
synchronous=OFF during the load (WAL again afterwards), secondary indexes dropped and rebuilt after the
load (same SQL as the migration); with the journal off, a load that fails leaves a broken file: start again
from a fresh one. PostgreSQL: ``COPY ... FROM STDIN`` through psycopg's ``cursor.copy()``,
secondary indexes dropped and rebuilt (same definitions), the id sequences moved past the generated ids,
then ``VACUUM ANALYZE`` as autovacuum would do after a bulk load.
"""

from __future__ import annotations

import argparse
import base64
import random
import secrets
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy.engine import make_url

BENCH_PASSWORD = "Chaekbit-Bench#2026"  # the password of the benchlogin accounts
BENCH_LOGIN_PREFIX = "benchlogin"
LOAN_PASSWORD = "2580"  # every generated card's 회원 대출 비밀번호
BATCH = 50_000
TABLES = ("staffaccount", "member", "guardian", "membercard", "multichildgrant")

# ---------------------------------------------------------------- the population

# (surname, romanization, share): the 30 commonest Korean surnames by their share of the population.
SURNAMES: tuple[tuple[str, str, float], ...] = (
    ("김", "kim", 21.5), ("이", "lee", 14.7), ("박", "park", 8.4), ("최", "choi", 4.7), ("정", "jung", 4.3),
    ("강", "kang", 2.4), ("조", "cho", 2.1), ("윤", "yoon", 2.1), ("장", "jang", 2.0), ("임", "lim", 1.7),
    ("한", "han", 1.5), ("오", "oh", 1.5), ("서", "seo", 1.4), ("신", "shin", 1.4), ("권", "kwon", 1.4),
    ("황", "hwang", 1.4), ("안", "ahn", 1.3), ("송", "song", 1.3), ("전", "jeon", 1.1), ("홍", "hong", 1.1),
    ("유", "yu", 1.1), ("고", "ko", 0.9), ("문", "moon", 0.9), ("양", "yang", 0.8), ("손", "son", 0.8),
    ("배", "bae", 0.8), ("백", "baek", 0.8), ("허", "heo", 0.6), ("남", "nam", 0.5), ("남궁", "namgung", 0.05),
)
# Syllables of given names, with their romanization; the first ones are the most common.
FIRST_SYLLABLES: tuple[tuple[str, str], ...] = (
    ("민", "min"), ("서", "seo"), ("지", "ji"), ("현", "hyun"), ("수", "su"), ("예", "ye"), ("하", "ha"),
    ("도", "do"), ("주", "ju"), ("윤", "yun"), ("채", "chae"), ("은", "eun"), ("준", "jun"), ("승", "seung"),
    ("유", "yu"), ("시", "si"), ("건", "geon"), ("우", "woo"), ("다", "da"), ("소", "so"), ("영", "young"),
    ("재", "jae"), ("상", "sang"), ("성", "sung"), ("정", "jung"), ("혜", "hye"), ("경", "kyung"),
    ("동", "dong"), ("태", "tae"), ("희", "hee"), ("진", "jin"), ("미", "mi"), ("종", "jong"), ("용", "yong"),
    ("광", "kwang"), ("명", "myung"), ("순", "soon"), ("옥", "ok"), ("나", "na"), ("아", "a"),
)
SECOND_SYLLABLES: tuple[tuple[str, str], ...] = (
    ("준", "jun"), ("연", "yeon"), ("우", "woo"), ("아", "a"), ("윤", "yun"), ("진", "jin"), ("현", "hyun"),
    ("호", "ho"), ("민", "min"), ("서", "seo"), ("빈", "bin"), ("원", "won"), ("은", "eun"), ("린", "rin"),
    ("율", "yul"), ("희", "hee"), ("영", "young"), ("수", "su"), ("훈", "hoon"), ("석", "seok"),
    ("혁", "hyuk"), ("경", "kyung"), ("숙", "sook"), ("자", "ja"), ("철", "chul"), ("식", "sik"),
    ("미", "mi"), ("지", "ji"), ("하", "ha"), ("인", "in"), ("주", "ju"), ("완", "wan"), ("규", "gyu"),
    ("태", "tae"), ("환", "hwan"), ("나", "na"), ("별", "byul"), ("솔", "sol"), ("결", "gyeol"), ("온", "on"),
)
# Foreign members' names as written in Hangul: a given name and a family name.
FOREIGN_GIVEN: tuple[tuple[str, str], ...] = (
    ("존", "john"), ("마리아", "maria"), ("웨이", "wei"), ("마이", "mai"), ("알렉스", "alex"), ("사라", "sarah"),
    ("다니엘", "daniel"), ("안나", "anna"), ("리", "li"), ("투안", "tuan"), ("아이샤", "aisha"), ("카를로스", "carlos"),
    ("유키", "yuki"), ("올가", "olga"), ("라훌", "rahul"), ("에밀리", "emily"),
)
FOREIGN_FAMILY = ("스미스", "응우옌", "왕", "산토스", "이바노바", "존슨", "리우", "가르시아", "다나카", "쿠마르",
                  "브라운", "트란")
# (postal code, 도로명주소): addresses in the three 구 of 용인시.
ADDRESSES: tuple[tuple[str, str], ...] = (
    ("17019", "경기도 용인시 처인구 중부대로 1199"), ("16835", "경기도 용인시 수지구 수지로 296"),
    ("16891", "경기도 용인시 수지구 죽전로 152"), ("17000", "경기도 용인시 기흥구 동백죽전대로 444"),
    ("16979", "경기도 용인시 기흥구 기흥역로 58"), ("16952", "경기도 용인시 기흥구 신갈로 58번길 11"),
    ("16866", "경기도 용인시 수지구 포은대로 499"), ("17035", "경기도 용인시 처인구 금령로 56"),
    ("16942", "경기도 용인시 기흥구 구성로 357"), ("16822", "경기도 용인시 수지구 성복2로 76"),
    ("17084", "경기도 용인시 기흥구 흥덕중앙로 120"), ("17158", "경기도 용인시 처인구 포곡읍 둔전로 45"),
    ("16897", "경기도 용인시 수지구 대지로 12"), ("17096", "경기도 용인시 기흥구 보정로 22"),
)
EMAIL_DOMAINS = ("naver.com", "gmail.com", "daum.net", "hanmail.net", "kakao.com", "nate.com")
MOBILE_PREFIXES = ("010",) * 97 + ("011", "016", "019")
# Age bands (years, share): 14 % are 어린이 (under 14).
AGE_BANDS: tuple[tuple[int, int, float], ...] = (
    (1, 13, 14.0), (14, 19, 9.0), (20, 39, 31.0), (40, 59, 30.0), (60, 90, 16.0),
)
SHARE_FULL = 0.45
SHARE_WITHDRAWN = 0.02
SHARE_FOREIGN = 0.015
SHARE_LOST_CARD = 0.04
SHARE_GRANT = 0.065  # of the active 정회원 (about 3 % of all members): only a 정회원 can be converted
WITHDRAWN_NAME = "탈퇴회원"  # as services/account.py erases a member
WITHDRAWN_BIRTH_DATE = date(1900, 1, 1)


@dataclass
class Generated:
    """What generate() made, and how fast."""

    url: str
    members: int
    cards: int
    guardians: int
    grants: int
    staff: int
    migrate_seconds: float
    load_seconds: float  # generating the rows and loading them (indexes and ANALYZE included)
    login_ids: list[str] = field(default_factory=list)
    password: str = BENCH_PASSWORD
    loan_password: str = LOAN_PASSWORD
    first_member_id: int = 1

    @property
    def rows(self) -> int:
        return self.members + self.cards + self.guardians + self.grants + self.staff

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.load_seconds if self.load_seconds else 0.0


# ---------------------------------------------------------------- value formats


_EPOCH = datetime(1970, 1, 1)


def _sqlite_datetime(epoch: int) -> str:
    # What SQLAlchemy's SQLite DATETIME stores for the UTC datetime that UTCDateTime binds
    # (whole seconds here; isoformat is several times faster than strftime).
    return f"{(_EPOCH + timedelta(seconds=epoch)).isoformat(' ')}.000000"


def _pg_datetime(epoch: int) -> str:
    return f"{(_EPOCH + timedelta(seconds=epoch)).isoformat(' ')}+00"


def _check_sqlite_format() -> None:
    """The hand-made SQLite strings are exactly what the app itself would have written."""
    from sqlalchemy.dialects import sqlite

    from yongin_app.models import Member

    dialect = sqlite.dialect()
    sample = datetime(2024, 5, 6, 7, 8, 9, tzinfo=UTC)
    column = Member.__table__.c.created_at.type
    bound = column.process_bind_param(sample, dialect)
    written = column.impl_instance.dialect_impl(dialect).bind_processor(dialect)(bound)
    mine = _sqlite_datetime(int(sample.timestamp()))
    assert written == mine, (written, mine)
    day = Member.__table__.c.birth_date.type.dialect_impl(dialect).bind_processor(dialect)(date(2024, 5, 6))
    assert day == "2024-05-06", day


# ---------------------------------------------------------------- row generation


class _Population:
    """Makes rows in the column order of COLUMNS, holding only what later tables need."""

    COLUMNS = {
        "staffaccount": ("id", "login_id", "password_hash", "name", "role", "failed_login_count", "locked_until",
                         "active", "created_at"),
        "member": ("id", "login_id", "password_hash", "name", "birth_date", "sex", "nationality", "ci", "di",
                   "member_type", "grade", "status", "mobile", "mobile_last4", "sms_consent", "email",
                   "email_consent", "landline", "postal_code", "road_address", "address_detail",
                   "home_branch_code", "failed_login_count", "locked_until", "created_at", "updated_at",
                   "withdrawn_at"),
        "guardian": ("id", "member_id", "name", "mobile", "birth_date", "ci", "verified_at", "visit_confirmed_at",
                     "visit_confirmed_by_staff_id"),
        "membercard": ("id", "member_id", "card_number", "loan_password_hash", "issued_at", "status",
                       "invalidated_at", "issue_channel", "issued_by_staff_id"),
        "multichildgrant": ("id", "member_id", "expires_on", "loan_limit", "applied_by_member_id", "created_at",
                            "updated_at"),
    }

    def __init__(self, *, members: int, seed: int, branches: Sequence[str], first_ids: dict[str, int],
                 first_card_value: int, login_accounts: int, fmt_dt: Callable[[datetime], str],
                 shared_hash: str, loan_hash: str, login_hashes: Sequence[str], staff_hash: str) -> None:
        from yongin_app.clock import today_kst

        self.rng = random.Random(seed)
        self.members = members
        self.branches = list(branches)
        self.first = dict(first_ids)
        self.card_value = first_card_value
        self.fmt_dt = fmt_dt
        self.shared_hash, self.loan_hash, self.staff_hash = shared_hash, loan_hash, staff_hash
        self.login_hashes = list(login_hashes)
        self.today = today_kst()
        self.now = datetime.now(UTC).replace(microsecond=0)
        step = max(1, members // max(1, login_accounts))
        self.login_positions = {i * step + step // 2: i for i in range(login_accounts) if i * step < members}
        self.login_ids = [f"{BENCH_LOGIN_PREFIX}{i:02d}" for i in sorted(self.login_positions.values())]
        self.used_ids: set[str] = set(self.login_ids)
        self.staff_ids = [self.first["staffaccount"] + i for i in range(3)]
        self.counts = {table: 0 for table in TABLES}
        # What the later tables need of each member.
        self._children: list[tuple[int, int, str]] = []  # (member id, created epoch, child surname)
        self._full: list[tuple[int, int, bool]] = []  # (member id, created epoch, withdrawn)
        self._granted: list[tuple[int, int]] = []

    # -- helpers

    def _dt(self, epoch: int) -> str:
        return self.fmt_dt(epoch)

    def _int(self, low: int, high: int) -> int:
        """random.randint without its argument checks (a third of the generation time)."""
        return low + int(self.rng.random() * (high - low + 1))

    def _login_id(self, surname_rom: str, syl1: str, syl2: str, birth: date) -> str:
        rng = self.rng
        while True:
            style = rng.random()
            if style < 0.35:
                base = f"{syl1}{syl2}{birth.year % 100:02d}"
            elif style < 0.6:
                base = f"{surname_rom}{syl1}{syl2}{self._int(1, 99)}"
            elif style < 0.8:
                base = f"{surname_rom[0]}{syl1[0]}{syl2}{self._int(100, 9999)}"
            else:
                base = f"{syl1}{syl2}{rng.choice(('love', 'book', 'sky', 'star', 'moon', 'day', ''))}" \
                       f"{self._int(1, 999)}"
            login_id = base[:20]
            if len(login_id) >= 4 and login_id not in self.used_ids:
                self.used_ids.add(login_id)
                return login_id

    def _mobile(self) -> str:
        rng = self.rng
        return f"{rng.choice(MOBILE_PREFIXES)}-{self._int(2000, 9999)}-{self._int(0, 9999):04d}"

    # -- tables

    def staff_rows(self) -> Iterator[tuple]:
        created = self._dt(int(self.now.timestamp()) - 3 * 365 * 86400)
        for i, staff_id in enumerate(self.staff_ids, start=1):
            self.counts["staffaccount"] += 1
            yield (staff_id, f"genstaff{i:02d}", self.staff_hash, f"생성사서{i}", "사서", 0, None, True, created)

    def member_rows(self) -> Iterator[tuple]:
        from yongin_app.domain.age import member_type_for

        rng = self.rng
        n = self.members
        surnames = rng.choices(SURNAMES, weights=[s[2] for s in SURNAMES], k=n)
        # Mildly skewed syllables: the commonest full name (김 + the commonest given name) is about 0.04 %
        # of the members, some 400 in a million, as the commonest names are in Korea.
        w1 = [1 / (i + 1) ** 0.3 for i in range(len(FIRST_SYLLABLES))]
        w2 = [1 / (i + 1) ** 0.3 for i in range(len(SECOND_SYLLABLES))]
        firsts = rng.choices(FIRST_SYLLABLES, weights=w1, k=n)
        seconds = rng.choices(SECOND_SYLLABLES, weights=w2, k=n)
        bands = rng.choices(AGE_BANDS, weights=[b[2] for b in AGE_BANDS], k=n)
        branch_weights = [3 if code == "MA" else 1 for code in self.branches]
        branches = rng.choices(self.branches, weights=branch_weights, k=n)
        addresses = rng.choices(ADDRESSES, k=n)
        today_ordinal = self.today.toordinal()
        now_epoch = int(self.now.timestamp())
        twelve_years = 12 * 365 * 86400
        type_cache: dict[int, str] = {}
        for index in range(n):
            member_id = self.first["member"] + index
            low, high, _ = bands[index]
            birth = date.fromordinal(today_ordinal - self._int(low * 365 + 1, high * 365 + 364))
            age_key = birth.toordinal()
            member_type = type_cache.get(age_key)
            if member_type is None:
                member_type = type_cache[age_key] = member_type_for(birth, self.today).value
            child = member_type == "어린이"
            sex = "남" if rng.random() < 0.5 else "여"
            surname, surname_rom, _ = surnames[index]
            (syl1, rom1), (syl2, rom2) = firsts[index], seconds[index]
            if rng.random() < SHARE_FOREIGN and not child:
                nationality = "외국인"
                given, rom = rng.choice(FOREIGN_GIVEN)
                name = f"{given}{rng.choice(FOREIGN_FAMILY)}"
                login_id = self._login_id(rom, rom[:3], "", birth)
            else:
                nationality = "내국인"
                name = f"{surname}{syl1}{syl2}"
                login_id = self._login_id(surname_rom, rom1, rom2, birth)
            password_hash = self.shared_hash
            login_slot = self.login_positions.get(index)
            withdrawn = login_slot is None and rng.random() < SHARE_WITHDRAWN
            if login_slot is not None:
                login_id, password_hash = self.login_ids[login_slot], self.login_hashes[login_slot]
            full = rng.random() < SHARE_FULL
            created = now_epoch - self._int(86400, twelve_years)
            created = max(created, now_epoch - (today_ordinal - birth.toordinal()) * 86400 + 86400)
            updated = min(now_epoch, created + self._int(0, 400 * 86400))
            has_mobile = rng.random() < (0.2 if child else 0.96)
            mobile = self._mobile() if has_mobile else None
            email = f"{login_id}@{rng.choice(EMAIL_DOMAINS)}" if rng.random() < 0.6 else None
            landline = f"031-{self._int(200, 899)}-{self._int(0, 9999):04d}" if rng.random() < 0.1 else None
            postal, road = addresses[index]
            detail = f"{self._int(101, 120)}동 {self._int(1, 25)}{self._int(1, 4):02d}호"
            ci = base64.b64encode(rng.randbytes(64)).decode("ascii")
            di = rng.randbytes(32).hex()
            withdrawn_at = None
            status = "active"
            if withdrawn:
                # Erased as services/account.py erases a withdrawn member.
                status = "withdrawn"
                withdrawn_epoch = min(now_epoch, updated + self._int(86400, 800 * 86400))
                withdrawn_at = self._dt(withdrawn_epoch)
                updated = withdrawn_epoch
                name, birth, ci, di = WITHDRAWN_NAME, WITHDRAWN_BIRTH_DATE, None, None
                mobile = email = landline = postal = road = detail = None
                password_hash = "!withdrawn!" + secrets.token_hex(32)
            self.counts["member"] += 1
            yield (
                member_id, login_id, password_hash, name, birth.isoformat(), sex, nationality, ci, di,
                member_type, "정회원" if full else "준회원", status, mobile, mobile[-4:] if mobile else None,
                mobile is not None and rng.random() < 0.7, email, email is not None and rng.random() < 0.4,
                landline, postal, road, detail, branches[index], 0, None, self._dt(created), self._dt(updated),
                withdrawn_at,
            )
            if full:
                self._full.append((member_id, created, withdrawn))
            if child and not withdrawn:
                self._children.append((member_id, created, surname))
            if full and not withdrawn and rng.random() < SHARE_GRANT:
                self._granted.append((member_id, created))

    def guardian_rows(self) -> Iterator[tuple]:
        rng = self.rng
        now_epoch = int(self.now.timestamp())
        for index, (member_id, created, surname) in enumerate(self._children):
            first, second = rng.choice(FIRST_SYLLABLES)[0], rng.choice(SECOND_SYLLABLES)[0]
            born = date(self._int(1965, 1995), self._int(1, 12), self._int(1, 28))
            confirmed = rng.random() < 0.85
            visit = self._dt(min(now_epoch, created + self._int(3600, 30 * 86400))) if confirmed else None
            self.counts["guardian"] += 1
            yield (
                self.first["guardian"] + index, member_id, f"{surname}{first}{second}", self._mobile(),
                born.isoformat(), base64.b64encode(rng.randbytes(64)).decode("ascii"), self._dt(created), visit,
                rng.choice(self.staff_ids) if confirmed else None,
            )

    def card_rows(self) -> Iterator[tuple]:
        rng = self.rng
        now_epoch = int(self.now.timestamp())
        card_id = self.first["membercard"]
        for member_id, created, withdrawn in self._full:
            issued = min(now_epoch, created + self._int(0, 60 * 86400))
            cards = []
            if rng.random() < SHARE_LOST_CARD:
                lost_at = min(now_epoch, issued + self._int(30 * 86400, 900 * 86400))
                cards.append((issued, "invalidated", lost_at))
                issued = lost_at
            cards.append((issued, "invalidated" if withdrawn else "active",
                          now_epoch if withdrawn else None))
            for issued_at, status, invalidated in cards:
                visit = rng.random() < 0.4
                number = f"157{self.card_value:07d}"
                self.card_value += 1
                self.counts["membercard"] += 1
                yield (
                    card_id, member_id, number, self.loan_hash, self._dt(issued_at), status,
                    self._dt(invalidated) if invalidated else None, "visit" if visit else "online",
                    rng.choice(self.staff_ids) if visit else None,
                )
                card_id += 1

    def grant_rows(self) -> Iterator[tuple]:
        today_ordinal = self.today.toordinal()
        for index, (member_id, created) in enumerate(self._granted):
            expires = date.fromordinal(today_ordinal + self._int(-365, 18 * 365))
            expires = date(expires.year, 12, 31)
            self.counts["multichildgrant"] += 1
            yield (self.first["multichildgrant"] + index, member_id, expires.isoformat(), 10, member_id,
                   self._dt(created), self._dt(created))


def _batches(rows: Iterable[tuple], size: int = BATCH) -> Iterator[list[tuple]]:
    batch: list[tuple] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


# ---------------------------------------------------------------- loaders


def _sqlite_path(url: str) -> str:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise ValueError("the generator needs a SQLite file, not an in-memory database")
    return database


def _load_sqlite(url: str, make_population: Callable[..., _Population]) -> _Population:
    _check_sqlite_format()
    connection = sqlite3.connect(_sqlite_path(url), isolation_level=None)
    try:
        connection.execute("PRAGMA journal_mode=OFF")
        connection.execute("PRAGMA synchronous=OFF")
        connection.execute("PRAGMA cache_size=-1000000")  # 1 GB page cache for the index builds
        connection.execute("PRAGMA temp_store=MEMORY")
        connection.execute("PRAGMA foreign_keys=OFF")  # the generator keeps them; checked below
        population = _population_after_existing_rows(connection, make_population, _sqlite_datetime)
        indexes = connection.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN "
            f"({', '.join('?' * len(TABLES))})", TABLES).fetchall()
        connection.execute("BEGIN")
        for name, _ in indexes:
            connection.execute(f'DROP INDEX "{name}"')
        for table, rows in (("staffaccount", population.staff_rows()), ("member", population.member_rows()),
                            ("guardian", population.guardian_rows()), ("membercard", population.card_rows()),
                            ("multichildgrant", population.grant_rows())):
            columns = _Population.COLUMNS[table]
            statement = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
            for batch in _batches(rows):
                connection.executemany(statement, batch)
        connection.execute("UPDATE numbersequence SET next_value = ? WHERE name = 'card_number'",
                           (population.card_value,))
        for _, sql in indexes:
            connection.execute(sql)
        connection.execute("COMMIT")
        problems = connection.execute("PRAGMA foreign_key_check").fetchall()
        if problems:
            raise RuntimeError(f"generated rows break foreign keys: {problems[:5]}")
        connection.execute("PRAGMA journal_mode=WAL")
    finally:
        connection.close()
    return population


def _population_after_existing_rows(connection: Any, make_population: Callable[..., _Population],
                                    fmt_dt: Callable[[int], str]) -> _Population:
    """The population to add after what the database holds: its branches, the next free IDs and card number.
    ``connection`` is a sqlite3 or a psycopg connection (both have ``execute(sql).fetchone()``)."""
    branches = [code for (code,) in connection.execute("SELECT code FROM branch ORDER BY sort_order")]
    first_ids = {table: connection.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {table}").fetchone()[0]
                 for table in TABLES}
    (card_value,) = connection.execute("SELECT next_value FROM numbersequence WHERE name = 'card_number'").fetchone()
    return make_population(branches=branches, first_ids=first_ids, first_card_value=card_value, fmt_dt=fmt_dt)


def _psycopg_url(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _load_postgres(url: str, make_population: Callable[..., _Population]) -> _Population:
    import psycopg

    with psycopg.connect(_psycopg_url(url)) as connection:
        with connection.transaction():
            connection.execute("SET LOCAL synchronous_commit = off")
            connection.execute("SET LOCAL maintenance_work_mem = '1GB'")
            population = _population_after_existing_rows(connection, make_population, _pg_datetime)
            # Secondary indexes (not the primary keys, no constraint behind them): rebuilt after the load.
            indexes = connection.execute(
                "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.schemaname = current_schema() "
                "AND i.tablename = ANY(%s) AND NOT EXISTS (SELECT 1 FROM pg_constraint c "
                "WHERE c.conname = i.indexname)", (list(TABLES),)).fetchall()
            for name, _ in indexes:
                connection.execute(f'DROP INDEX "{name}"')
            with connection.cursor() as cursor:
                for table, rows in (("staffaccount", population.staff_rows()),
                                    ("member", population.member_rows()),
                                    ("guardian", population.guardian_rows()),
                                    ("membercard", population.card_rows()),
                                    ("multichildgrant", population.grant_rows())):
                    columns = _Population.COLUMNS[table]
                    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                        for row in rows:
                            copy.write_row(row)
            connection.execute("UPDATE numbersequence SET next_value = %s WHERE name = 'card_number'",
                               (population.card_value,))
            for table in TABLES:
                connection.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT coalesce(max(id), 0) + 1 FROM {table}), false)")
            for _, definition in indexes:
                connection.execute(definition)
    with psycopg.connect(_psycopg_url(url), autocommit=True) as connection:
        connection.execute(f"VACUUM (ANALYZE) {', '.join(TABLES)}")
    return population


# ---------------------------------------------------------------- entry point


def generate(url: str, members: int, seed: int, *, login_accounts: int = 20, migrate: bool = True) -> Generated:
    """Migrates the database at ``url`` (SQLite file or PostgreSQL) to head, then loads ``members``
    members with cards, guardians and grants. The database should be fresh (ids continue after any rows)."""
    from yongin_app.cli import migrate_database
    from yongin_app.services.passwords import hash_password

    started = time.perf_counter()
    if migrate:
        migrate_database(url)
    migrated = time.perf_counter()

    # The only argon2id work: one shared hash, one loan hash, one staff hash, one per login account.
    shared_hash = hash_password(secrets.token_urlsafe(24))
    loan_hash = hash_password(LOAN_PASSWORD)
    staff_hash = hash_password(secrets.token_urlsafe(24))
    login_hashes = [hash_password(BENCH_PASSWORD) for _ in range(login_accounts)]

    def make_population(**kwargs) -> _Population:
        return _Population(members=members, seed=seed, login_accounts=login_accounts, shared_hash=shared_hash,
                           loan_hash=loan_hash, login_hashes=login_hashes, staff_hash=staff_hash, **kwargs)

    if url.startswith("sqlite"):
        population = _load_sqlite(url, make_population)
    elif url.startswith("postgresql"):
        population = _load_postgres(url, make_population)
    else:
        raise ValueError(f"unsupported database: {make_url(url).drivername}")
    loaded = time.perf_counter()
    counts = population.counts
    return Generated(
        url=url, members=counts["member"], cards=counts["membercard"], guardians=counts["guardian"],
        grants=counts["multichildgrant"], staff=counts["staffaccount"], migrate_seconds=migrated - started,
        load_seconds=loaded - migrated, login_ids=population.login_ids, first_member_id=population.first["member"],
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.datagen", description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True, help="sqlite:///path or postgresql+psycopg://… (created already)")
    parser.add_argument("--members", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=9)
    args = parser.parse_args(argv)
    result = generate(args.url, args.members, args.seed)
    print(f"{result.members:,} members, {result.cards:,} cards, {result.guardians:,} guardians, "
          f"{result.grants:,} grants, {result.staff} staff: {result.rows:,} rows in {result.load_seconds:.1f} s "
          f"= {result.rows_per_second:,.0f} rows/s (migration {result.migrate_seconds:.1f} s)")
    print(f"login as {', '.join(result.login_ids[:3])}, … with password {result.password!r}")


if __name__ == "__main__":
    main()
