"""Korean texts of the signup wizard, from the manual's screens (section 01)."""

TITLE = "회원가입"
STEPS = (("STEP 01", "유형선택"), ("STEP 02", "본인확인"), ("STEP 03", "약관동의"), ("STEP 04", "정보입력"))
STEP_CURRENT = "현재 단계"

# STEP 01
TYPE_INTRO = "가입자의 나이에 따라 회원 유형을 선택해 주세요."
GENERAL_BUTTON = "일반 회원가입"
GENERAL_HINT = "14세 이상"
CHILD_BUTTON = "어린이 회원가입"
CHILD_HINT = "14세 미만"
RESUME_NOTICE = "작성 중인 회원가입이 있습니다."
RESUME_BUTTON = "이어서 하기"
LOGGED_IN_NOTICE = "이미 로그인되어 있습니다. 회원가입은 로그아웃 후에 할 수 있습니다."

# STEP 02: guardian
GUARDIAN_TITLE = "보호자(법정대리인)의 본인확인을 위한 페이지입니다."
GUARDIAN_NOTICES = (
    "14세 미만의 가입자가 회원가입하는 경우 법정대리인의 확인이 반드시 필요합니다.",
    "구비서류 지참 후 도서관 자료실을 방문하여 보호자(법정대리인)의 확인을 반드시 받으시기 바랍니다.",
)
GUARDIAN_INFO_TITLE = "보호자(법정대리인)의 정보입력"
GUARDIAN_NAME = "성명"
GUARDIAN_MOBILE = "휴대폰 번호"
GUARDIAN_VERIFY_BUTTON = "휴대폰 인증하기"
GUARDIAN_VERIFY_HINT = "보호자 본인 명의의 휴대폰으로 인증해 주세요. 인증된 이름이 위의 성명과 같아야 합니다."
GUARDIAN_VERIFIED = "보호자 본인확인이 완료되었습니다."
GUARDIAN_NEXT = "가입자 본인확인 페이지로"
GUARDIAN_NEXT_BLOCKED = "보호자의 휴대폰 인증을 마치면 누를 수 있습니다."

# STEP 02: the member's own verification
VERIFY_TITLE_GENERAL = "가입자 본인 명의의 휴대폰, 아이핀, 카드 인증 중에서 인증 방법을 선택해 주세요."
VERIFY_TITLE_CHILD = "가입자의 본인확인을 위한 페이지입니다."
VERIFY_NOTICES_CHILD = (
    "가입자 명의의 휴대폰 또는 아이핀 정보로 본인여부를 확인합니다.",
    "가입자의 본인확인이 완료되면 약관동의 페이지로 이동합니다.",
)
METHODS = (
    ("phone", "휴대폰 인증", "가입자 본인 명의의 휴대폰으로 본인여부를 확인합니다.", "휴대폰 인증하기"),
    ("ipin", "아이핀 인증", "발급받은 아이핀(i-PIN)으로 본인여부를 확인합니다.", "아이핀 인증하기"),
    ("card", "카드 인증", "가입자 본인 명의의 카드로 본인여부를 확인합니다.", "카드 인증하기"),
)
GO_CHILD_SIGNUP = "어린이 회원가입으로 이동"
GO_GENERAL_SIGNUP = "일반 회원가입으로 이동"
FIND_ID = "아이디 찾기"

# The sandbox verification screen
DIALOG_TITLES = {"phone": "휴대폰 본인확인", "ipin": "아이핀 본인확인", "card": "카드 본인확인"}
DIALOG_GUARDIAN_TITLE = "보호자(법정대리인) 휴대폰 본인확인"
DIALOG_SANDBOX = "시험용 (sandbox) 본인확인 화면입니다. 실제 본인확인 기관에 연결되지 않습니다."
DIALOG_NAME = "이름"
DIALOG_BIRTH = "생년월일 8자리"
DIALOG_BIRTH_HINT = "예: 19900101"
DIALOG_PHONE = "휴대폰 번호"
DIALOG_PHONE_HINT = "예: 010-1234-5678"
DIALOG_SEND = "인증번호 받기"
DIALOG_RESEND = "인증번호 다시 받기"
DIALOG_SENT = "인증번호를 보냈습니다."
DIALOG_SANDBOX_CODE = "시험용 인증번호"
DIALOG_CODE = "인증번호"
DIALOG_CONFIRM = "확인"
DIALOG_CLOSE = "닫기"

# STEP 03
TERMS_INTRO = "약관을 확인하고 동의해 주세요."
TERMS_NEXT = "다음 단계로"
TERMS_NEXT_BLOCKED = "필수 약관에 모두 동의해야 다음 단계로 이동할 수 있습니다."

