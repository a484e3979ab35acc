import getpass

password = getpass.getpass("Password: ")
PASSWORD_FIELD = "password"
MIN_PASSWORD_LENGTH = 12
password_label = "Password"
