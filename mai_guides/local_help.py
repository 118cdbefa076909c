"""The deploying organization's own help line, and an organizer's for one print job.

The project invents no numbers: a hotline is local and changes, so the organization that deploys
or prints the guides supplies its own (MAI_ORG_NAME, MAI_HOTLINE, MAI_SMS, MAI_HOTLINE_HOURS,
MAI_ORG_URL; MAI_PHONE_REGION, "US" by default, reads numbers written without a country code).
Numbers are parsed and checked with `phonenumbers` (Google's libphonenumber data), kept in E.164
(+13125550199, for tel: and sms: links) and shown as people dial them at home ((312) 555-0199).
A bad setting stops the app or the build with a message naming it; unset, nothing local is shown.
"""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

import phonenumbers

SETTINGS = ("MAI_ORG_NAME", "MAI_HOTLINE", "MAI_SMS", "MAI_HOTLINE_HOURS", "MAI_ORG_URL")
DEFAULT_REGION = "US"
# Bounds that keep a card's help line to one or two lines at the legible minimum size.
MAX_NAME, MAX_HOURS, MAX_URL, MAX_NUMBER = 60, 40, 100, 30


class LocalHelpError(ValueError):
    """A setting or a print-form field that cannot be used; the message names it."""

    def __init__(self, setting: str, message: str):
        super().__init__(f"{setting}: {message}")
        self.setting = setting


@dataclass(frozen=True)
class LocalHelp:
    """A hotline to call (E.164), and what to print beside it."""

    hotline: str
    region: str = DEFAULT_REGION
    org_name: str = ""
    sms: str = ""
    hours: str = ""
    url: str = ""

    def shown(self, number: str) -> str:
        """The number as people dial it where the site is used: national format at home,
        international for a number of another country."""
        parsed = phonenumbers.parse(number)
        home = phonenumbers.region_code_for_number(parsed) == self.region
        style = phonenumbers.PhoneNumberFormat.NATIONAL if home else phonenumbers.PhoneNumberFormat.INTERNATIONAL
        return phonenumbers.format_number(parsed, style)

    @property
    def hotline_shown(self) -> str:
        return self.shown(self.hotline)

    @property
    def sms_shown(self) -> str:
        return self.shown(self.sms) if self.sms else ""

    @property
    def tel_uri(self) -> str:
        return f"tel:{self.hotline}"

    @property
    def sms_uri(self) -> str:
        return f"sms:{self.sms}" if self.sms else ""

    def fingerprint(self) -> str:
        """Everything printed, for the keys of what it changes (PDFs, card fit, content version)."""
        return "|".join((self.hotline, self.region, self.org_name, self.sms, self.hours, self.url))


def phone_number(value: str, setting: str, region: str) -> str:
    """A phone number as E.164, or a LocalHelpError naming the setting (or form field)."""
    value = value.strip()
    if len(value) > MAX_NUMBER:
        raise LocalHelpError(setting, f"a phone number has at most {MAX_NUMBER} characters")
    try:
        parsed = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException as exc:
        raise LocalHelpError(setting, f"{value!r} is not a phone number ({exc})") from exc
    if not phonenumbers.is_valid_number(parsed):
        raise LocalHelpError(setting, f"{value!r} is not a valid phone number in {region} or with its "
                                      "country code (write it as people dial it, e.g. (312) 555-0199 or +1 312 555 0199)")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def short_text(value: str, setting: str, limit: int) -> str:
    """One line of plain text, bounded: printed on cards of 3.5 x 2 inches."""
    value = " ".join(value.split())
    if len(value) > limit:
        raise LocalHelpError(setting, f"at most {limit} characters (it is printed on wallet cards); "
                                      f"this one has {len(value)}")
    return value


def web_address(value: str, setting: str) -> str:
    value = value.strip()
    parts = urlsplit(value)
    if parts.scheme not in ("https", "http") or not parts.hostname or len(value) > MAX_URL or " " in value:
        raise LocalHelpError(setting, f"{value!r} is not a web address like https://example.org "
                                      f"(at most {MAX_URL} characters)")
    return value


