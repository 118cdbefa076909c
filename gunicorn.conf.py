"""Gunicorn settings; the bind address comes from the Procfile ($MAI_HOST:$PORT)."""
import multiprocessing
import os

# Two workers per core is plenty: pages are small reads from a local SQLite file.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2))
# Threads let a worker serve pages while another thread renders an uncached PDF.
threads = int(os.environ.get("MAI_THREADS", 4))
# PDF rendering of a full handout can take several seconds on a small machine.
timeout = 60
# Keep-alive helps phones on slow links reuse one connection for page + stylesheet.
keepalive = 5
# Load the app before forking: one copy of the code in memory, workers start fast.
preload_app = True
# Privacy: no client IP, user agent, referrer or query string (searches stay private).
accesslog = "-"
access_log_format = '"%(m)s %(U)s" %(s)s %(B)s %(M)sms'
errorlog = "-"
# gunicorn's own warnings name the client's address and quote the request line (search words
# included): mai_guides/web/private_log.py strips both before anything is written.
logger_class = "mai_guides.web.private_log.PrivateLogger"
# Recycle each worker after about 5,000 requests (the jitter keeps workers from restarting all at
# once): memory a long-lived worker gathers (fragmentation, WeasyPrint caches) is given back. Each
# worker keeps rendered pages in memory; a fresh one re-renders each page once on first request.
max_requests = 5000
max_requests_jitter = 500
# The app sits behind a proxy in production; trust its X-Forwarded-* only from localhost.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# The longest request line gunicorn accepts (its maximum): longer print-builder or search
# addresses reach the app and get its plain, localized 400 page instead of gunicorn's raw 414.
limit_request_line = 8190
# Threads as gunicorn would pick for threads > 1, plus one change: a request line longer still gets
# the app's 400 page in every language, not a raw 414 (mai_guides/web/gunicorn_worker.py).
worker_class = "mai_guides.web.gunicorn_worker.Worker"
# gunicorn 25+ opens a control socket by default, one path per user ($HOME/.gunicorn/gunicorn.ctl): a
# second instance (a test, a staging copy) takes it over and deletes it. Nothing here uses it.
control_socket_disable = True
# A worker whose memory grew past this after a request (a flood of PDF renders: WeasyPrint's layouts
# and font caches) finishes its requests and is replaced by a fresh one, as max_requests does.
worker_max_rss_mb = int(os.environ.get("MAI_WORKER_MAX_RSS_MB", 300))


def resident_mb() -> float:
    """This process's resident memory, from /proc (Linux), in MB."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def post_request(worker, _req, _environ, _resp):
    """Recycle a worker that grew past worker_max_rss_mb (logged without anything of the request)."""
    if worker.alive and resident_mb() > worker_max_rss_mb:
        worker.log.info("worker %s at %.0f MB, over %s MB: replacing it", worker.pid, resident_mb(), worker_max_rss_mb)
        worker.alive = False
