"""The latency floor: a one-line Flask page on the same waitress set-up as
`portal-sim serve`. Prints the same "serving http://..." line when ready."""
import sys

from flask import Flask
from waitress import create_server

app = Flask(__name__)


@app.route("/")
def one_line():
    return "ok"


if __name__ == "__main__":
    import logging

    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    server = create_server(app, host="127.0.0.1", port=0, threads=8)
    print(f"floor: serving http://127.0.0.1:{server.effective_port}/ (one-line page)", flush=True)
    server.run()
