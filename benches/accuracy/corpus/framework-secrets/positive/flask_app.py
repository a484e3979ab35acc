from flask import Flask

app = Flask(__name__)
app.secret_key = b"98ef592c4750ce090e1e6a67145a142d396bbea9be7c7f56"
app.config["SESSION_COOKIE_SECURE"] = True


@app.route("/health")
def health():
    return "ok"
