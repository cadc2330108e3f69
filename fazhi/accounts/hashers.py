from django.contrib.auth.hashers import Argon2PasswordHasher


class FazhiArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2id with OWASP's 19 MiB / t=2 profile: Django's default 100 MiB per login would make a
    small township server swap when several people sign in at once. Older hashes upgrade on login."""

    time_cost = 2
    memory_cost = 19456
    parallelism = 1