# The kinds of number phonenumbers counts as valid (is_valid_number: any type but UNKNOWN).
_NUMBER_TYPES = ("fixed_line", "mobile", "toll_free", "premium_rate", "shared_cost", "personal_number",
                 "voip", "pager", "uan", "voicemail")


def number_rules(region: str) -> dict:
    """phonenumbers' own rules for numbers of one region, for static/plan.js to check a family's
    contacts on the phone as MAI_HOTLINE is checked here: the country code, the national prefix
    dropped when parsing (the 1 of 1 312...), the national numbers it counts as valid (one regular
    expression, about 1 KB for the US), and every country calling code it knows."""
    meta = phonenumbers.PhoneMetadata.metadata_for_region(region)
    patterns = dict.fromkeys(desc.national_number_pattern for desc in (getattr(meta, kind) for kind in _NUMBER_TYPES)
                             if desc is not None and desc.national_number_pattern)
    return {"cc": str(meta.country_code), "prefix": meta.national_prefix_for_parsing or "",
            "valid": "|".join(patterns), "codes": " ".join(map(str, sorted(phonenumbers.COUNTRY_CODE_TO_REGION_CODE)))}


def region_setting(value: str | None) -> str:
    region = (value or DEFAULT_REGION).strip().upper()
    if region not in phonenumbers.SUPPORTED_REGIONS:
        raise LocalHelpError("MAI_PHONE_REGION", f"{value!r} is not a region code such as US, CA or MX")
    return region


def from_config(config) -> LocalHelp | None:
    """The deployment's help line from the MAI_ settings, or None when MAI_HOTLINE is unset;
    the others without it are a mistake (a name printed with no number to call)."""
    region = region_setting(config.get("MAI_PHONE_REGION"))
    values = {name: str(config.get(name) or "").strip() for name in SETTINGS}
    if not values["MAI_HOTLINE"]:
        given = [name for name in SETTINGS if values[name]]
        if given:
            raise LocalHelpError(given[0], "set MAI_HOTLINE too (the number to call), or unset this")
        return None
    return LocalHelp(
        hotline=phone_number(values["MAI_HOTLINE"], "MAI_HOTLINE", region), region=region,
        org_name=short_text(values["MAI_ORG_NAME"], "MAI_ORG_NAME", MAX_NAME),
        sms=phone_number(values["MAI_SMS"], "MAI_SMS", region) if values["MAI_SMS"] else "",
        hours=short_text(values["MAI_HOTLINE_HOURS"], "MAI_HOTLINE_HOURS", MAX_HOURS),
        url=web_address(values["MAI_ORG_URL"], "MAI_ORG_URL") if values["MAI_ORG_URL"] else "",
    )


def for_job(org_name: str, hotline: str, region: str) -> LocalHelp | None:
    """An organizer's name and hotline for one print job (form fields `org_name`, `hotline`), or
    None when both are empty; a LocalHelpError names the field."""
    org_name, hotline = (org_name or "").strip(), (hotline or "").strip()
    if not hotline:
        if org_name:
            raise LocalHelpError("hotline", "a name needs a number to call")
        return None
    return LocalHelp(hotline=phone_number(hotline, "hotline", region), region=region,
                     org_name=short_text(org_name, "org_name", MAX_NAME))


def init_app(app) -> None:
    """Read and check the settings once, at start: a wrong number never reaches a card."""
    app.extensions["mai_local_help"] = from_config(app.config)
    app.extensions["mai_phone_region"] = region_setting(app.config.get("MAI_PHONE_REGION"))
    # every page's `help_line`; a PDF passes its own (a print job's), which wins over this
    app.context_processor(lambda: {"help_line": app.extensions["mai_local_help"]})


def deployment_help(app) -> LocalHelp | None:
    return app.extensions.get("mai_local_help")


def help_fingerprint(app) -> str:
    """The deployment's help line as text for cache keys; empty when there is none."""
    found = deployment_help(app)
    return found.fingerprint() if found else ""
