"""Contact, address and 가입도서관 fields, shared by 회원가입 STEP 04 and 정보수정.

The form splits each value into parts (휴대폰 010 / 1234 / 5678, 이메일 local @ domain, …);
these functions judge the parts and give the canonical values to store in the Member columns.
Pure functions: no database, no clock.
"""

from __future__ import annotations

from typing import Any

from yongin_app.domain import messages as rule_messages, validators
from yongin_app.domain.branches import BRANCHES
from yongin_app.services import messages

MOBILE_PREFIXES = ("010", "011", "016", "017", "018", "019")
LANDLINE_AREA_CODES = (
    "02", "031", "032", "033", "041", "042", "043", "044", "051", "052", "053", "054", "055",
    "061", "062", "063", "064", "070",
)
BRANCH_CODES = frozenset(code for code, _ in BRANCHES)
ADDRESS_DETAIL_MAX = 100

# The text inputs of the contact part of the form, in the form's order.
CONTACT_FIELDS = (
    "mobile_prefix", "mobile_middle", "mobile_last", "email_local", "email_domain",
    "landline_area", "landline_middle", "landline_last", "postal_code", "road_address",
    "address_detail", "home_branch",
)
# The consent check boxes.
FLAG_FIELDS = ("sms_consent", "email_consent")
MAX_FIELD_LENGTH = 200


def cleaned_contact_values(raw: dict[str, Any]) -> dict[str, str]:
    """The contact inputs as strings, cut to a sane length and trimmed (상세주소 is kept as typed)."""
    values: dict[str, str] = {}
    for key in CONTACT_FIELDS:
        value = str(raw.get(key) if raw.get(key) is not None else "")[:MAX_FIELD_LENGTH]
        values[key] = value if key == "address_detail" else value.strip()
    return values


def joined_phone(values: dict[str, str], first: str, middle: str, last: str) -> str:
    return "-".join(values.get(key, "").strip() for key in (first, middle, last))


def contact_field_errors(values: dict[str, str]) -> dict[str, str]:
    """Messages keyed by mobile, email, landline, address, home_branch; {} when all are fine."""
    errors: dict[str, str] = {}
    mobile = joined_phone(values, "mobile_prefix", "mobile_middle", "mobile_last")
    if values.get("mobile_prefix", "") not in MOBILE_PREFIXES:
        errors["mobile"] = rule_messages.MOBILE_INVALID
    elif not values.get("mobile_middle") and not values.get("mobile_last"):
        errors["mobile"] = rule_messages.MOBILE_REQUIRED
    elif (mobile_error := validators.validate_mobile(mobile)) is not None:
        errors["mobile"] = mobile_error

    email_local, email_domain = values.get("email_local", "").strip(), values.get("email_domain", "").strip()
    if email_local or email_domain:
        email_error = validators.validate_email(f"{email_local}@{email_domain}")
        if email_error:
            errors["email"] = email_error

    if values.get("landline_middle") or values.get("landline_last"):
        if values.get("landline_area", "") not in LANDLINE_AREA_CODES:
            errors["landline"] = rule_messages.LANDLINE_INVALID
        else:
            landline = joined_phone(values, "landline_area", "landline_middle", "landline_last")
            if (landline_error := validators.validate_landline(landline)) is not None:
                errors["landline"] = landline_error

    if not values.get("postal_code") or not values.get("road_address"):
        errors["address"] = messages.ADDRESS_REQUIRED
    elif (postal_error := validators.validate_postal_code(values["postal_code"])) is not None:
        errors["address"] = postal_error
    elif len(values.get("address_detail", "")) > ADDRESS_DETAIL_MAX:
        errors["address"] = messages.ADDRESS_DETAIL_TOO_LONG

    if values.get("home_branch", "") not in BRANCH_CODES:
        errors["home_branch"] = messages.BRANCH_REQUIRED
    return errors


def normalized_contact(values: dict[str, str]) -> dict[str, str | None]:
    """The Member column values (mobile, email, landline, postal_code, road_address, address_detail,
    home_branch_code) for values that passed contact_field_errors; optional ones left blank are None."""
    email_local, email_domain = values.get("email_local", "").strip(), values.get("email_domain", "").strip()
    email = validators.normalize_email(f"{email_local}@{email_domain}") if email_local or email_domain else None
    has_landline = values.get("landline_middle") or values.get("landline_last")
    landline = validators.normalize_landline(
        joined_phone(values, "landline_area", "landline_middle", "landline_last")
    ) if has_landline else None
    return {
        "mobile": validators.normalize_mobile(joined_phone(values, "mobile_prefix", "mobile_middle", "mobile_last")),
        "email": email,
        "landline": landline,
        "postal_code": values["postal_code"],
        "road_address": values["road_address"],
        "address_detail": values.get("address_detail") or None,
        "home_branch_code": values["home_branch"],
    }
