"""Scrapy settings for the nianbao crawler; `crawler.config.scrapy_settings` adds the run's own values."""

BOT_NAME = "nianbao"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

# Politeness: robots.txt, AutoThrottle, a few requests per portal at a time.
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 128
CONCURRENT_REQUESTS_PER_DOMAIN = 4
DOWNLOAD_DELAY = 0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
DOWNLOAD_TIMEOUT = 30
RETRY_ENABLED = True
RETRY_TIMES = 2
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
REDIRECT_MAX_TIMES = 5
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
DEPTH_LIMIT = 0  # bounded by the spider (discovery depth, list pages)
REACTOR_THREADPOOL_MAXSIZE = 8
TWISTED_DNS_RESOLVER = "crawler.netpolicy.PublicOnlyResolver"
LOG_LEVEL = "WARNING"
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"

DOWNLOADER_MIDDLEWARES = {
    "crawler.middlewares.ScopeMiddleware": 50,  # before robots.txt: out-of-scope hosts are not even asked
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.middlewares.BackoffRetryMiddleware": 550,  # Scrapy's retries, with exponential backoff
    "crawler.middlewares.EncodingMiddleware": 570,
    "crawler.middlewares.ConditionalMiddleware": 580,  # below HttpCompression (590): sees decoded bodies
    "crawler.middlewares.FetchLogMiddleware": 950,  # next to the downloader: every attempt, before retries
}
ITEM_PIPELINES = {"crawler.pipelines.ReportPipeline": 300}
EXTENSIONS = {"crawler.extensions.Progress": 500}
CONCURRENT_ITEMS = 1  # per response, which yields at most one report; Scrapy makes a task per slot

# Chromium only for requests flagged `playwright` (pages whose items are written by script).
DOWNLOAD_HANDLERS = {
    "http": "crawler.browser.SharedBrowserHandler",
    "https": "crawler.browser.SharedBrowserHandler",
}
PLAYWRIGHT_BROWSER_TYPE = "chromium"
PLAYWRIGHT_LAUNCH_OPTIONS = {
    "executable_path": "/usr/bin/chromium",
    "headless": True,
    "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
             "--disable-sync", "--no-first-run"],
}
PLAYWRIGHT_MAX_CONTEXTS = 1
PLAYWRIGHT_MAX_PAGES_PER_CONTEXT = 4
PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT = 30_000
PLAYWRIGHT_ABORT_REQUEST = "crawler.browser.skip_decoration"
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"

NIANBAO_DISCOVERY_DEPTH = 3
NIANBAO_MAX_LIST_PAGES = 200
NIANBAO_BROWSER = True
NIANBAO_PROGRESS_INTERVAL = 5.0
NIANBAO_FETCH_BATCH = 200
NIANBAO_RETRY_BACKOFF = 1.0  # seconds before the first retry; doubled for each further one
NIANBAO_RETRY_BACKOFF_MAX = 30.0
# Known report documents are fetched again (conditionally: unchanged costs a 304) once their last check is
# this many days old (0: every crawl), oldest first, at most NIANBAO_REVALIDATE_MAX per crawl: up to 1 a
# fraction of the stored report documents (1 = all of them), above 1 a count.
NIANBAO_REVALIDATE_AFTER_DAYS = 7.0
NIANBAO_REVALIDATE_MAX = 0.05
