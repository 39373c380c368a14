"""User-facing Korean texts shared by the shell and the login page. Page-specific texts live with their page."""

LIBRARY_NAME = "용인시도서관"
SITE_TITLE = "용인시도서관 회원 서비스"
SKIP_TO_CONTENT = "본문 바로가기"

NAV_LOGIN = "로그인"
NAV_SIGNUP = "회원가입"
NAV_LOGOUT = "로그아웃"
NAV_ACCOUNT_EDIT = "정보수정"
NAV_MEMBERSHIP_APPLY = "온라인정회원신청"

MEMBER_MENU_TITLE = "회원정보"
MENU_ACCOUNT_EDIT = "정보수정"
MENU_PASSWORD_CHANGE = "비밀번호 변경"
MENU_LOAN_PASSWORD_CHANGE = "대출 비밀번호 변경"
MENU_SOCIAL_LINKS = "SNS 계정 연동"
MENU_MEMBERSHIP_APPLY = "온라인정회원신청"
MENU_MULTICHILD_APPLY = "다자녀가정회원전환신청"
MENU_WITHDRAW = "회원탈퇴"

SANDBOX_MARKER = "시험용 (sandbox)"
SANDBOX_NOTICE = "본인확인·자격확인·주소찾기·SNS 로그인은 시험용 서비스로 동작합니다. 실제 개인정보를 입력하지 마세요."

CONNECTION_LOST = "서버와 연결이 끊어졌습니다. 다시 연결하는 중입니다…"

IDLE_WARNING_TITLE = "자동 로그아웃 안내"
IDLE_WARNING_BODY = "30분 동안 이용이 없으면 자동으로 로그아웃됩니다. 계속 이용하시려면 연장 버튼을 눌러 주세요."
IDLE_EXTEND = "연장"
IDLE_REMAINING_PREFIX = "남은 시간"

# Login
LOGIN_TITLE = "로그인"
LOGIN_INTRO = "용인시도서관 홈페이지 회원 아이디로 로그인하세요."
LOGIN_ID_LABEL = "아이디"
LOGIN_PASSWORD_LABEL = "비밀번호"
LOGIN_SUBMIT = "로그인"
LOGIN_SUBMITTING = "로그인 중…"
LOGIN_FAILED = "아이디 또는 비밀번호가 올바르지 않습니다."
LOGIN_FAILED_HINT = "비밀번호를 5회 연속으로 틀리면 10분 동안 로그인할 수 없습니다."
LOGIN_EMPTY_FIELDS = "아이디와 비밀번호를 모두 입력해 주세요."
LOGIN_REQUIRED = "로그인이 필요한 서비스입니다. 로그인하면 이전 화면으로 돌아갑니다."
LOGIN_SESSION_EXPIRED = "오랫동안 이용하지 않아 로그아웃되었습니다. 다시 로그인해 주세요."
LOGGED_OUT = "로그아웃되었습니다."
LOGIN_NO_ACCOUNT = "아직 회원이 아니신가요?"
SHOW_PASSWORD = "비밀번호 보기"
HIDE_PASSWORD = "비밀번호 숨기기"

# Home
HOME_TITLE = "용인시도서관 회원 서비스"
HOME_WELCOME_GUEST = "회원가입 후 도서 대출, 예약, 상호대차 등 도서관 서비스를 이용할 수 있습니다."
HOME_GREETING_SUFFIX = "님, 반갑습니다."
HOME_GRADE_LABEL = "회원등급"
HOME_ASSOCIATE_HINT = "준회원은 홈페이지 서비스만 이용할 수 있습니다. 온라인정회원신청으로 도서관에 방문하지 않고 회원증을 발급받으세요."
HOME_GUARDIAN_PENDING = "보호자 방문 확인 전"
HOME_GUARDIAN_PENDING_HINT = "구비서류를 지참하고 도서관 자료실에 방문하여 보호자(법정대리인) 확인을 받아 주세요."
HOME_CARD_TITLE = "모바일 회원증"
HOME_CARD_LINK = "모바일 회원증 보기"

BACK_HOME = "처음으로"

# SNS login (Kakao / Naver)
OAUTH_TITLE = "SNS 계정 확인"
OAUTH_WORKING = "SNS 계정을 확인하고 있습니다…"
OAUTH_FAILED = "SNS 계정 확인을 완료하지 못했습니다. 요청이 만료되었거나 올바르지 않습니다. 다시 시도해 주세요."
LOGIN_SOCIAL_TITLE = "SNS 계정으로 로그인"
LOGIN_KAKAO = "카카오 로그인"
LOGIN_NAVER = "네이버 로그인"
LOGIN_SOCIAL_NOT_LINKED = (
    "이 SNS 계정과 연동된 회원이 없습니다. 아이디로 로그인한 뒤 SNS 계정 연동을 먼저 해 주세요. "
    "아직 회원이 아니면 회원가입할 때 연동할 수 있습니다."
)
LOGIN_SOCIAL_FAILED = "SNS 로그인을 완료하지 못했습니다. 잠시 후 다시 시도해 주세요."
# The account is password-locked: no more than the password login's hint says (LOGIN_FAILED_HINT).
LOGIN_SOCIAL_LOCKED = f"지금은 SNS 계정으로 로그인할 수 없습니다. {LOGIN_FAILED_HINT} 잠시 후 다시 시도해 주세요."
WELCOME_AFTER_SIGNUP = "회원가입이 완료되었습니다. 준회원으로 홈페이지 서비스를 이용할 수 있습니다."
FIND_ID_TITLE = "아이디 찾기"

