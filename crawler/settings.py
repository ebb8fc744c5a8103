"""Scrapy and project settings: the only place defaults live; override with -s on the CLI."""

BOT_NAME = "newscrawler"
SPIDER_MODULES = ["spiders"]
NEWSPIDER_MODULE = "spiders"

# --- Politeness and transport -------------------------------------------------------------
NEWS_CONTACT = "https://example.org/newscrawler"  # where site owners can reach the operator
USER_AGENT = "newscrawler/0.1 (+{contact})"  # {contact} <- NEWS_CONTACT (crawler.downloadermiddlewares.politeness)
ADDONS = {
    "crawler.extensions.politeness.ContactAddon": 0,  # fills {contact} after -s overrides
    "crawler.distributed.addon.RedisAddon": 0,  # scrapy-redis when REDIS_URL is set
}
ROBOTSTXT_OBEY = True  # news sites' robots.txt Disallow must be honoured
NEWS_OBEY_CRAWL_DELAY = True  # also robots.txt Crawl-delay, which Scrapy itself ignores
CONCURRENT_REQUESTS = 16  # global cap on parallel downloads
CONCURRENT_REQUESTS_PER_DOMAIN = 4  # per-site cap, so one crawl never hammers a site
CONCURRENT_ITEMS = 4  # outputs of one response handled at once; Scrapy starts this many tasks per response (default 100), a page yields one item
DOWNLOAD_DELAY = 0.25  # minimum delay per site (AutoThrottle's floor); tests pass 0
AUTOTHROTTLE_ENABLED = True  # adapt each site's delay to its response times
AUTOTHROTTLE_START_DELAY = 1.0  # seconds between requests to a site before any is measured
AUTOTHROTTLE_MAX_DELAY = 30.0  # seconds; the slowest AutoThrottle ever goes
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0  # average parallel requests per site it aims at
DOWNLOAD_TIMEOUT = 30  # seconds before a slow page is given up
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024  # bytes; bigger pages are not news articles
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024  # bytes; log pages this big
RETRY_ENABLED = True  # transient errors are retried
RETRY_TIMES = 2  # attempts after the first
RETRY_HTTP_CODES = [429, 500, 502, 503, 504, 522, 524, 408]  # statuses worth another try
RETRY_GIVE_UP_LOG_LEVEL = "DEBUG"  # the spider's errback logs the final failure once, by kind

NEWS_RETRY_BACKOFF_BASE = 2.0  # seconds before the 1st retry of a 429/503; doubles per retry
NEWS_RETRY_BACKOFF_MAX = 60.0  # seconds; cap of that backoff
NEWS_RETRY_AFTER_MAX = 120.0  # seconds; a longer Retry-After gives the page up for this run
LOGSTATS_INTERVAL = 60.0  # seconds between Scrapy's progress lines (pages/min, items/min)
COMMANDS_MODULE = (
    "crawler.commands"  # `crawl` with exit statuses for cron (crawler.commands.runstatus)
)
COOKIES_ENABLED = False  # articles never need a session; avoids consent-wall loops
TELNETCONSOLE_ENABLED = False  # no listening port in cron jobs
REMOTE_CONTROL_ENABLED = False  # no listening HTTP control port either
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"  # current fingerprinting, no deprecation warning
FEED_EXPORT_ENCODING = "utf-8"  # keep Arabic readable in -O exports (no \uXXXX)
LOG_LEVEL = "INFO"  # progress lines and skip reasons are INFO
LOG_FORMATTER = (
    "crawler.extensions.logformatter.NewsLogFormatter"  # one line per dropped item, no HTML dump
)

# --- Network safety (issue 8; README "What the crawler will not fetch") -------------------------
TWISTED_DNS_RESOLVER = (
    "crawler.safety.resolver.GuardedResolver"  # judges every address connected to
)
DOWNLOAD_HANDLERS = {"file": None, "data": None, "ftp": None, "s3": None}  # only http(s) fetched
SPIDER_MIDDLEWARES = {
    "crawler.spidermiddlewares.requestsafety.RequestSafetySpiderMiddleware": 1050,  # spider side: before all others
}

