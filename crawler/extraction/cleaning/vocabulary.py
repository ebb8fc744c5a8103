"""The one vocabulary of news-site page furniture, in English and Arabic.

Only general phrases live here, each seen across many sites ("Recent Posts", "Leave a Reply",
"اقرأ أيضا", "اترك تعليقاً"): never a site's name or a phrase from one page. Where a match
counts (how short the line, where on the page) is decided in ``lines`` and ``tail``.
"""

from __future__ import annotations

import re

from crawler.extraction.cleaning.keywords import KeywordRegex

_SOCIAL_NAMES = (
    "facebook", "twitter", "instagram", "youtube", "linkedin",
    "tiktok", "telegram", "whatsapp", "snapchat", "x",
)  # fmt: skip
_SOCIAL = f"(?:{'|'.join(_SOCIAL_NAMES)})"

# A line that speaks to the reader about the page, not about the news: dropped wherever it
# stands when it is short (``lines.MAX_WIDGET_WORDS``).
WIDGET = KeywordRegex(
    (
        # comment forms
        (("email address",), r"your email address will not be published"),
        (("required fields",), r"required fields are marked"),
        (("save my name",), r"save my name, email"),
        (("notify me of",), r"notify me of (?:follow-up|new) "),
        (("لن يتم نشر",), r"لن يتم نشر عنوان بريدك"),
        (("الحقول",), r"الحقول الإلزامية|الحقول المطلوبة"),
        # cookie banners
        (
            ("cookies",),
            r"we use cookies|this (?:site|website) uses cookies|accept (?:all )?cookies",
        ),
        (("نستخدم ملفات",), r"نستخدم ملفات (?:تعريف|الكوكيز)"),
        # newsletters and subscriptions
        (
            ("newsletter",),
            (
                r"\bnewsletters?\b.*\b(?:sign|subscribe|inbox|free|daily|weekly|deliver|get)"
                r"|get our .{0,30}newsletter"
            ),
        ),
        (
            ("sign", "subscri"),
            r"\b(?:sign(?:ing)? up|subscribe|subscription)\b.*\b(?:newsletter|inbox|today|free)\b",
        ),
        (("sign up", "subscribe"), r"^(?:sign up|subscribe)(?: now| today| here)?\W*$"),
        (("subscribe",), r"subscribe (?:today|now)\b"),
        (("signing up", "subscribing"), r"thanks? (?:you )?for (?:signing up|subscribing)"),
        (("by signing up",), r"by signing up,? you agree"),
        (("unsubscribe at any time",), r"unsubscribe at any time"),
        (("already a subscriber",), r"already a subscriber"),
        (("become a",), r"become a (?:member|subscriber)"),
        (("journalism",), r"support (?:local|independent|quality|our) journalism"),
        (("error", "try again"), r"error (?:has occurred|processing your)|please try again"),
        # page tools and footers
        (
            ("print", "mail this"),
            r"^(?:order )?reprints?$|^print(?: this)? (?:article|page)$|^e-?mail this article$",
        ),
        (("click here", "tap here"), r"\bclick here\b|\btap here\b"),
        (("delivered",), r"delivered (?:to|through) your (?:door|inbox)"),
        (("all rights reserved",), r"all rights reserved"),
        (("©",), r"©"),
        (("copyright",), r"copyright \d{4}"),
        (("powered by",), r"proudly powered by|powered by wordpress"),
        # follow us, share, contact lines
        (("follow",), rf"\bfollow us on\b|\bfollow \w+(?: \w+)? on\b.*\b{_SOCIAL}\b"),
        (
            _SOCIAL_NAMES,
            rf"\b{_SOCIAL}\W+(?:and\W+|,\W*)?{_SOCIAL}\W+(?:and\W+|,\W*)?{_SOCIAL}\b",
        ),
        (("share on",), r"share on (?:facebook|twitter|whatsapp)"),
        (("@",), r"\b(?:write to|reach(?:ed)?|contact|e-?mail)\b.*[\w.+-]+@[\w-]+\.\w"),
        (("have a",), r"^have a (?:news )?tip\b"),
        # teaser labels
        (
            ("miss", "see more", "more:", "most popular", "recommended"),
            r"^(?:don[’']?t miss|see more|more:|most popular|recommended(?: for you)?)\W*$",
        ),
        # Arabic: comment forms, "subscribe (to the newsletter)", "follow us on", "download the
        # app", "click here", "don't miss", "send to a friend", "print", "share on", copyright
        (
            ("اشترك", "للاشتراك"),
            (
                r"اشترك(?:وا)? (?:الآن|معنا|في .{0,30}(?:النشرة|نشرتنا|قناتنا|القائمة))"
                r"|للاشتراك (?:في|ب)"
            ),
        ),
        (("النشرة", "القائمة البريدية"), r"النشرة (?:البريدية|الإخبارية)|القائمة البريدية"),
        (("تابع", "تطبيق"), r"تابع(?:ونا|نا) (?:على|عبر|في)|حمّ?ل(?:وا)? تطبيق"),
        (
            ("هنا", "لا تفوت", "صديق", "طباعة", "رسل الخبر", "رسل المقال"),
            r"(?:انقر|اضغط) هنا|^لا تفوت\W*$|أرسل(?: إلى)? صديق|^طباعة$|^(?:أرسل|ارسل) (?:الخبر|المقال)",
        ),
        (("شارك على",), r"شارك على (?:فيسبوك|تويتر|واتساب)"),
        (("جميع الحقوق محفوظة",), r"جميع الحقوق محفوظة"),
        # comment policies: "the views expressed in comments are the readers' own"
        (
            ("expressed",),
            r"(?:views|opinions) expressed (?:in|by) (?:the |these |our )?(?:comments?|readers?|users?)",
        ),
        (
            ("comments are", "comment policy"),
            r"comments are (?:moderated|the responsibility)|comment policy",
        ),
        (
            ("لا تعبر", "لا تعكس", "لا يعبر"),
            (
                r"(?:التعليقات|التعليق)\s.{0,40}(?:لا تعبر|لا تعكس|لا يعبر) (?:عن|بالضرورة)"
                r"|(?:الآراء|المقالات) الواردة .{0,30}(?:لا تعبر|لا تعكس) (?:عن|بالضرورة)"
            ),
        ),
        # paywalls and legal lines: "subscribe to continue reading", "may not be reproduced"
        (
            ("reading",),
            (
                r"(?:subscribe|sign in|log in|register) to (?:continue|keep) reading"
                r"|to (?:continue|keep) reading,? (?:please )?(?:subscribe|sign in|log in|register)"
            ),
        ),
        (("subscribers",), r"\b(?:for|to) (?:paying )?subscribers only\b|^subscribers only\b"),
        (
            ("article limit", "free article"),
            r"reached your (?:free )?article limit|free articles? (?:left|remaining)",
        ),
        (
            ("may not be",),
            r"may not be (?:published|reproduced|republished|redistributed|copied|rewritten)",
        ),
        (
            ("donat",),
            (
                r"^(?:please )?(?:donate|make a donation)\b|\bdonate (?:now|today)\b"
                r"|support (?:us|our work) (?:with|by making) a donation"
            ),
        ),
        (
            ("تبرع", "ادعم"),
            r"تبرع(?:وا)? (?:الآن|لنا)|ادعم(?:وا)? (?:الموقع|صحافتنا|الصحافة المستقلة)",
        ),
        (("للمشتركين",), r"(?:حصري|متاح|مخصص|متوفر)(?:ة)? (?:فقط )?للمشتركين"),
        (
            ("نسخ", "إعادة نشر", "اعادة نشر"),
            r"(?:يمنع|يحظر|لا يجوز|ممنوع) (?:منعا باتا )?(?:نسخ|إعادة نشر|اعادة نشر|اقتباس)",
        ),
    )
)
# Tokens that separate menu entries and breadcrumbs ("Home | News | Sport", "Home » World").
MENU_SEPARATORS = frozenset("|»«›‹•·>/")
# Section labels of teaser lists run together: "headline [VIDEO] | headline [ANALYSIS]".
BRACKET_LABEL = re.compile(r"\[\s*[A-Z][A-Z ]{2,}\s*\]")