# 모바일 회원증
CARD_TITLE = "모바일 회원증"
CARD_BARCODE_ALT = "회원증 바코드, 회원증번호"
CARD_NAME = "성명"
CARD_NUMBER = "회원증번호"
CARD_BRANCH = "가입도서관"
CARD_LOAN_LIMIT = "대출가능 권수"
CARD_NOTE = "도서관 데스크에서 이 화면의 바코드를 보여 주세요. 캡처한 이미지는 사용할 수 없습니다."
CARD_LOAN_LIMIT_DEFAULT = "{limit}권"
CARD_LOAN_LIMIT_MULTICHILD = "{limit}권 (다자녀가정, {expiry}까지)"
CARD_NONE = "아직 발급된 회원증이 없습니다. 온라인정회원신청으로 도서관에 방문하지 않고 회원증을 발급받을 수 있습니다."
CARD_SHOW = "모바일 회원증 보기"

# SNS 계정 연동
SOCIAL_LINKS_INTRO = "카카오 또는 네이버 계정을 연동하면 아이디와 비밀번호 대신 그 계정으로 로그인할 수 있습니다."
SOCIAL_LINKS_REAUTH = (
    "SNS 계정을 연동하면 그 계정으로 로그인할 수 있으므로 현재 비밀번호를 한 번 더 확인합니다. "
    "확인 후 10분 동안 연동할 수 있습니다."
)
SOCIAL_LINK = "계정연동"
SOCIAL_UNLINK = "연동 해제"
SOCIAL_LINKED_SINCE = "연동됨:"
SOCIAL_LINK_DONE = "{provider} 계정이 연동되었습니다."
SOCIAL_UNLINK_DONE = "{provider} 계정 연동을 해제했습니다."

# 비밀번호 변경 / 대출 비밀번호 변경 / 회원탈퇴
CHANGE = "변경"
CURRENT_PASSWORD = "현재 비밀번호"
NEW_PASSWORD = "새 비밀번호"
NEW_PASSWORD_CONFIRM = "새 비밀번호 확인"
NEW_PASSWORD_HINT = "※ 영문자(대소문자 구분), 숫자, 모든 특수문자 2가지 조합 시 10자 이상, 3가지 조합시 8자 이상"
PASSWORD_CHANGE_NOTE = "비밀번호를 바꾸면 지금 쓰는 화면을 뺀 다른 기기와 브라우저에서는 모두 로그아웃됩니다."
CURRENT_LOAN_PASSWORD = "현재 회원 대출 비밀번호"
CURRENT_LOAN_PASSWORD_HINT = "현재 회원 대출 비밀번호가 기억나지 않으면 홈페이지 비밀번호를 입력해도 됩니다."
NEW_LOAN_PASSWORD = "새 회원 대출 비밀번호"
NEW_LOAN_PASSWORD_CONFIRM = "새 회원 대출 비밀번호 확인"
LOAN_PASSWORD_HINT = "※ 등록/변경할 회원증 대출 비밀번호 숫자 4자를 두 번 입력하세요"
WITHDRAW_WHAT_TITLE = "탈퇴하면 이렇게 됩니다"
WITHDRAW_EXPLANATION = (
    "성명, 연락처, 주소, 이메일과 본인확인 정보(CI/DI)는 바로 삭제되어 같은 분이 다시 가입할 수 있습니다.",
    "아이디는 다른 사람이 쓰지 못하도록 남겨 두며, 다시 가입할 때는 새 아이디를 만들어야 합니다.",
    "발급된 회원증은 즉시 사용할 수 없게 되고, SNS 계정 연동과 다자녀가정 혜택도 해제됩니다.",
    "모든 기기와 브라우저에서 로그아웃됩니다.",
    "탈퇴 기록은 개인정보 없이 감사 기록으로만 남습니다.",
)
WITHDRAW_CONFIRM = "위 내용을 확인했으며 회원탈퇴에 동의합니다."
WITHDRAW_SUBMIT = "회원탈퇴"

# 아이디 찾기 / 비밀번호 재설정
RESET_PASSWORD_TITLE = "비밀번호 재설정"
RECOVERY_METHOD = "본인확인 방법"
RECOVERY_NAME = "이름"
RECOVERY_BIRTH = "생년월일 8자리"
RECOVERY_BIRTH_HINT = "예: 19900101"
RECOVERY_PHONE = "휴대폰 번호"
RECOVERY_PHONE_HINT = "예: 010-1234-5678"
RECOVERY_SANDBOX = "시험용 (sandbox) 본인확인입니다. 실제 본인확인 기관에 연결되지 않습니다."
RECOVERY_SEND = "인증번호 받기"
RECOVERY_SENT = "인증번호를 보냈습니다."
RECOVERY_SANDBOX_CODE = "시험용 인증번호"
RECOVERY_CODE = "인증번호"
RECOVERY_CONFIRM = "확인"
RECOVERY_START_OVER = "처음부터 다시"
FIND_ID_RESULT = "회원님의 아이디를 찾았습니다. 개인정보 보호를 위해 일부만 보여 드립니다."
FIND_ID_SIGNED_UP = "가입일"

# 정보수정
ACCOUNT_EDIT_REAUTH = "회원정보를 보호하기 위해 현재 비밀번호를 한 번 더 확인합니다. 확인 후 10분 동안 수정할 수 있습니다."
ACCOUNT_EDIT_IDENTITY_NOTE = "성명, 생년월일, 성별은 본인확인 결과이므로 바꿀 수 없습니다."
SAVE = "저장"

LOADING = "불러오는 중…"
