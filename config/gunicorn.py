"""gunicorn's settings for `make serve`.

Without make: `gunicorn --config config/gunicorn.py config.wsgi`. The few values a
site changes come from the environment or the same `.env` the Django settings read
(real environment variables win), documented in `.env.example`.
"""

import os
from pathlib import Path

import environ

env = environ.Env(
    GUNICORN_BIND=(str, "127.0.0.1:8000"),
    # gunicorn's own names for these two, so they mean what its documentation says.
    WEB_CONCURRENCY=(int, 0),
    FORWARDED_ALLOW_IPS=(str, "127.0.0.1,::1"),
)
ENV_FILE = env.str("ENV_FILE", default=str(Path(__file__).parent.parent / ".env"))
if Path(ENV_FILE).is_file():
    environ.Env.read_env(ENV_FILE, overwrite=False)

# Behind a reverse proxy on the same machine; a proxy elsewhere needs the address
# gunicorn can be reached at, e.g. 10.0.0.5:8000, and its own in FORWARDED_ALLOW_IPS.
bind = env("GUNICORN_BIND")
# gunicorn's rule of thumb, 2 × cores + 1, capped: each worker holds its own copy of
# the app, and a PDF render (WeasyPrint) takes tens of MiB more while it lasts.
workers = env("WEB_CONCURRENCY") or min(2 * (os.cpu_count() or 1) + 1, 8)
# Sync workers, one request at a time in a process's main thread: the report
# deadline (REPORT_RENDER_SECONDS, 20 s) needs that, and stops a slow report well
# before this timeout kills the worker without an answer.
worker_class = "sync"
timeout = 30
# The proxies whose X-Forwarded-Proto (and X-Forwarded-For) gunicorn believes.
forwarded_allow_ips = env("FORWARDED_ALLOW_IPS")
# One line per request on stdout (errors go to stderr): systemd's journal keeps both.
accesslog = "-"
# gunicorn's default line holds the request's query string and its referrer, where
# an admin search puts what was typed (`?q=` a recipient's name): the path only,
# the method, status, size and browser (README, "Recipients and their privacy").
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s "%(a)s"'
