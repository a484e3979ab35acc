from getpass import getpass
from werkzeug.security import generate_password_hash


def create_admin(db, email):
    password = getpass("New admin password: ")
    db.users.insert(email=email, password_hash=generate_password_hash(password), is_admin=True)
