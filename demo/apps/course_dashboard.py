"""The demo's "Course dashboard": a tiny web app for jupyter-server-proxy.

Run as ``python -m course_dashboard PORT``; it answers every GET with one
page. Only members of the course get it in their server (see
demo/groups.yaml). It is the demo's, not the package's: the demo hub puts
this folder (demo/apps) on the ``PYTHONPATH`` of the servers it spawns
(demo/jupyterhub_config.py), and nothing else is in it, so that kernels see
no other module of the demo.
"""

import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PAGE = b"""<!doctype html>
<html><head><meta charset="utf-8"><title>Course dashboard</title></head>
<body><h1>Course dashboard</h1>
<p id="course">Class1234_Semester02: this week's exercises are in your home folder.</p>
</body></html>
"""


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(PAGE)))
        self.end_headers()
        self.wfile.write(PAGE)

    def log_message(self, format, *args):
        pass


if __name__ == "__main__":
    ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