# Headings or lines that open a block of non-article material which runs to the end. Share
# bars and newsletter boxes are not among them: they also stand in the middle of articles.
TAIL_MARKERS = re.compile(
    r"^(?:recent posts?|related (?:posts?|articles?|stories|news|content|coverage)|"
    r"more (?:from|on|stories|news|in)\b.*|most (?:read|popular|viewed|shared)|"
    r"(?:you )?(?:may|might) (?:also )?(?:like|enjoy|be interested in).*|"
    r"read (?:more|next)|also read|trending(?: now)?|popular (?:posts|stories)|"
    r"latest (?:news|posts|stories|articles)|"
    r"leave a (?:reply|comment)|post a comment|add (?:a )?comment|\d* ?comments?|"
    r"join the (?:conversation|discussion)|comments are closed.*|"
    r"tags?|filed under|topics?|"
    r"آخر (?:الأخبار|المقالات|المواضيع|التدوينات)|أحدث (?:الأخبار|المقالات|المواضيع)|"
    r"الأكثر (?:قراءة|مشاهدة|تداولا|تداولاً)|(?:مقالات|مواضيع|أخبار|مواد) (?:ذات صلة|متعلقة|مشابهة)|"
    r"(?:قد )?يهمك أيضا|ننصحك بقراءة|اقرأ المزيد|"
    r"اترك (?:تعليقا|تعليقاً|تعليق|رد|ردا|رداً)|أضف تعليق(?:ا|اً|ك)?|التعليقات|"
    r"تعليقات(?: الزوار| القراء)?|"
    r"الوسوم|الكلمات (?:الدالة|المفتاحية)|كلمات مفتاحية)$",
    re.IGNORECASE,
)
# Punctuation a tail heading may end with ("Related articles:", "Read more …").
TAIL_MARKER_TRAILING = " :.-–…"
# Headings that open a box inside the body: the box ends at the next real paragraph.
BOX_MARKERS = re.compile(
    r"^(?:اقرأ (?:أيضا|أيضاً|ايضا|ايضاً|كذلك)|إقرأ (?:أيضا|أيضاً|ايضا)|طالع (?:أيضا|أيضاً)|"
    r"شاهد (?:أيضا|أيضاً)|اقرأ|read also|see also|related|related:|more:|"
    r"read more|also read|recommended|watch|listen|"
    # the same labels in the other languages of the pages crawled and measured: Arabic,
    # Persian and Urdu lists of related news; German, French, Spanish, Portuguese, Italian
    # and Polish "read also", "related articles", "you may also like"
    r"(?:مواضيع|أخبار|اخبار) ذات صلة|(?:همچنین|بیشتر) بخوانید|(?:مطالب|اخبار) مرتبط|"
    r"یہ بھی پڑھیں|مزید پڑھیں|متعلقہ خبریں|"
    r"lesen sie (?:auch|mehr)|lies auch|auch interessant|schon gelesen|mehr zum thema|"
    r"weitere (?:artikel|themen|beiträge|nachrichten)|mehr themen|zum weiterlesen|"
    r"passend (?:dazu|zum thema)|(?:verwandte|ähnliche) (?:artikel|beiträge|themen)|"
    r"(?:das|dies|das thema|diese artikel)?\s*(?:könnte|könnten|dürfte|dürften) "
    r"(?:sie|dich|euch) (?:auch|ebenfalls) interessieren|"
    r"(?:à |a )?lire (?:aussi|également)|voir aussi|sur le même sujet|"
    r"le[ae] (?:también|tambien)|(?:también )?(?:te|le) puede interesar|"
    r"(?:notas|noticias|artículos) relacionad[oa]s|leia (?:também|mais)|veja também|"
    r"leggi anche|potrebbe interessarti|(?:czytaj|zobacz|przeczytaj) (?:też|także))"
    r"\s*[:?]?\s*",
    re.IGNORECASE,
)
# A line that is only an advertising label.
AD_LABEL = re.compile(
    r"^(?:advertisement|advertising|sponsored(?: content)?|ad|"
    r"(?:story|article) continues (?:below|after) (?:this )?(?:advertisement|ad)|"
    r"إعلان|اعلان|مساحة إعلانية|محتوى (?:مدفوع|ممول))$",
    re.IGNORECASE,
)
RELATIVE_TIME = re.compile(
    r"^(?:\d+|an?|one|منذ)?\s*(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?|"
    r"ثوان|ثانية|دقيقة|دقائق|ساعة|ساعات|ساعتين|يوم|أيام|يومين|أسبوع|أسابيع|أسبوعين|"
    r"شهر|أشهر|شهرين|سنة|سنوات|سنتين|عام|أعوام|عامين)\s*(?:ago|مضت)?\s*$"
    r"|^\S+\s+ago$|^منذ\s+\S+(?:\s+\S+)?$",
    re.IGNORECASE,
)
# A relative time in a line ("2 hours ago", "منذ 3 ساعات", "vor 3 Stunden"; a bare "منذ يوم"
# only at the end, since "منذ يوم الأحد" is prose): the stamp of a teaser in a list of
# headlines (``pagetype`` counts them).
RELATIVE_TIME_MENTION = KeywordRegex(
    (
        (
            ("ago",),
            (
                r"\b(?:\d+|an?|one)\s+(?:seconds?|mins?|minutes?|hours?|hrs?|days?|weeks?|months?)"
                r"\s+ago\b"
            ),
        ),
        (
            ("منذ",),
            (
                r"منذ\s+\d+\s+(?:ثوان|ثانية|دقيقة|دقائق|ساعة|ساعات|يوم|أيام|أسبوع|أسابيع|شهر|أشهر)"
                r"(?!\w)"
            ),
        ),
        (("منذ",), r"منذ\s+(?:دقيقة|دقيقتين|ساعة|ساعتين|يوم|يومين|أسبوع|أسبوعين)\s*$"),
        (("پیش", "قبل"), r"\d+\s+(?:ثانیه|دقیقه|ساعت|روز|هفته|ماه)\s+(?:پیش|قبل)"),
        (("il y a",), r"\bil y a\s+\d+\s+(?:minutes?|heures?|jours?)\b"),
        (("vor",), r"\bvor\s+\d+\s+(?:Minuten|Stunden|Tagen)\b"),
        (("hace",), r"\bhace\s+\d+\s+(?:minutos?|horas?|días?)\b"),
        (("önce",), r"\b\d+\s+(?:dakika|saat|gün)\s+önce\b"),
    )
)
BYLINE = re.compile(
    r"^(?:by|written by|reporting by|words by|بقلم|كتب(?:ت)?|كتبه|إعداد|اعداد|تقرير|"
    r"محرر|المحرر|مراسل|مراسلنا|من)\s*[:/\-–]?\s*\S",
    re.IGNORECASE,
)
# Agency credit lines at the foot of wire copy: "(Reporting by …; Editing by …)".
CREDIT_LINE = re.compile(
    r"^\(\s*(?:(?:additional )?reporting|writing|editing|compiled|produced|graphics|research|"
    r"translated|إعداد|تحرير|ترجمة|شارك في التغطية)\b[^()]*\)$|"
    r"^(?:(?:additional )?reporting|writing|editing) by\b[^.!?;]*"
    r"(?:;\s*(?:(?:additional )?reporting|writing|editing) by\b[^.!?;]*)+\.?$",
    re.IGNORECASE,
)
CREDIT = re.compile(
    r"(?:^|[\s\-–(|])(?:photo|image|picture|credit|source|getty images|afp|reuters|ap photo|"
    r"صورة|الصورة|تصوير|المصدر|أرشيفية|ارشيفية|مصدر الصورة)\s*(?:[:/)]|$)",
    re.IGNORECASE,
)
# Words of a photo credit, as fingerprints spell them (lower case, no punctuation): what a
# caption printed twice, once with its credit and once without, differs by.
CREDIT_WORDS = frozenset(
    {
        "photo", "photos", "image", "picture", "credit", "source", "getty", "afp", "reuters",
        "ap", "epa", "foto", "bild", "صورة", "الصورة", "تصوير", "المصدر", "عکس", "منبع", "تصویر",
    }
)  # fmt: skip
# Marks that set a photo credit apart from the caption it closes ("Crowds - Photo: AFP").
CREDIT_SEPARATORS = (" - ", " – ", "|")
SOURCE_SIGNATURE = re.compile(
    r"^(?:المصدر|مصدر|source|sources|وكالات|agencies|the\s+\w+\s+contributed.*)\s*[:\-–]?",
    re.IGNORECASE,
)
# A closing line that is only a parenthesised agency or desk name: "(AFP)", "(Reuters)".
PARENTHESISED = re.compile(r"^[-–—\s]*\(\s*\w+(?:[\s.]+\w+){0,2}\s*\)\.?$")
# The same credit run on at the end of the last paragraph, after its final sentence:
# "… لتنظيم السير.--(بترا)", "… the company said. (AFP)".
TRAILING_CREDIT = re.compile(r"(?<=[.!?؟۔»”\"])[\s\-–—]*\(\s*\w+(?:[\s.]+\w+){0,2}\s*\)\.?$")
# Contact details of the reporter or the newsroom: an e-mail address, or a handle after a
# "contact / follow / reach" verb (an embedded post that mentions a handle is not one).
CONTACT = re.compile(
    r"[\w.+-]+@[\w-]+\.[\w.-]+|"
    r"^(?:contact|follow|reach|e-?mail|write to|you can (?:reach|follow|contact)|للتواصل|تابعوا|"
    r"تابع)\b.*(?:^|\s)@\w{2,}",
    re.IGNORECASE,
)
# Print / e-mail / view-count tool rows of legacy article templates.
TOOLS_LINE = re.compile(
    r"^(?:(?:print|email|e-mail|send to a friend|طباعة|أرسل(?: لصديق| الخبر)?|"
    r"نسخة للطباعة|عدد (?:القراءات|المشاهدات|الزيارات)|views|reads)\b[\s:|\d,.]*)+$",
    re.IGNORECASE,
)
# A line made only of share-button labels ("Share this article Facebook Twitter Email").
SHARE_BAR = re.compile(
    r"^(?:(?:share|share this(?: article| story| post)?|facebook|twitter|x|whatsapp|telegram|"
    r"linkedin|pinterest|reddit|email|e-mail|print|copy link|messenger|tweet|"
    r"فيسبوك|فيس بوك|تويتر|واتساب|تلغرام|تيليجرام|لينكدإن|شارك|شارك المقال|مشاركة|طباعة|"
    r"نسخ الرابط|غرد)[\s:|·•,/-]*)+$",
    re.IGNORECASE,
)
# A label line introducing tags or categories ("Tags: a, b", "Posted in Sport", "الوسوم: …").
TAG_LINE = re.compile(
    r"^(?:tags?|tagged(?: with)?|topics?|keywords|filed under|posted in|categories|category|"
    r"الوسوم|وسوم|الكلمات (?:الدالة|المفتاحية)|كلمات (?:مفتاحية|دالة)|التصنيفات?|"
    r"مواضيع ذات صلة)\s*:?\s",
    re.IGNORECASE,
)
# Comment metadata: "JimR says:", "Reply".
COMMENT_META = re.compile(
    r"^(?:\S+(?: \S+){0,3} says:?|reply|رد|الرد|report|إبلاغ)$", re.IGNORECASE
)
# Words a line may hold and still be only a date or a time stamp.
DATE_WORDS = re.compile(
    r"\b(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|monday|tuesday|wednesday|"
    r"thursday|friday|saturday|sunday|mon|tue|wed|thu|fri|sat|sun|at|am|pm|gmt|utc|"
    r"published|updated|last|posted|on|"
    r"يناير|فبراير|مارس|أبريل|ابريل|مايو|يونيو|يوليو|أغسطس|اغسطس|سبتمبر|أكتوبر|اكتوبر|"
    r"نوفمبر|ديسمبر|كانون|شباط|آذار|نيسان|أيار|حزيران|تموز|آب|أيلول|تشرين|الثاني|الأول|"
    r"الأحد|الاثنين|الإثنين|الثلاثاء|الأربعاء|الخميس|الجمعة|السبت|في|ص|م|نشر|تاريخ النشر|"
    r"آخر تحديث|تحديث|تم|نشره|نشرت|نشر|"
    r"فروردین|اردیبهشت|خرداد|تیر|تير|مرداد|شهریور|مهر|آبان|آذر|دی|بهمن|اسفند|"
    r"شنبه|یکشنبه|دوشنبه|سه‌شنبه|چهارشنبه|پنجشنبه|جمعه|انتشار|تاریخ)\b|\d+|[^\w\s]|_",
    re.IGNORECASE,
)
# A raw URL printed as text: a reference for the reader, not a menu entry.
BARE_URL = re.compile(r"^(?:https?://|www\.)\S+$", re.IGNORECASE)
