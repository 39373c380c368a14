"""Texts of the staff console (사서·관리자)."""

TITLE = "직원용 회원 관리"
LOGIN_TITLE = "직원 로그인"
LOGIN_INTRO = "도서관 직원(사서·관리자) 계정으로 로그인하세요. 회원 계정으로는 들어올 수 없습니다."
LOGIN_ID = "직원 아이디"
PASSWORD = "비밀번호"
LOGIN = "로그인"
LOGIN_FAILED = "아이디 또는 비밀번호가 올바르지 않습니다."
SIGN_OUT = "로그아웃"
SIGNED_IN_AS = "로그인한 직원:"
NAV_SEARCH = "회원 조회"
NAV_AUDIT = "감사 로그"

SEARCH_TITLE = "회원 조회"
SEARCH_KIND = "검색 항목"
SEARCH_KINDS = (("login_id", "아이디"), ("name", "이름"), ("card_number", "회원증번호"), ("mobile_last4", "휴대폰 번호 끝 4자리"))
SEARCH_QUERY = "검색어"
SEARCH = "검색"
RESULTS = "검색 결과"
NO_RESULTS = "검색 결과가 없습니다."
COLUMNS = ("아이디", "이름", "휴대폰", "출생연도", "회원유형", "등급", "회원증번호", "열람")
OPEN = "열람"
PREVIOUS = "이전"
NEXT = "다음"
PAGE = "쪽"

REASON_TITLE = "열람 사유 선택"
REASON_INTRO = "회원의 개인정보를 열람하는 사유를 고르세요. 열람 기록(직원, 시각, 회원, 사유)이 남습니다."
REASON = "열람 사유"
CONFIRM = "확인"
CANCEL = "취소"

DETAIL_TITLE = "회원 상세"
FIELDS = (
    ("name", "이름"), ("login_id", "아이디"), ("birth_date", "생년월일"), ("sex", "성별"),
    ("member_type", "회원유형"), ("grade", "등급"), ("mobile", "휴대폰"), ("email", "이메일"),
    ("address", "주소"), ("branch", "가입도서관"), ("created_at", "가입일"), ("card_number", "회원증번호"),
    ("multichild", "다자녀 만료일"), ("guardian", "보호자"),
)
GUARDIAN_PENDING = "보호자 방문 확인 전"
GUARDIAN_CONFIRM = "보호자 방문 확인 기록"
CONVERT_TITLE = "방문 정회원 전환"
DOCUMENT = "확인한 서류"
LOAN_PASSWORD = "회원 대출 비밀번호 (숫자 4자리)"
CONVERT = "정회원 전환 및 회원증 발급"
REISSUE = "회원증 재발급 (분실)"
PREVIEW = "모바일 회원증 미리보기"
DONE = "처리했습니다."

PREVIEW_TITLE = "모바일 회원증 미리보기"
PREVIEW_INTRO = "회원이 휴대폰에서 보는 화면과 같은 회원증입니다. 폭 360·390·430px, 밝은 화면과 어두운 화면."
PREVIEW_FRAME = "{width}px, {mode}"
LIGHT = "밝은 화면"
DARK = "어두운 화면"
PRINT = "인쇄"
NO_CARD = "이 회원은 발급된 회원증이 없습니다."
PREVIEW_BAD_MEMBER = "회원 번호가 올바르지 않습니다. 회원 조회에서 회원을 열람한 뒤 미리보기를 여세요."
BACK_TO_SEARCH = "회원 조회로 돌아가기"

AUDIT_TITLE = "감사 로그"
AUDIT_COLUMNS = ("시각", "주체", "주체 번호", "작업", "대상 회원", "결과", "내용")
AUDIT_FILTERS = (
    ("audit_member", "대상 회원 번호", "text"),
    ("audit_actor", "주체 번호", "text"),
    ("audit_action", "작업 (예: staff.member_viewed)", "text"),
    ("audit_from", "시작일", "date"),
    ("audit_to", "종료일", "date"),
)
AUDIT_DATE_INVALID = "날짜를 YYYY-MM-DD 형식으로 입력해 주세요."