ITEM_PIPELINES = {
    "crawler.pipelines.extract.ExtractionPipeline": 300,
    "crawler.pipelines.extract.LanguageFilterPipeline": 350,
    "crawler.pipelines.select.SelectionPipeline": 400,  # age, a source's language, the caps
    "crawler.pipelines.store.StorePipeline": 500,  # the article store checks and writes
}
DOWNLOADER_MIDDLEWARES = {
    "crawler.downloadermiddlewares.archives.ArchiveMiddleware": 10,  # WARC files are streamed by the spider, not downloaded
    "crawler.downloadermiddlewares.requestsafety.AddressGuardMiddleware": 40,  # before offsite (50) and robots.txt (100)
    "crawler.downloadermiddlewares.incremental.KnownUrlMiddleware": 50,  # before robots.txt: known pages cost nothing
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,  # 2.19 skips Disallow
    "crawler.downloadermiddlewares.politeness.SafeRobotsTxtMiddleware": 100,  # ... for concurrent first requests
    "crawler.downloadermiddlewares.incremental.DocumentCacheMiddleware": 60,  # conditional GETs for sitemaps and feeds
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,  # replaced by the next line
    "crawler.downloadermiddlewares.politeness.RetryAfterMiddleware": 550,  # waits Retry-After / backoff on 429, 503
    "crawler.downloadermiddlewares.requestsafety.ResolverRefusalMiddleware": 560,  # sees DNS errors before Retry (550)
    "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,  # replaced by the next line
    "crawler.downloadermiddlewares.metarefresh.LazyMetaRefreshMiddleware": 580,  # decodes only pages that can refresh
    "crawler.downloadermiddlewares.warcarchive.WarcArchiveMiddleware": 595,  # NEWS_WARC_ARCHIVE: bodies before decompression (590)
}
EXTENSIONS = {
    "crawler.extensions.logscrub.CredentialScrubExtension": 0,  # no user:pass@ in any log line
    "crawler.extensions.guards.ResponseGuard": 0,  # stops non-HTML article downloads; counts redirect loops
    "crawler.store.articles.ArticleStore": 0,  # lock the output folder before anything runs
    "crawler.downloadermiddlewares.requestsafety.RefusalReporter": 0,  # refused URLs, counted once
    "crawler.extensions.politeness.CrawlDelayExtension": 500,  # robots.txt Crawl-delay as a slot floor
    "crawler.extensions.summary.CrawlSummary": 600,  # the one summary line at the end
    "crawler.extensions.shutdown.GracefulShutdown": 0,  # SIGINT/SIGTERM: bounded, resumable stop
    "crawler.extensions.ledger.LedgerRecorder": 10,  # every URL's fate and every run (scrapy report)
    "scrapy.extensions.logstats.LogStats": None,  # replaced by the next line
    "crawler.extensions.logstats.ArchiveLogStats": 0,  # Scrapy's periodic line, plus archive progress
    "crawler.extensions.archivepositions.ArchivePositions": 0,  # how far each archive is read, in the state
    "crawler.extensions.collector.CollectorTuning": 0,  # fewer young GC collections while crawling
}

# --- Project settings (NEWS_*) -------------------------------------------------------------
NEWS_OUTPUT_DIR = "output"  # folder of NNN_<id>.txt files and manifest.jsonl
NEWS_STATE_PATH = ""  # SQLite state file; empty = <NEWS_OUTPUT_DIR>/.state.sqlite3
NEWS_STATE_REBUILD = False  # True: set the state aside, rebuild it from the folder's manifest
NEWS_MANIFEST_NAME = "manifest.jsonl"  # manifest file name inside NEWS_OUTPUT_DIR
NEWS_SHUTDOWN_TIMEOUT = 30.0  # seconds from SIGINT/SIGTERM to exit; in-flight pages dropped at 80 %
NEWS_LEDGER = True  # record every URL's fate and every run in the state (scrapy report)

