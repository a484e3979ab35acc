from django.db import models


class ApiToken(models.Model):
    name = models.CharField(max_length=100)
    token_prefix = models.CharField(max_length=8)
    token_hash = models.CharField(max_length=64)
    secret_last_rotated = models.DateTimeField(null=True)
    password_reset_token_expiry = models.DurationField()

    def __str__(self):
        return f"{self.name} ({self.token_prefix}...)"