# STEP 04
SOCIAL_TITLE = "SNS/포털 계정 연동"
SOCIAL_INTRO = "아래 SNS/포털 중에서 이용중인 계정을 연결 하면, 가입 후 SNS/포털 계정으로 로그인할 수 있습니다."
SOCIAL_PROVIDERS = (("kakao", "카카오", "카카오 계정연동"), ("naver", "네이버", "네이버 계정연동"))
SOCIAL_LINKED = "계정이 연동되었습니다"
SOCIAL_UNLINK = "연동 해제"
BASIC_TITLE = "기본정보 입력"
REQUIRED_NOTE = "*필수 입력 사항"
NAME = "성명"
BIRTH = "생년월일"
SEX = "성별"
LOGIN_ID = "아이디"
LOGIN_ID_HINT = "※ 영어 소문자 또는 영어소문자 및 숫자조합으로 4~20자"
ID_CHECK = "중복체크"
PASSWORD = "비밀번호"
PASSWORD_HINT = "※ 영문자(대소문자 구분), 숫자, 모든 특수문자 2가지 조합 시 10자 이상, 3가지 조합시 8자 이상"
PASSWORD_CONFIRM = "비밀번호 확인"
PASSWORD_CONFIRM_HINT = "※ 위의 비밀번호를 한번 더 입력해 주세요"
MOBILE = "휴대폰 번호"
MOBILE_PREFIX = "휴대폰 번호 앞자리"
MOBILE_MIDDLE = "휴대폰 번호 가운데 자리"
MOBILE_LAST = "휴대폰 번호 끝 4자리"
SMS_CONSENT = "SMS 수신동의"
MOBILE_NOTES = (
    "※ 휴대폰번호는 비밀번호 분실, 서비스 관련 메시지 전달 시 사용하므로 정확하게 입력하세요.",
    "※ SMS수신에 체크하지 않을 경우 반납일 안내, 연체 안내, 도서 예약 안내 서비스가 제한되어 도서관 이용이 불편하실 수 있습니다.",
)
EMAIL = "이메일"
EMAIL_LOCAL = "이메일 아이디"
EMAIL_DOMAIN = "이메일 도메인"
EMAIL_DOMAIN_SELECT = "이메일 도메인 선택"
EMAIL_DOMAIN_DIRECT = "직접입력"
EMAIL_DOMAINS = ("naver.com", "hanmail.net", "daum.net", "gmail.com", "nate.com", "kakao.com", "hotmail.com")
EMAIL_CONSENT = "이메일 수신동의"
EMAIL_NOTE = "※ 비밀번호 분실, 서비스 관련 메시지 전달 시 사용하므로 정확하게 입력하세요."
LANDLINE = "전화번호"
LANDLINE_AREA = "전화번호 지역번호"
LANDLINE_MIDDLE = "전화번호 가운데 자리"
LANDLINE_LAST = "전화번호 끝 4자리"
LANDLINE_NOTE = "※ 미동의시 도서대출/반납/예약 등의 문자발송 서비스가 제공되지 않습니다."
SELECT = "선택"
ADDRESS = "주소"
POSTAL_CODE = "우편번호"
ROAD_ADDRESS = "도로명주소"
ADDRESS_DETAIL = "상세주소"
ADDRESS_SEARCH = "주소찾기"
BRANCH = "가입도서관"
BRANCH_PLACEHOLDER = "가입도서관 선택"
OPTIONAL = "(선택)"
CANCEL = "취소"
AUTOSAVE_NOTE = "※ 입력한 내용은 자동으로 저장되어, 새로고침하거나 연결이 끊겨도 남아 있습니다 (비밀번호 제외, 1시간 보관)."
SUBMIT = "회원가입 확인"
SUBMITTING = "가입 처리 중…"
ERROR_SUMMARY_TITLE = "오류: 입력 내용을 확인해 주세요"

# 주소찾기 dialog
ADDRESS_DIALOG_TITLE = "주소찾기"
ADDRESS_KEYWORD = "도로명, 건물명 또는 동"
ADDRESS_KEYWORD_HINT = "예: 중부대로 1199, 수지로, 기흥역"
ADDRESS_SEARCH_BUTTON = "검색"
ADDRESS_CHOOSE = "선택"
ADDRESS_JIBUN = "지번"
ADDRESS_RESULTS = "검색 결과"

# 취소 confirmation
CANCEL_TITLE = "회원가입을 취소할까요?"
CANCEL_BODY = "지금까지 입력한 내용과 본인확인 결과가 모두 삭제됩니다."
CANCEL_CONFIRM = "회원가입 취소"
CANCEL_KEEP = "계속 작성"

WELCOME = "회원가입이 완료되었습니다. 준회원으로 홈페이지 서비스를 이용할 수 있습니다."
