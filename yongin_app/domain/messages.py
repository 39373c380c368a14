"""Every Korean user-facing message of the domain rules, in one place.

Each message says what is wrong and how to fix it. Numbers come from policy.py so that
a policy change cannot leave a stale message behind. No message ever includes the
value the user typed (a resident registration number must never be echoed).
"""

from __future__ import annotations

from yongin_app.domain import policy as _policy

# ---------------------------------------------------------------- 아이디
LOGIN_ID_REQUIRED = "아이디를 입력해 주세요."
LOGIN_ID_UPPERCASE = "아이디에는 영어 대문자를 쓸 수 없습니다. 소문자로 입력해 주세요."
LOGIN_ID_INVALID_CHARS = (
    "아이디는 영어 소문자(a-z)와 숫자(0-9)로만 만들 수 있습니다. "
    "한글, 공백, 특수문자, 전각 문자는 쓸 수 없습니다."
)
LOGIN_ID_LENGTH = (
    f"아이디는 {_policy.LOGIN_ID_MIN_LENGTH}~{_policy.LOGIN_ID_MAX_LENGTH}자로 입력해 주세요."
)
LOGIN_ID_NEEDS_LETTER = "아이디에는 영어 소문자가 한 글자 이상 있어야 합니다. 숫자만으로는 만들 수 없습니다."
LOGIN_ID_RESERVED = "사용할 수 없는 아이디입니다. 다른 아이디를 입력해 주세요."

# ---------------------------------------------------------------- 비밀번호
PASSWORD_REQUIRED = "비밀번호를 입력해 주세요."
PASSWORD_BLANK = "비밀번호를 공백만으로 만들 수 없습니다. 다른 비밀번호를 입력해 주세요."
PASSWORD_INVALID_CHARS = (
    "비밀번호에 쓸 수 없는 문자(줄바꿈, 탭 같은 제어 문자나 보이지 않는 문자)가 있습니다. "
    "지우고 다시 입력해 주세요."
)
PASSWORD_TOO_LONG = f"비밀번호는 {_policy.PASSWORD_MAX_LENGTH}자 이하로 입력해 주세요."
PASSWORD_COMPOSITION = (
    "비밀번호는 영문자, 숫자, 특수문자 중 "
    f"2가지를 조합하면 {_policy.PASSWORD_MIN_LENGTH_TWO_KINDS}자 이상, "
    f"3가지를 조합하면 {_policy.PASSWORD_MIN_LENGTH_THREE_KINDS}자 이상으로 입력해 주세요."
)
PASSWORD_CONTAINS_LOGIN_ID = "비밀번호에 아이디를 넣을 수 없습니다. 아이디가 들어가지 않게 바꿔 주세요."
PASSWORD_CONTAINS_BIRTH_DATE = "비밀번호에 생년월일을 넣을 수 없습니다. 생년월일이 들어가지 않게 바꿔 주세요."
PASSWORD_CONTAINS_PHONE = "비밀번호에 휴대폰 번호를 넣을 수 없습니다. 전화번호가 들어가지 않게 바꿔 주세요."
PASSWORD_COMMON = (
    "너무 흔히 쓰이는 비밀번호라 사용할 수 없습니다. 다른 사람이 짐작하기 어려운 비밀번호로 바꿔 주세요."
)

# ---------------------------------------------------------------- 연락처·주소
MOBILE_REQUIRED = "휴대폰 번호를 입력해 주세요."
MOBILE_INVALID = (
    "휴대폰 번호 형식이 올바르지 않습니다. 010, 011, 016~019로 시작하는 번호를 010-1234-5678처럼 입력해 주세요."
)
LANDLINE_REQUIRED = "전화번호를 입력해 주세요."
LANDLINE_INVALID = "전화번호 형식이 올바르지 않습니다. 지역번호를 포함해 031-123-4567처럼 입력해 주세요."
EMAIL_REQUIRED = "이메일 주소를 입력해 주세요."
EMAIL_NOT_ASCII = "이메일 주소에는 한글이나 전각 문자를 쓸 수 없습니다. 영문, 숫자와 기호로 입력해 주세요."
EMAIL_TOO_LONG = "이메일 주소가 너무 깁니다. 254자 이하로 입력해 주세요."
EMAIL_INVALID = "이메일 주소 형식이 올바르지 않습니다. hong@example.com처럼 입력해 주세요."
POSTAL_CODE_REQUIRED = "우편번호를 입력해 주세요. 주소찾기를 이용하면 자동으로 입력됩니다."
POSTAL_CODE_INVALID = "우편번호는 숫자 5자리입니다. 주소찾기를 이용해 다시 입력해 주세요."

# ---------------------------------------------------------------- 주민등록번호 (the number itself is never shown)
RRN_BACK_FORMAT = "주민등록번호 뒷자리 7자리를 숫자로만 입력해 주세요."
RRN_BACK_CENTURY = "주민등록번호 뒷자리의 첫 숫자가 생년월일과 맞지 않습니다. 다시 확인해 주세요."
RRN_BACK_SEX = "주민등록번호 뒷자리의 첫 숫자가 성별과 맞지 않습니다. 다시 확인해 주세요."
# The manual: "외국인등록번호로는 조회 불가".
RRN_FOREIGN_NOT_SUPPORTED = (
    "외국인등록번호로는 조회할 수 없습니다. 신분증을 가지고 가까운 도서관을 방문해 주세요."
)

# ---------------------------------------------------------------- 다자녀가정
MULTICHILD_NOT_YONGIN = "다자녀가정 회원 전환은 용인시에 주민등록이 되어 있는 분만 신청할 수 있습니다."
MULTICHILD_TOO_FEW_CHILDREN = (
    f"다자녀가정 회원 전환은 자녀가 {_policy.MULTICHILD_MIN_CHILDREN}명 이상인 경우에만 신청할 수 있습니다."
)
MULTICHILD_YOUNGEST_TOO_OLD = (
    f"다자녀가정 회원 전환은 막내 자녀가 만 {_policy.MULTICHILD_YOUNGEST_MAX_AGE}세 이하인 경우에만 "
    "신청할 수 있습니다."
)
MULTICHILD_BENEFIT_ENDED = (
    f"다자녀가정 혜택 기간(막내 자녀가 만 {_policy.MULTICHILD_YOUNGEST_MAX_AGE}세가 되는 해의 12월 31일까지)이 "
    "이미 지나 신청할 수 없습니다."
)
