import re
from argon2 import PasswordHasher

BCRYPT_RE = re.compile(r"^\$2[aby]\$\d{2}\$[./A-Za-z0-9]{53}$")
ph = PasswordHasher(time_cost=3, memory_cost=65536, parallelism=4)


def needs_rehash(stored: str) -> bool:
    return bool(BCRYPT_RE.match(stored)) or ph.check_needs_rehash(stored)
