"""Korean messages that the use cases return (the domain rules' messages are in domain/messages.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from yongin_app.domain import policy as _policy, rate_limits as _rate_limits

if TYPE_CHECKING:
    from yongin_app.services.rate_limits import Decision

# Signup: wizard
DRAFT_MISSING = "회원가입 진행 정보가 없거나 1시간이 지나 만료되었습니다. 처음부터 다시 진행해 주세요."
STEP_NOT_READY = "앞 단계를 먼저 완료해 주세요."

# Signup: verification
VERIFY_NAME_REQUIRED = "이름을 입력해 주세요."
VERIFY_BIRTH_DATE_INVALID = "생년월일 8자리를 19900101처럼 숫자로 입력해 주세요."
VERIFY_PHONE_REQUIRED = "휴대폰 번호를 입력해 주세요."
VERIFY_NOT_FOUND = "입력하신 정보로 본인확인을 할 수 없습니다. 이름, 생년월일, 휴대폰 번호를 다시 확인해 주세요."
VERIFY_CODE_REQUIRED = "인증번호 6자리를 입력해 주세요."
VERIFY_WRONG_CODE = "인증번호가 올바르지 않습니다. 다시 입력해 주세요."
VERIFY_TOO_MANY_CODES = "인증번호를 3회 잘못 입력하여 인증이 종료되었습니다. 인증번호를 다시 받아 주세요."
VERIFY_CODE_NOT_SENT = "인증번호 받기를 먼저 눌러 주세요."
VERIFY_UNAVAILABLE = "본인확인 기관에 연결할 수 없습니다. 잠시 후 다시 시도해 주세요."
VERIFY_UNDER_14_USE_CHILD = (
    f"만 {_policy.CHILD_AGE_LIMIT}세 미만은 일반 회원가입을 할 수 없습니다. 어린이 회원가입을 이용해 주세요."
)
VERIFY_CHILD_TOO_OLD = (
    f"어린이 회원가입은 만 {_policy.CHILD_AGE_LIMIT}세 미만만 할 수 있습니다. 일반 회원가입을 이용해 주세요."
)
VERIFY_ALREADY_MEMBER = "이미 가입된 회원입니다. 아이디가 기억나지 않으면 아이디 찾기를 이용해 주세요."
GUARDIAN_NAME_REQUIRED = "보호자 성명을 입력해 주세요."
GUARDIAN_NAME_MISMATCH = "본인확인된 이름이 입력하신 보호자 성명과 다릅니다. 보호자 본인 명의로 인증해 주세요."
GUARDIAN_TOO_YOUNG = f"보호자(법정대리인)는 만 {_policy.GUARDIAN_MIN_AGE}세 이상이어야 합니다."
GUARDIAN_NOT_VERIFIED = "보호자(법정대리인)의 휴대폰 인증을 먼저 완료해 주세요."
GUARDIAN_SAME_AS_CHILD = "보호자와 가입자는 같은 사람일 수 없습니다. 가입자(어린이) 본인 명의로 인증해 주세요."

# Signup: terms
TERMS_REQUIRED = "필수 약관에 모두 동의해 주세요."

# Signup: 정보입력
LOGIN_ID_AVAILABLE = "사용 가능한 아이디입니다."
LOGIN_ID_TAKEN = "이미 사용 중인 아이디입니다. 다른 아이디를 입력해 주세요."
LOGIN_ID_NOT_CHECKED = "아이디 중복체크를 해 주세요."
PASSWORD_CONFIRM_REQUIRED = "비밀번호를 한 번 더 입력해 주세요."
PASSWORD_CONFIRM_MISMATCH = "비밀번호와 비밀번호 확인이 다릅니다. 같은 비밀번호를 입력해 주세요."
ADDRESS_REQUIRED = "주소찾기로 주소를 선택해 주세요."
ADDRESS_DETAIL_TOO_LONG = "상세주소는 100자 이하로 입력해 주세요."
BRANCH_REQUIRED = "가입도서관을 선택해 주세요."
SUBMIT_HAS_ERRORS = "입력 내용을 확인해 주세요. 아래 항목을 고치면 가입할 수 있습니다."
SOCIAL_ALREADY_LINKED = "이 SNS 계정은 이미 다른 회원 계정에 연동되어 있습니다."
SOCIAL_LINK_FAILED = "SNS 계정 연동을 완료하지 못했습니다. 다시 시도해 주세요."
ADDRESS_SEARCH_KEYWORD_REQUIRED = "도로명, 건물명 또는 동 이름을 입력해 주세요."
ADDRESS_SEARCH_NO_RESULT = "검색 결과가 없습니다. 도로명과 건물번호(예: 중부대로 1199)로 다시 검색해 주세요."
ADDRESS_SEARCH_UNAVAILABLE = "주소 검색 서비스에 연결할 수 없습니다. 잠시 후 다시 시도해 주세요."

# 온라인 정회원신청
MEMBERSHIP_CONSENT_REQUIRED = "개인정보 제공에 동의해야 비대면 자격확인을 할 수 있습니다. 동의란에 체크해 주세요."
LOAN_PASSWORD_FORMAT = "회원 대출 비밀번호는 숫자 4자리로 입력해 주세요."
LOAN_PASSWORD_MISMATCH = "회원 대출 비밀번호가 서로 다릅니다. 같은 숫자 4자리를 두 번 입력해 주세요."
MEMBERSHIP_OUTSIDE_GYEONGGI = (
    "온라인 정회원신청은 경기도에 주민등록이 되어 있는 분만 할 수 있습니다. "
    "용인시 소재 직장에 다니거나 학교에 다니는 분은 재직·재학 증명 서류와 신분증을 가지고 "
    "가까운 용인시 도서관을 방문하면 정회원으로 전환할 수 있습니다."
)
MEMBERSHIP_FOREIGN = (
    "외국인등록번호로는 비대면 자격확인 조회가 불가합니다. "
    "외국인등록증을 가지고 가까운 용인시 도서관을 방문하여 회원증을 발급받으세요."
)
MEMBERSHIP_NO_MATCH = "성명과 주민등록번호가 일치하지 않습니다. 주민등록번호 뒷자리를 다시 확인해 주세요."
MEMBERSHIP_UNAVAILABLE = "행정안전부 자격확인 서비스에 연결할 수 없습니다. 잠시 후 다시 시도해 주세요."
MEMBERSHIP_NOT_ALLOWED = "정회원신청은 준회원만 할 수 있습니다."

# 다자녀가정 회원전환
MULTICHILD_NEEDS_FULL = "다자녀가정 회원전환은 정회원만 신청할 수 있습니다. 먼저 온라인정회원신청으로 정회원이 되어 주세요."
MULTICHILD_PARENT_ONLY = "다자녀가정 회원 전환 신청은 부모회원만 진행 가능합니다. 어린이 회원은 부모님 계정에서 자녀신청으로 전환됩니다."
MULTICHILD_NO_MATCH = "성명과 주민등록번호가 일치하지 않습니다. 주민등록번호 뒷자리를 다시 확인해 주세요."
MULTICHILD_UNAVAILABLE = "행정안전부 자격확인 서비스에 연결할 수 없습니다. 잠시 후 다시 시도해 주세요."
MULTICHILD_FOREIGN = "외국인등록번호로는 비대면 자격확인 조회가 불가합니다. 가까운 용인시 도서관을 방문해 주세요."
CHILD_ROW_NO_MATCH = "입력하신 정보와 일치하는 정회원 자녀가 없습니다."
CHILD_ROW_HINT = "자녀가 아직 정회원이 아니면 회원가입과 온라인정회원신청을 먼저 한 뒤 신청해 주세요."
CHILD_ROW_REQUIRED = "자녀의 아이디와 이름을 모두 입력해 주세요."
CHILD_ROW_LOCKED = "자격확인을 여러 번 실패하여 잠시 확인할 수 없습니다. 30분 후에 다시 시도해 주세요."
CHILD_ROW_NOT_FOUND = "자녀 항목을 찾을 수 없습니다. 자녀신청을 처음부터 다시 해 주세요."
CHILD_ROWS_NOT_READY = "남은 자녀 항목을 모두 자격확인해야 신청할 수 있습니다. 신청하지 않을 자녀는 삭제해 주세요."
CHILD_ROWS_EMPTY = "신청할 자녀가 한 명 이상 있어야 합니다."
CHILD_ROW_CHANGED = "자격확인 이후 자녀의 회원정보가 바뀌어 신청할 수 없습니다. 다시 자격확인해 주세요."
APPLICATION_MISSING = "진행 중인 자녀신청이 없거나 1시간이 지나 만료되었습니다. 다자녀가정회원전환신청을 처음부터 다시 해 주세요."
SOCIAL_MEMBER_ALREADY_LINKED = "이미 연동된 계정이 있습니다. 다른 계정으로 바꾸려면 먼저 연동 해제를 해 주세요."
SOCIAL_LINK_REAUTH_REQUIRED = (
    "개인정보 보호를 위해 비밀번호를 다시 확인해 주세요. 확인 후 "
    f"{int(_policy.REAUTH_VALIDITY.total_seconds() // 60)}분 안에 SNS 계정 연동을 마쳐야 합니다."
)

# 회원정보 수정, 비밀번호 변경, 대출 비밀번호 변경, 회원탈퇴
ACCOUNT_SESSION_INVALID = "로그인 정보가 확인되지 않습니다. 다시 로그인해 주세요."
REAUTH_FAILED = (
    f"비밀번호가 올바르지 않습니다. {_policy.MAX_FAILED_LOGINS}번 잘못 입력하면 "
    f"{int(_policy.LOCKOUT_DURATION.total_seconds() // 60)}분 동안 로그인과 비밀번호 확인을 할 수 없습니다."
)
REAUTH_REQUIRED = (
    "개인정보 보호를 위해 비밀번호를 다시 확인해 주세요. 확인 후 "
    f"{int(_policy.REAUTH_VALIDITY.total_seconds() // 60)}분 동안 회원정보를 수정할 수 있습니다."
)
PROFILE_HAS_ERRORS = "입력 내용을 확인해 주세요. 아래 항목을 고치면 저장할 수 있습니다."
PROFILE_UPDATED = "회원정보를 수정했습니다."
CURRENT_PASSWORD_REQUIRED = "현재 비밀번호를 입력해 주세요."
CURRENT_PASSWORD_WRONG = REAUTH_FAILED
NEW_PASSWORD_SAME_AS_CURRENT = "새 비밀번호가 현재 비밀번호와 같습니다. 다른 비밀번호를 입력해 주세요."
PASSWORD_CHANGED = "비밀번호를 변경했습니다. 다른 기기와 브라우저에서는 로그아웃되었습니다."
LOAN_PASSWORD_NEEDS_FULL = "회원 대출 비밀번호는 회원증이 있는 정회원만 변경할 수 있습니다."
LOAN_CURRENT_REQUIRED = "현재 회원 대출 비밀번호 또는 홈페이지 비밀번호를 입력해 주세요."
LOAN_CURRENT_WRONG = (
    f"현재 회원 대출 비밀번호 또는 홈페이지 비밀번호가 올바르지 않습니다. {_policy.MAX_FAILED_LOGINS}번 잘못 "
    f"입력하면 {int(_policy.LOCKOUT_DURATION.total_seconds() // 60)}분 동안 로그인과 비밀번호 확인을 할 수 없습니다."
)
LOAN_PASSWORD_CHANGED = "회원 대출 비밀번호를 변경했습니다."
WITHDRAW_CONFIRM_REQUIRED = "탈퇴 안내를 확인했다는 항목에 체크해 주세요."
WITHDRAWN = "회원탈퇴가 완료되었습니다. 그동안 용인시도서관을 이용해 주셔서 감사합니다."

# 아이디 찾기, 비밀번호 재설정 (본인확인)
RECOVERY_METHOD_REQUIRED = "본인확인 방법(휴대폰, 아이핀, 카드)을 선택해 주세요."
RECOVERY_CHECK_MISSING = "본인확인 진행 정보가 없거나 10분이 지나 만료되었습니다. 처음부터 다시 진행해 주세요."
FIND_ID_NOT_FOUND = (
    "본인확인된 정보로 가입된 아이디가 없습니다. "
    "용인시도서관 회원이 아니면 회원가입을 해 주세요."
)
RESET_LOGIN_ID_REQUIRED = "아이디를 입력해 주세요."
# The same answer whether the ID does not exist or belongs to another person (never reveal which).
RESET_IDENTITY_MISMATCH = (
    "입력하신 아이디와 본인확인 정보가 일치하는 회원이 없습니다. "
    "아이디와 본인확인 정보를 다시 확인해 주세요."
)
RESET_NOT_VERIFIED = "본인확인을 먼저 완료해 주세요."
RESET_HAS_ERRORS = "입력 내용을 확인해 주세요. 아래 항목을 고치면 비밀번호를 재설정할 수 있습니다."
PASSWORD_RESET_DONE = (
    "비밀번호를 재설정했습니다. 새 비밀번호로 로그인해 주세요. "
    "다른 기기와 브라우저에서는 로그아웃되었습니다."
)
# A reset removes every SNS link (the account may have been taken over before it was recovered).
PASSWORD_RESET_DONE_LINKS_REMOVED = (
    PASSWORD_RESET_DONE + " 보안을 위해 연동되어 있던 SNS 계정(카카오, 네이버)의 연동도 해제했습니다. "
    "로그인한 뒤 SNS 계정 연동에서 다시 연동할 수 있습니다."
)

# Abuse limits (domain/rate_limits.py): templates, filled by the functions below.
CODE_SEND_COOLDOWN = "인증번호는 {seconds}초 후에 다시 받을 수 있습니다."
CODE_SEND_TOO_MANY = "인증번호 요청이 너무 많습니다. {clock} 이후에 다시 시도해 주세요."
LOGIN_ID_CHECK_TOO_MANY = "아이디 중복체크 요청이 너무 많습니다. {minutes}분 후에 다시 시도해 주세요."
LOGIN_THROTTLED = "로그인 시도가 너무 많습니다. {minutes}분 후에 다시 시도해 주세요."


def code_send_refused(decision: Decision) -> str:
    """인증번호 받기 refused by a limit (a rate_limits.Decision): the cooldown in seconds, the others
    with the time in Korea."""
    if decision.limit == _rate_limits.SMS_COOLDOWN:
        return CODE_SEND_COOLDOWN.format(seconds=decision.seconds_left())
    return CODE_SEND_TOO_MANY.format(clock=decision.retry_clock_kst())


def login_id_check_refused(decision: Decision) -> str:
    return LOGIN_ID_CHECK_TOO_MANY.format(minutes=decision.minutes_left())


def login_throttled(decision: Decision) -> str:
    return LOGIN_THROTTLED.format(minutes=decision.minutes_left())
