"""Scrapy and project settings: the only place defaults live; override with -s on the CLI."""

BOT_NAME = "newscrawler"
SPIDER_MODULES = ["spiders"]
NEWSPIDER_MODULE = "spiders"

# --- Politeness and transport -------------------------------------------------------------
NEWS_CONTACT = "https://example.org/newscrawler"  # where site owners can reach the operator
USER_AGENT = f"newscrawler/0.1 (+{NEWS_CONTACT})"  # descriptive; names the contact
ROBOTSTXT_OBEY = True  # news sites' robots.txt Disallow must be honoured
CONCURRENT_REQUESTS = 16  # global cap on parallel downloads
CONCURRENT_REQUESTS_PER_DOMAIN = 4  # per-site cap, so one crawl never hammers a site
DOWNLOAD_DELAY = 0.25  # base politeness delay per site; tests pass 0
DOWNLOAD_TIMEOUT = 30  # seconds before a slow page is given up
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024  # bytes; bigger pages are not news articles
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024  # bytes; log pages this big
RETRY_ENABLED = True  # transient errors are retried
RETRY_TIMES = 2  # attempts after the first
RETRY_HTTP_CODES = [429, 500, 502, 503, 504, 522, 524, 408]  # statuses worth another try
COOKIES_ENABLED = False  # articles never need a session; avoids consent-wall loops
TELNETCONSOLE_ENABLED = False  # no listening port in cron jobs
REMOTE_CONTROL_ENABLED = False  # no listening HTTP control port either
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"  # current fingerprinting, no deprecation warning
FEED_EXPORT_ENCODING = "utf-8"  # keep Arabic readable in -O exports (no \uXXXX)
LOG_LEVEL = "INFO"  # progress lines and skip reasons are INFO
LOG_FORMATTER = "crawler.logformatter.NewsLogFormatter"  # one line per dropped item, no HTML dump

# --- Network safety (issue 8; README "What the crawler will not fetch") -------------------------
TWISTED_DNS_RESOLVER = "crawler.resolver.GuardedResolver"  # judges every address connected to
DOWNLOAD_HANDLERS = {"file": None, "data": None, "ftp": None, "s3": None}  # only http(s) fetched
SPIDER_MIDDLEWARES = {
    "crawler.middlewares.RequestSafetySpiderMiddleware": 1050,  # spider side: before all others
}
DOWNLOADER_MIDDLEWARES = {
    "crawler.middlewares.AddressGuardMiddleware": 40,  # before offsite (50) and robots.txt (100)
    "crawler.middlewares.ResolverRefusalMiddleware": 560,  # sees DNS errors before Retry (550)
}
EXTENSIONS = {"crawler.logscrub.CredentialScrubExtension": 0}  # no user:pass@ in any log line

ITEM_PIPELINES = {
    "crawler.pipelines.ExtractionPipeline": 300,
    "crawler.pipelines.LanguageFilterPipeline": 350,
    "crawler.pipelines.DedupPipeline": 400,
    "crawler.pipelines.SeedWriterPipeline": 500,
}

# --- Project settings (NEWS_*) -------------------------------------------------------------
NEWS_OUTPUT_DIR = "output"  # folder of NNN_<id>.txt files and manifest.jsonl
NEWS_STATE_PATH = ""  # SQLite state file; empty = <NEWS_OUTPUT_DIR>/.state.sqlite3
NEWS_MANIFEST_NAME = "manifest.jsonl"  # manifest file name inside NEWS_OUTPUT_DIR
NEWS_MIN_WORDS = 50  # bodies with fewer words are not articles
NEWS_INCLUDE_TABLES = True  # keep article tables (trafilatura option)
NEWS_LANGUAGES: list[str] = []  # ISO 639-1 allow-list; empty keeps every language
NEWS_LANGUAGE_SAMPLE_CHARS = 1000  # langdetect reads at most this much text (it is slow)
NEWS_NEAR_DUPLICATE_THRESHOLD = 0.8  # Jaccard of 5-word shingles (MinHash LSH); 0 = off
NEWS_NEAR_DUPLICATE_PERMUTATIONS = 128  # MinHash permutations: estimate error ~0.03, 1 KB each
NEWS_EXTRACT_WORKERS = "auto"  # extraction processes: "auto" = one per CPU, 0 = in-process
NEWS_EXTRACT_TIMEOUT = 60.0  # seconds a page may take in a worker before it is retried
NEWS_EXTRACT_FUNCTION = ""  # dotted path of the extractor; empty = extract_article
NEWS_ALLOW_PRIVATE_ADDRESSES = False  # True: discovered links may reach loopback/private/… hosts

# --- Distributed mode: scrapy-redis, active only when REDIS_URL is set (README "Workers") ----
ADDONS = {"crawler.distributed.addon.RedisAddon": 0}  # scrapy-redis when REDIS_URL is set
REDIS_URL = ""  # redis://host:port/db shared by N workers; empty = one process, SQLite state
NEWS_REDIS_PREFIX = ""  # Redis key prefix; empty = "newscrawler:" + the output folder's .corpus-id
NEWS_WORKER_ID = ""  # names this worker's manifest-<id>.jsonl; empty = <hostname>-<pid>
NEWS_REDIS_WORKER_TTL = 30  # seconds without a heartbeat after which a worker is presumed dead
