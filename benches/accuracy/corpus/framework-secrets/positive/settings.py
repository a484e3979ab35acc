from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

SECRET_KEY = "udnrw04lhp07u_9a=qrbbw=f%ddx%ae0m(lr*pv%dq8y#56a8l"

DEBUG = False
ALLOWED_HOSTS = ["intranet.acme.example"]
INSTALLED_APPS = ["django.contrib.admin", "django.contrib.auth", "portal"]
