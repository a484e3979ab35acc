import re

GITHUB_CLASSIC = re.compile(r"^ghp_[A-Za-z0-9]{36}$")
GITHUB_FINE = re.compile(r"^github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}$")
STRIPE_LIVE_PREFIXES = ("sk_live_", "rk_live_")


def looks_like_github_token(value: str) -> bool:
    return bool(GITHUB_CLASSIC.match(value) or GITHUB_FINE.match(value))


def is_live_stripe_key(value: str) -> bool:
    return value.startswith(STRIPE_LIVE_PREFIXES)