# --- Archives (WARC/ARC input, CC-NEWS) ------------------------------------------------------
NEWS_CC_NEWS_BASE = "https://data.commoncrawl.org"  # CC-NEWS path indexes and files
NEWS_ARCHIVE_TIMEOUT = 60.0  # seconds a streamed archive may stall before it is re-opened
NEWS_ARCHIVE_RETRIES = 5  # re-openings of a streamed archive (Range from the byte it broke at)
NEWS_ARCHIVE_BATCH = 32  # records read per trip to the reading thread
NEWS_ARCHIVE_CONCURRENT_ITEMS = 16  # CONCURRENT_ITEMS of archive runs (pages in the pipelines)
NEWS_WARC_ARCHIVE = False  # keep a WARC archive of fetched article pages in <output>/warc/
NEWS_WARC_ARCHIVE_DOCUMENTS = False  # ... and of sitemaps, feeds and section pages
NEWS_WARC_MAX_SIZE = 1024**3  # bytes; the archive file is closed and a new one started from here
NEWS_WARC_PREFIX = "newscrawler"  # archive file names: <prefix>-<UTC time>-<serial>.warc.gz

NEWS_MIN_WORDS = 50  # bodies with fewer words are not articles (unless the page shows it is one)
NEWS_MIN_BRIEF_WORDS = 20  # a short page that claims to be an article is one from here
NEWS_INCLUDE_TABLES = True  # keep article tables (trafilatura option)
NEWS_MAX_ELEMENTS = 50_000  # pages with more HTML elements are refused (extraction time)
NEWS_FALLBACK_MAX_ELEMENTS = 3_000  # above this, trafilatura's slow fallbacks are skipped
NEWS_MAX_TEXT_CHARS = 500_000  # main text longer than this is refused before cleaning
NEWS_LANGUAGES: list[str] = []  # ISO 639-1 allow-list; empty keeps every language
NEWS_LANGUAGE_SAMPLE_CHARS = 1000  # langdetect reads at most this much text (it is slow)
NEWS_LANGUAGE_DETECTOR = "fast"  # or "langdetect": same languages, fast is quicker (BENCHMARKS.md)
NEWS_NEAR_DUPLICATE_THRESHOLD = 0.8  # Jaccard of 5-word shingles (MinHash LSH); 0 = off
NEWS_NEAR_DUPLICATE_PERMUTATIONS = 128  # MinHash permutations: estimate error ~0.03, 1 KB each
NEWS_EXTRACT_WORKERS = "auto"  # extraction processes: "auto" = one per CPU, 0 = in-process
NEWS_EXTRACT_TIMEOUT = 60.0  # seconds a page may take in a worker before it is retried
NEWS_EXTRACT_FUNCTION = ""  # dotted path of f(body, url, options, content_type) -> Extraction; empty = crawler.extraction.article.extract_page
NEWS_ALLOW_PRIVATE_ADDRESSES = False  # True: discovered links may reach loopback/private/… hosts

# --- Distributed mode: scrapy-redis, active only when REDIS_URL is set (README "Workers") ----
REDIS_URL = ""  # redis://host:port/db shared by N workers; empty = one process, SQLite state
NEWS_REDIS_PREFIX = ""  # Redis key prefix; empty = "newscrawler:" + the output folder's .corpus-id
NEWS_WORKER_ID = ""  # names this worker's manifest-<id>.jsonl; empty = <hostname>-<pid>
NEWS_REDIS_WORKER_TTL = 30  # seconds without a heartbeat after which a worker is presumed dead
NEWS_REDIS_OUTAGE_TIMEOUT = 60.0  # seconds a worker waits for Redis to come back; then exit 69

NEWS_SOURCES = ""  # sources file (TOML, [[source]] tables); -a sources= sets it
NEWS_SINCE = ""  # YYYY-MM-DD; older articles are skipped when a date says so (-a since=)
NEWS_MAX_AGE_DAYS = 0  # skip articles older than this many days; 0 = no limit (-a max_age_days=)
NEWS_MAX_ARTICLES = 0  # stop after writing this many articles; 0 = no limit (-a limit=)
NEWS_SECTION_PAGES = 3  # pages of each section followed through its pagination
NEWS_NAVIGATION_SECTIONS = 12  # home page sections read when a site's sitemaps/feeds list none
NEWS_ARTICLE_PAGES = 10  # pages of one split article fetched and joined; 1 = first page only
NEWS_SITEMAP_MAXSIZE = 50 * 1024 * 1024  # bytes; the sitemap protocol's limit, also unzipped
